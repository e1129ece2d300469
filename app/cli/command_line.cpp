#include "cli/command_line.h"

#include <QTextStream>
#include <algorithm>
#include <cstdio>
#include <vector>

namespace animerec::cli {

std::optional<int> parseOrExit(QCommandLineParser& parser, const QStringList& args,
                               const QString& description) {
    parser.setApplicationDescription(description);
    const QCommandLineOption help({"h", "help"}, "Show this help.");
    parser.addOption(help);
    QTextStream err(stderr);
    if (!parser.parse(args)) {
        err << args.value(0) << ": " << parser.errorText() << "\n" << parser.helpText();
        return 2;
    }
    if (parser.isSet(help)) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    if (!parser.positionalArguments().isEmpty()) {
        err << args.value(0) << ": unexpected argument '" << parser.positionalArguments().first()
            << "'\n";
        return 2;
    }
    return std::nullopt;
}

std::optional<long long> integerOption(const QCommandLineParser& parser, const QString& name,
                                       long long min, long long max) {
    const QString text = parser.value(name);
    bool ok = false;
    const long long value = text.toLongLong(&ok);
    if (!ok || value < min || value > max) {
        QTextStream(stderr) << "--" << name << ": '" << text << "' is not an integer in [" << min
                            << ", " << max << "]\n";
        return std::nullopt;
    }
    return value;
}

std::optional<double> realOption(const QCommandLineParser& parser, const QString& name, double min,
                                 double max) {
    const QString text = parser.value(name);
    bool ok = false;
    const double value = text.toDouble(&ok);
    if (!ok || value < min || value > max) {
        QTextStream(stderr) << "--" << name << ": '" << text << "' is not a number in [" << min
                            << ", " << max << "]\n";
        return std::nullopt;
    }
    return value;
}

QString modelFamiliesHelp(std::optional<ModelKind> kind) {
    std::vector<const ModelFamily*> shown;
    qsizetype width = 0;
    for (const ModelFamily& family : modelFamilies()) {
        if (kind && family.kind != *kind) continue;
        shown.push_back(&family);
        width = std::max(width, static_cast<qsizetype>(family.name.size()));
    }
    QString help = QStringLiteral("Model families:");
    for (const ModelFamily* family : shown)
        help += QStringLiteral("\n  ") +
                QString::fromStdString(family->name).leftJustified(width + 2) +
                QString::fromStdString(family->description);
    return help;
}

QString defaultDatabasePath() {
    const QString fromEnvironment = qEnvironmentVariable("ANIMEREC_DB");
    return fromEnvironment.isEmpty() ? QStringLiteral("var/animerec.sqlite") : fromEnvironment;
}

}  // namespace animerec::cli
