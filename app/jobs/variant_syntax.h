#pragma once

// The one text form of an A/B variant, read alike by `animerec ab create --variant` and Studio's
// Experiments panel: NAME=SERVED[@VERSION][:SHARE], where SERVED is a role (popularity, content,
// collaborative, session) or a model family (als, ease, ...), VERSION pins the model file's
// version and SHARE is the traffic share (give one for every variant or for none: equal shares).
// E.g. "control=collaborative:0.5", "treatment=ease@20240101T120000Z:0.5".
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace animerec::jobs {

// The variant object of an experiment definition ({"name", "role" or "model", "model_version"?,
// "share"?}); experiments::definitionFromJson validates the names, roles and shares. Throws
// std::invalid_argument naming the text: no NAME=, nothing after '=', a share that is not a
// number, a second ':' (a version goes after '@') or a version on a role.
QJsonObject parseVariant(const QString& text);

// Every text of `texts` (each may hold several variants separated by ','), in order.
QJsonArray parseVariants(const QStringList& texts);

}  // namespace animerec::jobs
