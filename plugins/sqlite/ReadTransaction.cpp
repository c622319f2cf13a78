#include "ReadTransaction.h"

namespace rockets::sqlite {

namespace {
constexpr const char* kBegin = "BEGIN";
constexpr const char* kCommit = "COMMIT";
}  // namespace

ReadTransaction::ReadTransaction(Connection& connection) : connection_(connection) {
    connection_.prepared(kBegin).run().step();
}

void ReadTransaction::commit() { connection_.prepared(kCommit).run().step(); }

}  // namespace rockets::sqlite
