#include "storage/row_values.h"

#include <sqlite3.h>

#include <QSqlQuery>
#include <QVariant>

namespace animerec::storage {

RowValue textValue(const QString& text, bool emptyIsNull) {
    if (text.isNull() || (emptyIsNull && text.isEmpty())) return std::monostate{};
    return QStringView(text);
}

void bindRow(QSqlQuery& query, std::span<const RowValue> values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i);
        std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    query.bindValue(index, QVariant(QMetaType(QMetaType::LongLong)));
                else if constexpr (std::is_same_v<T, QStringView>)
                    query.bindValue(index, value.toString());
                else if constexpr (std::is_same_v<T, std::string_view>)
                    query.bindValue(index, QString::fromUtf8(value.data(),
                                                             static_cast<qsizetype>(value.size())));
                else
                    query.bindValue(index, value);
            },
            values[i]);
    }
}

int bindRow(sqlite3_stmt* statement, std::span<const RowValue> values) {
    for (std::size_t i = 0; i < values.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        const int result = std::visit(
            [&](const auto& value) {
                using T = std::decay_t<decltype(value)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    return sqlite3_bind_null(statement, index);
                else if constexpr (std::is_same_v<T, qint64>)
                    return sqlite3_bind_int64(statement, index, value);
                else if constexpr (std::is_same_v<T, double>)
                    return sqlite3_bind_double(statement, index, value);
                else if constexpr (std::is_same_v<T, QStringView>)
                    return sqlite3_bind_text16(statement, index, value.utf16(),
                                               static_cast<int>(value.size() * 2), SQLITE_STATIC);
                else
                    return sqlite3_bind_text(statement, index, value.data(),
                                             static_cast<int>(value.size()), SQLITE_STATIC);
            },
            values[i]);
        if (result != SQLITE_OK) return result;
    }
    return SQLITE_OK;
}

}  // namespace animerec::storage
