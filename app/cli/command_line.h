#pragma once

#include <QCommandLineParser>
#include <QString>
#include <QStringList>
#include <optional>

#include "models/model_families.h"

namespace animerec::cli {

// Parses `args` with `parser` (adding --help), printing problems to stderr.
// Returns an exit code when the command should stop now (help shown: 0, bad usage: 2).
std::optional<int> parseOrExit(QCommandLineParser& parser, const QStringList& args,
                               const QString& description);

// Integer option value; prints "--name: 'value' is not an integer in [min, max]" and returns
// nullopt when it does not parse.
std::optional<long long> integerOption(const QCommandLineParser& parser, const QString& name,
                                       long long min, long long max);
std::optional<double> realOption(const QCommandLineParser& parser, const QString& name, double min,
                                 double max);

// "Model families:" and one line per family of the table (name and description), only those of
// `kind` when given; appended to the help of commands that take family names.
QString modelFamiliesHelp(std::optional<ModelKind> kind = std::nullopt);

// Default database: $ANIMEREC_DB (a SQLite path or a postgresql://user:password@host:port/dbname
// URL; storage::Database accepts both), else ./var/animerec.sqlite.
QString defaultDatabasePath();

}  // namespace animerec::cli
