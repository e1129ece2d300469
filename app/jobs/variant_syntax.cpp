#include "jobs/variant_syntax.h"

#include <stdexcept>

#include "experiments/experiment.h"

namespace animerec::jobs {

namespace {

std::invalid_argument badVariant(const QString& text, const QString& why) {
    return std::invalid_argument(QStringLiteral("variant '%1': %2").arg(text, why).toStdString());
}

}  // namespace

QJsonObject parseVariant(const QString& raw) {
    const QString text = raw.trimmed();
    const qsizetype equals = text.indexOf(QLatin1Char('='));
    const QString usage =
        QStringLiteral("expected NAME=MODEL[@VERSION][:SHARE], MODEL a role or a model family");
    if (equals <= 0) throw badVariant(text, usage);
    const QStringList parts = text.mid(equals + 1).split(QLatin1Char(':'));
    if (parts.size() > 2)
        throw badVariant(text,
                         QStringLiteral("a version goes after '@' (NAME=MODEL@VERSION:SHARE)"));
    const QString served = parts.front().trimmed();
    if (served.isEmpty()) throw badVariant(text, usage);
    QJsonObject variant{{QStringLiteral("name"), text.left(equals).trimmed()}};
    const QString model = served.section(QLatin1Char('@'), 0, 0);
    if (experiments::parseRole(model)) {
        if (served.contains(QLatin1Char('@')))
            throw badVariant(text, QStringLiteral("a version pins a model family (e.g. "
                                                  "ease@VERSION), not the role '%1'")
                                       .arg(model));
        variant.insert(QStringLiteral("role"), model);
    } else {
        variant.insert(QStringLiteral("model"), model);
        if (served.contains(QLatin1Char('@')))
            variant.insert(QStringLiteral("model_version"), served.section(QLatin1Char('@'), 1));
    }
    if (parts.size() == 2) {
        bool ok = false;
        const double share = parts[1].trimmed().toDouble(&ok);
        if (!ok)
            throw badVariant(text,
                             QStringLiteral("share '%1' is not a number").arg(parts[1].trimmed()));
        variant.insert(QStringLiteral("share"), share);
    }
    return variant;
}

QJsonArray parseVariants(const QStringList& texts) {
    QJsonArray variants;
    for (const QString& text : texts)
        for (const QString& one : text.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!one.trimmed().isEmpty()) variants.append(parseVariant(one));
    return variants;
}

}  // namespace animerec::jobs
