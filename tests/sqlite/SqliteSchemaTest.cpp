#include "SqliteStores.h"

#include "Messages.h"

#include "rockets/StoreErrors.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

#include <gtest/gtest.h>

namespace rockets::test {

namespace {

/// Runs `open` expecting StoreCorruptException; returns its message.
template <typename Open>
std::string corruptMessage(Open&& open) {
    try {
        open();
    } catch (const StoreCorruptException& e) {
        return e.displayText();
    }
    ADD_FAILURE() << "open() accepted the file";
    return "";
}

}  // namespace

TEST(SqliteSchema, FreshFileGetsVersionedSchemaInWalMode) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    RawConnection raw(stores.path());
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "wal");
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "1");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM events"), "1");
}

TEST(SqliteSchema, MissingFolderIsCreated) {
    SqliteStores stores;
    const std::string path = stores.dir().file("data/nested/rockets.db");
    stores.config().setString("rockets.sqlite.path", path);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    EXPECT_TRUE(Poco::File(path).exists());
}

TEST(SqliteSchema, GarbageFileFailsOpenAndIsLeftUntouched) {
    SqliteStores stores;
    std::string garbage(8192, '\0');
    for (std::size_t i = 0; i < garbage.size(); ++i) garbage[i] = static_cast<char>((i * 7919 + 13) % 251);
    writeFile(stores.path(), garbage);
    const std::string message = corruptMessage([&] { stores.open(); });
    EXPECT_NE(message.find(stores.path()), std::string::npos) << message;
    EXPECT_EQ(readFile(stores.path()), garbage);
}

TEST(SqliteSchema, ForeignSqliteDatabaseFailsOpenAndIsLeftUntouched) {
    SqliteStores stores;
    {
        RawConnection raw(stores.path());
        raw.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)");
        raw.exec("INSERT INTO invoices (total) VALUES (12.5)");
    }
    const std::string before = readFile(stores.path());
    const std::string message = corruptMessage([&] { stores.open(); });
    EXPECT_NE(message.find("not a rockets database"), std::string::npos) << message;
    EXPECT_EQ(readFile(stores.path()), before);
    RawConnection raw(stores.path());
    EXPECT_EQ(raw.scalar("PRAGMA journal_mode"), "delete") << "the foreign file's journal mode was changed";
}

TEST(SqliteSchema, UnknownSchemaVersionFailsOpen) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    stores.close();
    RawConnection(stores.path()).exec("PRAGMA user_version = 99");
    const std::string message = corruptMessage([&] { stores.open(); });
    EXPECT_NE(message.find("schema version 99"), std::string::npos) << message;
    EXPECT_EQ(RawConnection(stores.path()).scalar("SELECT count(*) FROM events"), "1");
}

TEST(SqliteSchema, SchemaWithoutItsTablesFailsOpen) {
    SqliteStores stores;
    stores.open();
    stores.close();
    RawConnection(stores.path()).exec("DROP TABLE rockets");
    corruptMessage([&] { stores.open(); });
}

TEST(SqliteSchema, SynchronousAcceptsFullAndNormalOnly) {
    SqliteStores normal;
    normal.config().setString("rockets.sqlite.synchronous", "normal");
    normal.open();
    EXPECT_EQ(normal.events().append(launched("c", 1)), AppendResult::Stored);

    SqliteStores off;
    off.config().setString("rockets.sqlite.synchronous", "OFF");
    try {
        off.open();
        FAIL() << "synchronous=OFF was accepted";
    } catch (const Poco::InvalidArgumentException& e) {
        EXPECT_NE(e.displayText().find("rockets.sqlite.synchronous"), std::string::npos) << e.displayText();
    }
}

}  // namespace rockets::test
