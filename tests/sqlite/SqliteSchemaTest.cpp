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
    EXPECT_EQ(raw.scalar("PRAGMA user_version"), "3");
    EXPECT_EQ(raw.scalar("SELECT count(*) FROM events"), "1");
    EXPECT_EQ(raw.scalar("SELECT group_concat(channel) FROM changes"), "c");
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

namespace {

/// Writes the layout of schema version 1, verbatim, and events a:1, a:2, a:5, b:1
/// with rocket a applied up to message 2.
void writeVersion1(RawConnection& db) {
    db.exec("CREATE TABLE events (channel TEXT NOT NULL, number INTEGER NOT NULL, type TEXT NOT NULL,"
            " payload TEXT NOT NULL, time TEXT NOT NULL, PRIMARY KEY (channel, number)) WITHOUT ROWID");
    db.exec("CREATE TABLE rockets (channel TEXT NOT NULL PRIMARY KEY, type TEXT NOT NULL, speed INTEGER NOT NULL,"
            " mission TEXT NOT NULL, status INTEGER NOT NULL, reason TEXT, launchedAt TEXT NOT NULL,"
            " updatedAt TEXT NOT NULL, lastMessageNumber INTEGER NOT NULL) WITHOUT ROWID");
    for (const char* field : {"type", "mission", "speed", "status", "launchedAt", "updatedAt", "lastMessageNumber"}) {
        db.exec(std::string("CREATE INDEX rockets_by_") + field + " ON rockets (" + field + ", channel)");
    }
    db.exec("PRAGMA application_id = " + std::to_string(0x524F434B));  // "ROCK"
    db.exec("PRAGMA user_version = 1");
    db.exec("PRAGMA journal_mode = WAL");
    const char* insert = "INSERT INTO events VALUES ('%s', %d, 'RocketSpeedIncreased', '{\"by\":%d}', "
                         "'2022-02-02T19:40:00Z')";
    for (const auto& [channel, number] : std::vector<std::pair<const char*, int>>{{"a", 1}, {"a", 2}, {"a", 5}, {"b", 1}}) {
        char sql[200];
        std::snprintf(sql, sizeof sql, insert, channel, number, number);
        db.exec(sql);
    }
    db.exec("INSERT INTO rockets VALUES ('a', 'Falcon-9', 500, 'ARTEMIS', 1, NULL, 'x', 'y', 2)");
}

/// What an old database of writeVersion1's content reads as once migrated: every
/// channel from cursor 0, heads and counts from the events; then an append is a change.
void expectMigratedLog(SqliteStores& stores) {
    EXPECT_EQ(RawConnection(stores.path()).scalar("PRAGMA user_version"), "3");
    ChangedChannels all = stores.events().changedSince(0);
    std::sort(all.channels.begin(), all.channels.end(), [](auto& x, auto& y) { return x.channel < y.channel; });
    EXPECT_EQ(all.channels, (std::vector<ChannelHead>{{"a", 5, 3}, {"b", 1, 1}}));
    EXPECT_EQ(stores.events().read("a", 2, 10), (std::vector<Message>{speedUp("a", 2, 2), speedUp("a", 5, 5)}));
    EXPECT_EQ(stores.rockets().get("a")->lastMessageNumber, 2);

    ASSERT_EQ(stores.events().append(speedUp("a", 3, 3)), AppendResult::Stored);
    EXPECT_EQ(stores.events().changedSince(all.cursor).channels, (std::vector<ChannelHead>{{"a", 5, 4}}));
    stores.close();
    stores.open();  // already version 3: nothing is migrated twice
    EXPECT_EQ(stores.events().changedSince(all.cursor).channels, (std::vector<ChannelHead>{{"a", 5, 4}}));
    EXPECT_EQ(stores.events().changedSince(0).channels.size(), 2u);
    EXPECT_EQ(RawConnection(stores.path()).scalar("SELECT group_concat(channel) FROM changes"), "a");
}

}  // namespace

// A database written by a build of schema version 1: opening it migrates it in place
// to the current version, whose change log starts empty.
TEST(SqliteSchema, Version1DatabaseIsMigratedInPlace) {
    SqliteStores stores;
    {
        RawConnection v1(stores.path());
        writeVersion1(v1);
    }
    stores.open();
    expectMigratedLog(stores);
}

// Version 2 kept a per-channel summary (`channels`, with a sequence index) instead of
// the change log; the migration drops it and draws a new epoch, so that a cursor
// handed out before lists every channel, even once the new log's sequence numbers
// have passed it (with the old epoch it would skip the first changes).
TEST(SqliteSchema, Version2DatabaseIsMigratedInPlaceAndItsCursorsStartOver) {
    SqliteStores stores;
    {
        RawConnection v2(stores.path());
        writeVersion1(v2);
        v2.exec("CREATE TABLE channels (channel TEXT NOT NULL PRIMARY KEY, head INTEGER NOT NULL,"
                " count INTEGER NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID");
        v2.exec("CREATE INDEX channels_by_seq ON channels (seq)");
        v2.exec("CREATE TABLE meta (key TEXT NOT NULL PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
        v2.exec("INSERT INTO channels VALUES ('a', 5, 3, 1), ('b', 1, 1, 1)");
        v2.exec("INSERT INTO meta VALUES ('epoch', 4660)");
        v2.exec("PRAGMA user_version = 2");
    }
    const std::uint64_t oldCursor = (std::uint64_t{4660} << 48) | 1;
    stores.open();
    EXPECT_EQ(RawConnection(stores.path()).scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'channels%'"), "0");
    expectMigratedLog(stores);  // stores change 1 (channel a)

    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);  // change 2
    EXPECT_EQ(stores.events().changedSince(oldCursor).channels.size(), 3u);
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
