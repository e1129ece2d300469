#!/usr/bin/env bash
# SQL text and database driver calls (QSqlQuery/QSqlDatabase/..., sqlite3, libpq) live in
# app/storage/ only: anywhere else in app/ or ui/ fails the suite with file:line. QSqlError is the
# one Qt SQL type allowed outside: storage's functions return it (docs/ARCHITECTURE.md).
# The check first proves it can fail on a file that breaks the rule.
set -euo pipefail
cd "$(dirname "$0")/../.."

driver='#include <(sqlite3|libpq-fe)\.h>|\bsqlite3(_[a-z0-9_]+)?\b|\bPQ[a-z][A-Za-z]*\(|\b(PGconn|PGresult|pg_conn)\b'
driver+='|\bQSql(Database|Query|Record|Driver|Field|Result|Index|QueryModel|TableModel|RelationalTableModel)\b'
# SQL in a string literal, or on a line of a raw string that starts with a statement.
statement='(SELECT\b.*\bFROM|INSERT INTO|UPDATE [A-Za-z_]+ SET|DELETE FROM|CREATE (TABLE|(UNIQUE )?INDEX)|DROP (TABLE|INDEX)|ALTER TABLE|PRAGMA [a-z_]+)\b'
pattern="($driver)|\"[[:space:]]*$statement|^[[:space:]]*$statement"

violations() {  # file:line:text of every match under the given paths, outside app/storage/
    grep -rnE --include='*.cpp' --include='*.h' --include='*.cpp.in' "$pattern" "$@" |
        grep -v '^app/storage/' || true
}

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '%s\n' 'QString sql = "SELECT title FROM Anime";' 'QSqlQuery query(db);' \
    'constexpr auto k = R"(' '    DELETE FROM Users)";' 'sqlite3_step(statement);' > "$scratch/bad.cpp"
if [ "$(violations "$scratch" | wc -l)" -ne 4 ]; then
    echo "check_sql_in_storage: the patterns missed a deliberate violation; the check would prove nothing"
    violations "$scratch"
    exit 1
fi

found=$(violations app ui)
if [ -n "$found" ]; then
    echo "$found"
    echo "check_sql_in_storage: SQL or a database driver call outside app/storage/ (above);"
    echo "move it behind a storage class"
    exit 1
fi
echo "check_sql_in_storage: SQL and driver calls only in app/storage/"
