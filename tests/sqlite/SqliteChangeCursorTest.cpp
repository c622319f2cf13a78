// EventStore::changedSince on SQLite: the cursor carries the database's epoch, so a
// cursor handed out by another database, or by a later state of this one (an older
// copy of the file put back), starts over from every channel instead of missing
// changes.
#include "SqliteStores.h"

#include "Messages.h"

#include <gtest/gtest.h>

#include <filesystem>

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

}  // namespace rockets::test
