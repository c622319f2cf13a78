#include "SqliteStores.h"

#include "Messages.h"

#include "rockets/StoreErrors.h"

#include <Poco/Exception.h>
#include <Poco/File.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <utility>
#include <vector>

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
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "2");
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

// Connections after the first open the file by an SQLite URI (so that none of them
// can create a new database): characters with a meaning in URIs must still name it.
TEST(SqliteSchema, PathWithUriCharactersNamesTheSameFileForEveryConnection) {
    SqliteStores stores;
    const std::string path = stores.dir().file("100% sure? #1/rockets.db");
    stores.config().setString("rockets.sqlite.path", path);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));
    EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
    stores.close();
    stores.open();
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
    EXPECT_EQ(RawConnection(path).scalar("SELECT count(*) FROM events"), "1");
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

// A database written by a build of schema version 1 (its layout, verbatim): opening
// it migrates it in place to version 2, whose channel summary carries the heads and
// counts of the events already stored.
TEST(SqliteSchema, Version1DatabaseIsMigratedInPlaceWithItsChannelSummary) {
    SqliteStores stores;
    {
        RawConnection v1(stores.path());
        v1.exec("CREATE TABLE events (channel TEXT NOT NULL, number INTEGER NOT NULL, type TEXT NOT NULL,"
                " payload TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY (channel, number)) WITHOUT ROWID");
        v1.exec("CREATE TABLE rockets (channel TEXT NOT NULL PRIMARY KEY, type TEXT NOT NULL, speed INTEGER NOT NULL,"
                " mission TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT, launchedAt TEXT NOT NULL,"
                " updatedAt TEXT NOT NULL, lastMessageNumber INTEGER NOT NULL) WITHOUT ROWID");
        for (const char* field : {"type", "mission", "speed", "status", "launchedAt", "updatedAt", "lastMessageNumber"}) {
            v1.exec(std::string("CREATE INDEX rockets_by_") + field + " ON rockets (" + field + ", channel)");
        }
        v1.exec("PRAGMA application_id = " + std::to_string(0x524F434B));  // "ROCK"
        v1.exec("PRAGMA user_version = 1");
        v1.exec("PRAGMA journal_mode = WAL");
        const char* insert = "INSERT INTO events VALUES ('%s', %d, 'RocketSpeedIncreased', '{\"by\":%d}', "
                             "'2022-02-02T19:40:00Z')";
        for (const auto& [channel, number] : std::vector<std::pair<const char*, int>>{{"a", 1}, {"a", 2}, {"a", 5}, {"b", 1}}) {
            char sql[200];
            std::snprintf(sql, sizeof sql, insert, channel, number, number);
            v1.exec(sql);
        }
        v1.exec("INSERT INTO rockets VALUES ('a', 'Falcon-9', 500, 'ARTEMIS', 1, NULL, 'x', 'y', 2)");
    }
    stores.open();
    EXPECT_EQ(RawConnection(stores.path()).scalar("PRAGMA user_version"), "2");
    ChangedChannels all = stores.events().changedSince(0);
    std::sort(all.channels.begin(), all.channels.end(), [](auto& x, auto& y) { return x.channel < y.channel; });
    EXPECT_EQ(all.channels, (std::vector<ChannelHead>{{"a", 5, 3}, {"b", 1, 1}}));
    EXPECT_EQ(stores.events().read("a", 2, 10), (std::vector<Message>{speedUp("a", 2, 2), speedUp("a", 5, 5)}));
    EXPECT_EQ(stores.rockets().get("a")->lastMessageNumber, 2);

    ASSERT_EQ(stores.events().append(speedUp("a", 3, 3)), AppendResult::Stored);
    EXPECT_EQ(stores.events().changedSince(all.cursor).channels, (std::vector<ChannelHead>{{"a", 5, 4}}));
    stores.close();
    stores.open();  // already version 2: nothing is migrated twice
    EXPECT_TRUE(stores.events().changedSince(all.cursor).channels.size() == 1u);
    EXPECT_EQ(stores.events().changedSince(0).channels.size(), 2u);
    EXPECT_EQ(RawConnection(stores.path()).scalar("SELECT sum(count) FROM channels"), "5");
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
