#include "SqliteErrors.h"

#include "rockets/StoreErrors.h"

#include <Poco/Data/SQLite/SQLiteException.h>

#include <sqlite3.h>

#include <cstring>

namespace rockets::sqlite {

std::exception_ptr toStoreError(std::exception_ptr error, const std::string& context) {
    try {
        std::rethrow_exception(error);
    } catch (const StoreUnavailableException&) {
        return error;
    } catch (const StoreCorruptException&) {
        return error;
    } catch (const Poco::Data::SQLite::CorruptImageException& e) {
        return std::make_exception_ptr(StoreCorruptException(context + ": the database is corrupt", e.displayText()));
    } catch (const Poco::Exception& e) {
        return std::make_exception_ptr(StoreUnavailableException(context, e.displayText()));
    } catch (const std::exception& e) {
        return std::make_exception_ptr(StoreUnavailableException(context, e.what()));
    } catch (...) {
        return std::make_exception_ptr(StoreUnavailableException(context, "unknown error"));
    }
}

bool isReadOnlyFailure(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Poco::Data::SQLite::ReadOnlyException&) {
        return true;
    } catch (const Poco::Data::SQLite::CantOpenDBFileException&) {
        return true;
    } catch (...) {
        return false;
    }
}

std::string errorCodes(sqlite3* db) {
    const int code = sqlite3_extended_errcode(db);
    if (code == SQLITE_OK || code == SQLITE_ROW || code == SQLITE_DONE) return "";
    std::string text = " (SQLite error " + std::to_string(code);
    if (const int error = sqlite3_system_errno(db); error != 0) text += ", " + std::string(std::strerror(error));
    return text + ")";
}

std::string describe(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const Poco::Exception& e) {
        return e.displayText();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "unknown error";
    }
}

void rethrowAsStoreError(const std::string& context) {
    std::rethrow_exception(toStoreError(std::current_exception(), context));
}

}  // namespace rockets::sqlite
