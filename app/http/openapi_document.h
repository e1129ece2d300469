#pragma once

#include <QByteArray>

namespace animerec::http {

// app/http/openapi.json, compiled into the binary (see http/sources.cmake).
QByteArray openApiDocument();

}  // namespace animerec::http
