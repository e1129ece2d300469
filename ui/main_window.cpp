#include "main_window.h"

#include <QFileInfo>
#include <QLabel>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStatusBar>
#include <QVBoxLayout>

namespace animerec::ui {

MainWindow::MainWindow(const QString& databasePath, QWidget* parent)
    : QMainWindow(parent), databasePath_(databasePath) {
    setWindowTitle(tr("AnimeRec Studio"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    summary_ = new QLabel(central);
    summary_->setAlignment(Qt::AlignCenter);
    summary_->setTextFormat(Qt::RichText);
    layout->addWidget(summary_);
    setCentralWidget(central);
    resize(1100, 720);
    showDatabaseSummary();
}

void MainWindow::showDatabaseSummary() {
    if (!QFileInfo::exists(databasePath_)) {
        summary_->setText(tr("<h2>No data yet</h2><p>Run <code>animerec import</code> or "
                             "<code>scripts/run.sh</code> to create <code>%1</code>.</p>")
                              .arg(databasePath_.toHtmlEscaped()));
        return;
    }
    const QString connection = QStringLiteral("studio-summary");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
        db.setDatabaseName(databasePath_);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        QStringList lines;
        if (db.open()) {
            for (const char* table : {"Anime", "Users", "UserAnimeInteractions"}) {
                QSqlQuery query(db);
                if (query.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(table)) && query.next())
                    lines << tr("%1: %2 rows").arg(table).arg(query.value(0).toLongLong());
            }
        }
        summary_->setText(tr("<h2>%1</h2><p>%2</p>")
                              .arg(databasePath_.toHtmlEscaped(), lines.join(QStringLiteral("<br>"))));
        statusBar()->showMessage(tr("Database: %1").arg(databasePath_));
    }
    QSqlDatabase::removeDatabase(connection);
}

}  // namespace animerec::ui
