#pragma once

// Shared by the HTTP service tests: a tiny in-memory dataset, two test-only models and a raw
// HTTP/1.1 client that talks to the server over a real socket without blocking the event loop
// the server runs on.

#include <QByteArray>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>
#include <istream>
#include <memory>
#include <ostream>

#include "data/dataset.h"
#include "models/recommender.h"

namespace animerec::testing {

// 12 anime in three genre groups; users 1..4 have long histories, user 5 a short one.
inline std::shared_ptr<Dataset> makeDataset() {
    auto data = std::make_shared<Dataset>();
    const char* genres[] = {"Action, Shounen", "Comedy, Slice of Life", "Drama, Romance"};
    for (int i = 0; i < 12; ++i) {
        AnimeRecord record;
        record.animeId = 100 + i;
        record.title = "Anime " + std::to_string(i);
        record.genres = splitGenres(genres[i % 3]);
        record.type = i % 4 == 0 ? "Movie" : "TV";
        record.episodes = 12 + i;
        record.rating = 7.0 + 0.1 * i;
        record.members = 1000 * (i + 1);
        data->catalog.add(record);
    }
    Interactions::Builder builder(12);
    const std::vector<std::vector<int>> histories{
        {0, 3, 6, 9, 1, 4}, {0, 3, 6, 1, 2, 5}, {0, 3, 1, 4, 7, 10}, {0, 1, 2, 3, 4, 5, 6}, {0, 3}};
    std::int64_t order = 0;
    for (std::size_t user = 0; user < histories.size(); ++user)
        for (const int item : histories[user]) {
            Event event;
            event.item = item;
            event.rating = 8.0f;
            event.status = WatchStatus::Completed;
            event.order = order++;
            builder.add(static_cast<std::int64_t>(user) + 1, event);
        }
    data->interactions = std::move(builder).build();
    return data;
}

// Collaborative stand-in: prefers higher catalogue indices, whoever asks.
class FixedCollaborative final : public Recommender {
public:
    explicit FixedCollaborative(std::string name = "fixed") : name_(std::move(name)) {}
    std::string name() const override { return name_; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery&, std::span<float> scores) const override {
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = static_cast<float>(i);
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}

private:
    std::string name_;
};

// Session stand-in: the item after the last one watched comes first, then lower indices.
class NextItemSession final : public Recommender {
public:
    std::string name() const override { return "next_item"; }
    void fit(const Dataset&, const ProgressCallback&) override {}
    void score(const UserQuery& query, std::span<float> scores) const override {
        for (std::size_t i = 0; i < scores.size(); ++i) scores[i] = -static_cast<float>(i);
        if (query.history.empty()) return;
        const auto next = static_cast<std::size_t>(query.history.back().item + 1);
        if (next < scores.size()) scores[next] = 1000.0f;
    }
    void save(std::ostream&) const override {}
    void load(std::istream&) override {}
};

struct HttpReply {
    int status = 0;
    QByteArray head;  // status line and headers
    QByteArray body;
    bool complete = false;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QByteArray header(const QByteArray& name) const {
        for (const QByteArray& line : head.split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0 && line.left(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
                return line.mid(colon + 1).trimmed();
        }
        return {};
    }
};

// Sends `raw` bytes and reads one response (Content-Length framed), spinning a local event loop
// so the in-process server can answer. Gives up after `timeoutMs`.
inline HttpReply sendRaw(quint16 port, const QByteArray& raw, int timeoutMs = 5000) {
    QTcpSocket socket;
    HttpReply reply;
    QByteArray received;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::connected, [&] { socket.write(raw); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::errorOccurred, &loop, &QEventLoop::quit);
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] {
        received += socket.readAll();
        const qsizetype end = received.indexOf("\r\n\r\n");
        if (end < 0) return;
        reply.head = received.left(end);
        const QByteArray length = reply.header("Content-Length");
        if (received.size() - (end + 4) >= length.toLongLong()) loop.quit();
    });
    socket.connectToHost(QHostAddress::LocalHost, port);
    timer.start(timeoutMs);
    loop.exec();
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end >= 0) {
        reply.head = received.left(end);
        reply.body = received.mid(end + 4);
        const QList<QByteArray> statusLine = reply.head.left(reply.head.indexOf('\r')).split(' ');
        reply.status = statusLine.value(1).toInt();
        reply.complete = reply.body.size() >= reply.header("Content-Length").toLongLong();
    }
    return reply;
}

inline HttpReply request(quint16 port, const QByteArray& method, const QByteArray& path,
                         const QByteArray& body = {}, const QByteArray& extraHeaders = {}) {
    QByteArray raw = method + ' ' + path + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders;
    if (!body.isNull() || method == "POST")
        raw +=
            "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) +
            "\r\n";
    raw += "\r\n" + body;
    return sendRaw(port, raw);
}

}  // namespace animerec::testing
