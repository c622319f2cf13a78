#include "Connection.h"

#include <Poco/Data/SQLite/Utility.h>

namespace rockets::sqlite {

PreparedStatement& Connection::prepared(const char* sql) {
    // A handful of statements per connection: a linear scan beats hashing.
    for (auto& [key, statement] : statements_) {
        if (key == sql) return *statement;
    }
    auto statement = std::make_unique<PreparedStatement>(Poco::Data::SQLite::Utility::dbHandle(*session_), sql);
    statements_.emplace_back(sql, std::move(statement));
    return *statements_.back().second;
}

}  // namespace rockets::sqlite
