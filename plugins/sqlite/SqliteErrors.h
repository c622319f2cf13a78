#pragma once

#include <exception>
#include <string>

struct sqlite3;

namespace rockets::sqlite {

/// Classifies a failure of a database call as the exception the ports promise:
/// a corrupt database becomes rockets::StoreCorruptException, every other failure
/// (locked, read-only, disk full, I/O, cannot open) rockets::StoreUnavailableException.
/// `context` says what was being done, e.g. "append to /data/rockets.db".
std::exception_ptr toStoreError(std::exception_ptr error, const std::string& context);

/// True when `error` says the database (or its WAL index) could not be written or
/// opened for writing: SQLITE_READONLY or SQLITE_CANTOPEN. Such a failure can stick
/// to every connection of the process, see ConnectionGeneration.
bool isReadOnlyFailure(const std::exception_ptr& error);

/// SQLite's extended result code and the system error behind the last failure on
/// `db`, e.g. " (SQLite error 778, Operation not permitted)"; "" when it has none.
std::string errorCodes(sqlite3* db);

/// The message of a stored exception, for logs.
std::string describe(const std::exception_ptr& error);

/// Rethrows the exception being handled, classified as by toStoreError.
/// Call only from inside a catch block.
[[noreturn]] void rethrowAsStoreError(const std::string& context);

}  // namespace rockets::sqlite
