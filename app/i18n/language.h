#pragma once

// The interface language of Studio and the terminal explorer: English (the source texts) or
// Russian (translations/animerec_ru.ts, compiled into each executable as :/i18n/animerec_ru.qm).
#include <QString>
#include <QStringList>

class QCoreApplication;

namespace animerec::i18n {

// "en" and "ru".
const QStringList& availableLanguages();

// The language to use: ANIMEREC_LANG when set, else `saved` (Studio's menu choice) when it is
// one of availableLanguages(), else the system locale's ("ru" for ru_RU), else "en".
QString chosenLanguage(const QString& saved = {});

// Installs the translation of `language` into `app` (English needs none). Returns false, and
// installs nothing, when the executable carries no translation for it.
bool installTranslation(QCoreApplication& app, const QString& language);

}  // namespace animerec::i18n
