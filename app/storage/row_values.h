#pragma once

#include <QString>
#include <QStringView>
#include <QtGlobal>
#include <span>
#include <string_view>
#include <variant>

class QSqlQuery;
struct sqlite3_stmt;

namespace animerec::storage {

// One value of a row, in the order of its INSERT's placeholders. A writer maps its record to
// these once; both drivers bind the same list: Qt's QSqlQuery (PostgreSQL, and SQLite where
// speed does not matter) and SQLite's C API (the bulk writers' fast path, which skips the
// placeholder bookkeeping Qt does per value). Text views must outlive the statement's step.
using RowValue = std::variant<std::monostate,     // NULL
                              qint64, double,     // numbers
                              QStringView,        // text held by the record
                              std::string_view>;  // UTF-8 text built for the row

// `text` as a value; a null QString (and an empty one when `emptyIsNull`) is NULL, as Qt binds it.
RowValue textValue(const QString& text, bool emptyIsNull = false);

// Binds `values` to the placeholders 1..n of a prepared statement.
void bindRow(QSqlQuery& query, std::span<const RowValue> values);
// SQLITE_STATIC: the statement reads the texts where they are. Returns the sqlite3 result code
// of the first failing bind, SQLITE_OK (0) when every value is bound.
int bindRow(sqlite3_stmt* statement, std::span<const RowValue> values);

}  // namespace animerec::storage
