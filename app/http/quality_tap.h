#pragma once

#include <QString>

namespace animerec::service {
class QualityMonitor;
}

namespace animerec::http {

struct ApiReply;

// Passes a finished request to the online quality view: the lists of the recommendation routes
// (items, strategy, cache, sampled exposure, the ids the request named) and the feedback events
// (with their attribution). Other routes are ignored. Reads only what the reply already carries.
void observeQuality(service::QualityMonitor& monitor, const QString& route, const ApiReply& reply);

}  // namespace animerec::http
