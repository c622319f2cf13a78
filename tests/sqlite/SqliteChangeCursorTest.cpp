// EventStore::changedSince on SQLite: the cursor carries the database's epoch, so a
// cursor handed out by another database, or by a later state of this one (an older
// copy of the file put back), starts over from every channel instead of missing
// changes; so does one older than the pruned change log. Heads and counts come from
// the events above the projection's version.
#include "SqliteStores.h"

#include "Messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

namespace rockets::test {

TEST(SqliteChangeCursor, ACursorOfAnotherDatabaseListsEveryChannel) {
    SqliteStores first;
    first.open();
    ASSERT_EQ(first.events().append(launched("a", 1)), AppendResult::Stored);
    const std::uint64_t foreign = first.events().changedSince(0).cursor;

    SqliteStores second;
    second.open();
    ASSERT_EQ(second.events().append(launched("b", 1)), AppendResult::Stored);
    const std::uint64_t own = second.events().changedSince(0).cursor;
    ASSERT_NE(foreign, own) << "two databases handed out the same cursor";
    EXPECT_EQ(second.events().changedSince(foreign).channels, (std::vector<ChannelHead>{{"b", 1, 1}}));
    EXPECT_TRUE(second.events().changedSince(own).channels.empty());
}

TEST(SqliteChangeCursor, ACursorBeyondAnOlderCopyOfTheFileListsEveryChannel) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("a", 1)), AppendResult::Stored);
    stores.close();
    const std::string backup = stores.dir().file("backup.db");
    std::filesystem::copy_file(stores.path(), backup);

    stores.open();
    ASSERT_EQ(stores.events().append(launched("b", 1)), AppendResult::Stored);
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    const std::uint64_t later = stores.events().changedSince(0).cursor;
    stores.close();
    std::filesystem::copy_file(backup, stores.path(), std::filesystem::copy_options::overwrite_existing);
    for (const char* suffix : {"-wal", "-shm"}) std::filesystem::remove(stores.path() + suffix);

    stores.open();
    EXPECT_EQ(stores.events().changedSince(later).channels, (std::vector<ChannelHead>{{"a", 1, 1}}));
}

// The count is the projection's version (messages 1..v are all stored) plus the
// messages stored above it, gaps included; the head is the highest of them.
TEST(SqliteChangeCursor, HeadsCountTheProjectionsVersionAndTheMessagesAboveIt) {
    SqliteStores stores;
    stores.open();
    for (int number : {1, 2, 3, 4}) ASSERT_EQ(stores.events().append(speedUp("a", number, 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("a", 3), 0));
    const std::uint64_t before = stores.events().changedSince(0).cursor;
    ASSERT_EQ(stores.events().append(speedUp("a", 7, 1)), AppendResult::Stored);
    ASSERT_EQ(stores.events().append(speedUp("b", 2, 1)), AppendResult::Stored);
    EXPECT_EQ(stores.events().changedSince(before).channels,
              (std::vector<ChannelHead>{{"a", 7, 5}, {"b", 2, 1}}));

    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("a", 4), 3));
    ASSERT_EQ(stores.events().append(speedUp("a", 5, 1)), AppendResult::Stored);
    const ChangedChannels changed = stores.events().changedSince(before);
    EXPECT_EQ(changed.channels, (std::vector<ChannelHead>{{"a", 7, 6}, {"b", 2, 1}}));
    EXPECT_TRUE(stores.events().changedSince(changed.cursor).channels.empty());
    // The pass over every channel (cursor 0, as at start-up) counts the same way.
    EXPECT_EQ(stores.events().changedSince(0).channels, (std::vector<ChannelHead>{{"a", 7, 6}, {"b", 2, 1}}));
}

// Cursor 0 seeks from one channel to the next in key order instead of reading every
// event: each channel once, names that prefix one another included, whatever the
// length of its history, with or without a projection.
TEST(SqliteChangeCursor, CursorZeroListsEveryChannelOnceWithItsHead) {
    SqliteStores stores;
    stores.open();
    const std::vector<std::string> names = {"b", "a", "ab", "a0", "", "zz", "abc"};
    std::vector<ChannelHead> expected;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::int64_t count = static_cast<std::int64_t>(1 + 40 * i);
        for (std::int64_t number = 1; number <= count; ++number) {
            ASSERT_EQ(stores.events().append(speedUp(names[i], number, 1)), AppendResult::Stored);
        }
        // A gap above the head for every other channel: the count is not the head.
        const std::int64_t head = i % 2 == 0 ? count : count + 5;
        if (head != count) {
            ASSERT_EQ(stores.events().append(speedUp(names[i], head, 1)), AppendResult::Stored);
        }
        expected.push_back(ChannelHead{names[i], head, head == count ? count : count + 1});
    }
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("ab", 20), 0));
    std::sort(expected.begin(), expected.end(), [](const ChannelHead& x, const ChannelHead& y) {
        return x.channel < y.channel;
    });
    EXPECT_EQ(stores.events().changedSince(0).channels, expected);
}

// The writer keeps only the newest rows of the change log; a cursor from before the
// oldest row kept could miss a change, so it lists every channel instead.
TEST(SqliteChangeCursor, ACursorOlderThanThePrunedLogListsEveryChannel) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("a", 1)), AppendResult::Stored);
    const std::uint64_t old = stores.events().changedSince(0).cursor;
    ASSERT_EQ(stores.events().append(launched("b", 1)), AppendResult::Stored);
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    const std::uint64_t recent = stores.events().changedSince(old).cursor;
    EXPECT_EQ(stores.events().changedSince(old).channels.size(), 2u);

    RawConnection(stores.path()).exec("DELETE FROM changes WHERE seq <= (SELECT min(seq) + 1 FROM changes)");
    EXPECT_EQ(stores.events().changedSince(old).channels.size(), 3u) << "the change to b was pruned";
    EXPECT_TRUE(stores.events().changedSince(recent).channels.empty());
}

}  // namespace rockets::test
