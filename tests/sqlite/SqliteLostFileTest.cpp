// A database deleted or replaced under a running store (`rm data/rockets.db*`):
// SQLite itself would go on committing into the unlinked file, so every message
// acknowledged after the delete would be gone at the next start. The store must
// refuse from the first transaction that commits after the delete, say why in
// health(), and never create a new file at the path behind the server's back.
#include "SqliteStores.h"

#include "Messages.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <string>

namespace rockets::test {

namespace {

/// The message of the StoreUnavailableException `write` throws ("" if it does not).
template <typename Write>
std::string unavailableMessage(Write&& write) {
    try {
        write();
    } catch (const StoreUnavailableException& e) {
        return e.displayText();
    }
    ADD_FAILURE() << "the write succeeded";
    return "";
}

bool exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

}  // namespace

TEST(SqliteLostFile, DeletedDatabaseRefusesTheNextAppendAndEveryWriteAfterIt) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));
    for (const char* suffix : {"", "-wal", "-shm"}) ASSERT_EQ(::unlink((stores.path() + suffix).c_str()), 0);

    const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 1)); });
    EXPECT_NE(refused.find(stores.path() + " was deleted"), std::string::npos) << refused;
    EXPECT_THROW(stores.events().append(speedUp("c", 3, 1)), StoreUnavailableException);
    EXPECT_THROW(stores.rockets().compareAndSet(rocket("c", 2), 1), StoreUnavailableException);
    const StoreHealth health = stores.backend().health();
    EXPECT_FALSE(health.ok);
    EXPECT_NE(health.detail.find(stores.path() + " was deleted"), std::string::npos) << health.detail;
    EXPECT_FALSE(exists(stores.path())) << "the store created a new database behind the server's back";

    stores.close();
    stores.open();  // a restart makes a new, empty database
    EXPECT_TRUE(stores.events().read("c", 1, 10).empty());
    EXPECT_EQ(stores.events().append(speedUp("c", 2, 1)), AppendResult::Stored);
    EXPECT_TRUE(stores.backend().health().ok);
}

TEST(SqliteLostFile, HealthReportsADeletedDatabaseWithoutAnyWrite) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_EQ(::unlink(stores.path().c_str()), 0);
    const StoreHealth health = stores.backend().health();
    EXPECT_FALSE(health.ok);
    EXPECT_NE(health.detail.find(stores.path() + " was deleted"), std::string::npos) << health.detail;
    EXPECT_THROW(stores.events().append(speedUp("c", 2, 1)), StoreUnavailableException);
}

TEST(SqliteLostFile, DatabaseReplacedByAnotherFileIsRefused) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    const std::string other = stores.dir().file("other.db");
    RawConnection(other).exec("CREATE TABLE t (x)");
    ASSERT_EQ(std::rename(other.c_str(), stores.path().c_str()), 0);

    const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 1)); });
    EXPECT_NE(refused.find(stores.path() + " was replaced"), std::string::npos) << refused;
    EXPECT_FALSE(stores.backend().health().ok);
}

// The log's recent commits live in the WAL until a checkpoint: losing it alone loses
// acknowledged messages at the next start just the same.
TEST(SqliteLostFile, DeletedWalAloneIsRefused) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_EQ(::unlink((stores.path() + "-wal").c_str()), 0);
    const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 1)); });
    EXPECT_NE(refused.find(stores.path() + "-wal was deleted"), std::string::npos) << refused;
}

}  // namespace rockets::test
