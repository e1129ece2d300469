#include "i18n/language.h"

#include <QCoreApplication>
#include <QLocale>
#include <QTranslator>
#include <memory>

namespace animerec::i18n {

const QStringList& availableLanguages() {
    static const QStringList languages{QStringLiteral("en"), QStringLiteral("ru")};
    return languages;
}

QString chosenLanguage(const QString& saved) {
    const QString fromEnvironment = qEnvironmentVariable("ANIMEREC_LANG").left(2).toLower();
    if (availableLanguages().contains(fromEnvironment)) return fromEnvironment;
    if (availableLanguages().contains(saved)) return saved;
    const QString system = QLocale::system().name().left(2).toLower();
    return availableLanguages().contains(system) ? system : QStringLiteral("en");
}

bool installTranslation(QCoreApplication& app, const QString& language) {
    // One translator for the process, replaced when another language is installed.
    static std::unique_ptr<QTranslator> installed;
    if (installed) {
        app.removeTranslator(installed.get());
        installed.reset();
    }
    if (language == QLatin1String("en")) return true;
    auto translator = std::make_unique<QTranslator>();
    if (!translator->load(QStringLiteral(":/i18n/animerec_%1.qm").arg(language))) return false;
    app.installTranslator(translator.get());
    installed = std::move(translator);
    return true;
}

}  // namespace animerec::i18n
