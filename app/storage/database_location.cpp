#include "storage/database_location.h"

#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

namespace animerec::storage {

bool DatabaseLocation::isPostgresUrl(const QString& text) {
    return text.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           text.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

bool DatabaseLocation::exists() const {
    return backend == Backend::Postgres || QFileInfo::exists(text);
}

DatabaseLocation DatabaseLocation::parse(const QString& text, QString* error) {
    DatabaseLocation location;
    location.text = text;
    location.displayName = text;
    if (error) error->clear();
    if (!isPostgresUrl(text)) return location;

    location.backend = Backend::Postgres;
    const QUrl url(text, QUrl::StrictMode);
    // Never echo the input: it may hold the password.
    location.displayName = url.isValid() ? url.toString(QUrl::RemovePassword)
                                         : QStringLiteral("postgresql://<unparsable URL>");
    if (!url.isValid()) {
        if (error) *error = QStringLiteral("not a valid postgresql:// URL");
        return location;
    }
    location.host = url.host();
    location.port = url.port(-1);
    location.user = url.userName();
    location.password = url.password();
    location.databaseName = url.path().mid(1);
    QStringList options;
    for (const auto& [key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("host") && location.host.isEmpty())
            location.host = value;
        else
            options << key + u'=' + value;
    }
    location.connectOptions = options.join(u';');
    if (location.databaseName.isEmpty() || location.databaseName.contains(u'/')) {
        if (error)
            *error = QStringLiteral(
                         "%1: the URL names no database "
                         "(postgresql://user:password@host:port/dbname)")
                         .arg(location.displayName);
    }
    return location;
}

}  // namespace animerec::storage
