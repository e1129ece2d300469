#pragma once

// The explorer's answers (explore/explorer.h) as text for a terminal: aligned tables that fit
// `width` columns, with colour only when `colour` is set (a TTY). The JSON answer is the one
// source: the text shows what it holds, nothing else.
#include <QJsonObject>
#include <QString>

namespace animerec::cli {

struct TextStyle {
    int width = 100;
    bool colour = false;
};

// The style for standard output: its width when it is a terminal ($COLUMNS, else 100), colour
// only on a terminal and without NO_COLOR.
TextStyle terminalStyle();

QString recommendText(const QJsonObject& answer, const TextStyle& style);
QString similarText(const QJsonObject& answer, const TextStyle& style);
QString topText(const QJsonObject& answer, const TextStyle& style);
QString animeText(const QJsonObject& answer, const TextStyle& style);
QString userText(const QJsonObject& answer, const TextStyle& style);

}  // namespace animerec::cli
