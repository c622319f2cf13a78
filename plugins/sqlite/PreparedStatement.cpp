#include "PreparedStatement.h"

#include <Poco/Data/SQLite/Utility.h>

#include <sqlite3.h>

namespace rockets::sqlite {

PreparedStatement::PreparedStatement(sqlite3* db, const char* sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(statement_);
        Poco::Data::SQLite::Utility::throwException(db_, rc, sql);
    }
}

PreparedStatement::~PreparedStatement() { sqlite3_finalize(statement_); }

int PreparedStatement::changes() const { return sqlite3_changes(db_); }

Poco::Int64 PreparedStatement::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }

PreparedStatement::Execution::~Execution() {
    sqlite3_reset(statement_.statement_);
    sqlite3_clear_bindings(statement_.statement_);
}

void PreparedStatement::Execution::check(int rc) const {
    if (rc != SQLITE_OK) Poco::Data::SQLite::Utility::throwException(statement_.db_, rc);
}

PreparedStatement::Execution& PreparedStatement::Execution::bind(int index, const std::string& text) {
    check(sqlite3_bind_text(statement_.statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC));
    return *this;
}

PreparedStatement::Execution& PreparedStatement::Execution::bind(int index, Poco::Int64 value) {
    check(sqlite3_bind_int64(statement_.statement_, index, value));
    return *this;
}

PreparedStatement::Execution& PreparedStatement::Execution::bindNull(int index) {
    check(sqlite3_bind_null(statement_.statement_, index));
    return *this;
}

bool PreparedStatement::Execution::step() {
    const int rc = sqlite3_step(statement_.statement_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // The statement's own error code (sqlite3_step may return a generic one).
    Poco::Data::SQLite::Utility::throwException(statement_.db_, sqlite3_reset(statement_.statement_));
    return false;
}

Poco::Int64 PreparedStatement::Execution::int64(int column) const {
    return sqlite3_column_int64(statement_.statement_, column);
}

std::string PreparedStatement::Execution::text(int column) const { return std::string(view(column)); }

std::string_view PreparedStatement::Execution::view(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(statement_.statement_, column));
    const int size = sqlite3_column_bytes(statement_.statement_, column);
    return data ? std::string_view(data, static_cast<std::size_t>(size)) : std::string_view();
}

bool PreparedStatement::Execution::isNull(int column) const {
    return sqlite3_column_type(statement_.statement_, column) == SQLITE_NULL;
}

}  // namespace rockets::sqlite
