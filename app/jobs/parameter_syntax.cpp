#include "jobs/parameter_syntax.h"

#include <QRegularExpression>
#include <QStringList>
#include <stdexcept>

namespace animerec::jobs {

namespace {

std::invalid_argument badEntry(const QString& entry, const QString& why) {
    return std::invalid_argument(
        QStringLiteral("parameter '%1': %2").arg(entry, why).toStdString());
}

}  // namespace

ParameterGrids parseParameterGrids(const QString& text) {
    ParameterGrids grids;
    static const QRegularExpression separators(QStringLiteral("[,;\\n]"));
    for (const QString& raw : text.split(separators, Qt::SkipEmptyParts)) {
        const QString entry = raw.trimmed();
        if (entry.isEmpty()) continue;
        const qsizetype equals = entry.indexOf(QLatin1Char('='));
        const qsizetype dot = entry.indexOf(QLatin1Char('.'));
        if (equals < 0)
            throw badEntry(entry,
                           QStringLiteral("expected FAMILY.NAME=VALUE, e.g. als.factors=64"));
        if (dot <= 0 || dot > equals)
            throw badEntry(
                entry,
                QStringLiteral("expected a model family before the name, e.g. als.factors=64"));
        const std::string family = entry.left(dot).trimmed().toStdString();
        const std::string name = entry.mid(dot + 1, equals - dot - 1).trimmed().toStdString();
        if (name.empty()) throw badEntry(entry, QStringLiteral("empty parameter name"));
        std::vector<double>& values = grids[family][name];
        if (!values.empty())
            throw badEntry(entry,
                           QStringLiteral("%1.%2 is given twice")
                               .arg(QString::fromStdString(family), QString::fromStdString(name)));
        for (const QString& valueText : entry.mid(equals + 1).split(QLatin1Char('|'))) {
            bool ok = false;
            values.push_back(valueText.trimmed().toDouble(&ok));
            if (!ok)
                throw badEntry(entry,
                               QStringLiteral("'%1' is not a number").arg(valueText.trimmed()));
        }
    }
    return grids;
}

std::map<std::string, ModelParameters> parseModelParameters(const QString& text) {
    std::map<std::string, ModelParameters> parameters;
    for (const auto& [family, names] : parseParameterGrids(text)) {
        for (const auto& [name, values] : names) {
            if (values.size() > 1) {
                QStringList list;
                for (const double value : values) list << QString::number(value);
                throw badEntry(QStringLiteral("%1.%2=%3")
                                   .arg(QString::fromStdString(family),
                                        QString::fromStdString(name), list.join(QLatin1Char('|'))),
                               QStringLiteral("a grid (|) needs tuning"));
            }
            parameters[family][name] = values.front();
        }
    }
    return parameters;
}

ModelParameters fixedParameters(const ParameterGrids& grids, const std::string& family) {
    ModelParameters fixed;
    if (const auto it = grids.find(family); it != grids.end())
        for (const auto& [name, values] : it->second)
            if (values.size() == 1) fixed[name] = values.front();
    return fixed;
}

std::vector<ParameterRange> gridRanges(const ParameterGrids& grids, const std::string& family) {
    std::vector<ParameterRange> ranges;
    if (const auto it = grids.find(family); it != grids.end())
        for (const auto& [name, values] : it->second)
            if (values.size() > 1) {
                ParameterRange range;
                range.name = name;
                range.values = values;
                ranges.push_back(std::move(range));
            }
    return ranges;
}

}  // namespace animerec::jobs
