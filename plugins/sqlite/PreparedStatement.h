#pragma once

#include <Poco/Types.h>

#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace rockets::sqlite {

/// One SQL statement compiled once on a connection and run many times: the hot
/// statements (append, duplicate lookup, read events, get rocket, compare-and-set)
/// run thousands of times a second, and Poco::Data prepares a statement's text on
/// every execution. Errors are thrown as Poco::Data::SQLite exceptions, exactly as
/// Poco::Data would throw them, so SqliteErrors.h classifies both alike. Must be
/// destroyed before its connection closes (an unfinalized statement keeps the
/// connection, and with it the file, open).
class PreparedStatement {
public:
    PreparedStatement(sqlite3* db, const char* sql);
    ~PreparedStatement();
    PreparedStatement(const PreparedStatement&) = delete;
    PreparedStatement& operator=(const PreparedStatement&) = delete;

    /// One execution: bind parameters (1-based), step through rows, read columns
    /// (0-based). Resets the statement and clears its bindings when it goes, so
    /// bound text need only live as long as the execution.
    class Execution {
    public:
        explicit Execution(PreparedStatement& statement) : statement_(statement) {}
        ~Execution();
        Execution(const Execution&) = delete;
        Execution& operator=(const Execution&) = delete;

        Execution& bind(int index, const std::string& text);
        Execution& bind(int index, Poco::Int64 value);
        Execution& bindNull(int index);

        /// Advances to the next row: true for a row, false when done.
        bool step();

        Poco::Int64 int64(int column) const;
        std::string text(int column) const;
        /// The column's text without a copy; valid until the next step().
        std::string_view view(int column) const;
        bool isNull(int column) const;

    private:
        void check(int rc) const;

        PreparedStatement& statement_;
    };

    /// Starts an execution; one at a time per statement.
    Execution run() { return Execution(*this); }
    /// Rows changed by the connection's last INSERT/UPDATE/DELETE.
    int changes() const;
    /// Rowid of the connection's last successful INSERT into a rowid table.
    Poco::Int64 lastInsertRowid() const;

private:
    sqlite3* db_;
    sqlite3_stmt* statement_ = nullptr;
};

}  // namespace rockets::sqlite
