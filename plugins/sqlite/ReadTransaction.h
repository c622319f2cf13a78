#pragma once

#include "Connection.h"

namespace rockets::sqlite {

/// A read transaction on a reader connection, with prepared BEGIN and COMMIT: the
/// statements inside it see one snapshot, and take the WAL read lock once instead of
/// once each. When it goes without commit() (an exception), the transaction stays
/// open: the reader pool closes a connection whose work failed.
class ReadTransaction {
public:
    explicit ReadTransaction(Connection& connection);
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;

    /// Ends the transaction.
    void commit();

private:
    Connection& connection_;
};

}  // namespace rockets::sqlite
