// EventTable's change log on its own, on one Poco::Data session: the pruning the writer
// runs once per 64 storing transactions. Through the plugin it only starts beyond a
// million rows (Writer::kChangesKept), so the table's functions are compiled in here, as
// the WAL VFS's are for its test.
#include "Connection.h"
#include "EventTable.h"
#include "Schema.h"

#include "Messages.h"
#include "TempDir.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/Session.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace rockets::test {

namespace {

using sqlite::Connection;
namespace EventTable = sqlite::EventTable;

class ChangeLog : public ::testing::Test {
protected:
    ChangeLog() {
        Poco::Data::SQLite::Connector::registerConnector();
        const std::string path = dir_.file("rockets.db");
        auto session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, path);
        epoch_ = sqlite::Schema::ensure(*session, path);
        connection_ = std::make_unique<Connection>(std::move(session), 1);
    }
    ~ChangeLog() override {
        connection_.reset();
        Poco::Data::SQLite::Connector::unregisterConnector();
    }

    /// One transaction storing message 1 of `channel`; returns its change's seq.
    std::int64_t store(const std::string& channel) {
        const Message message = launched(channel, 1);
        EXPECT_EQ(EventTable::insert(*connection_, {message, "RocketLaunched", "{}"}), AppendResult::Stored);
        return EventTable::recordStored(*connection_, {message.channel});
    }

    ChangedChannels changedSince(std::uint64_t cursor) {
        return EventTable::changedSince(*connection_, cursor, epoch_);
    }

    std::int64_t rows() {
        std::int64_t count = 0;
        connection_->session() << "SELECT count(*) FROM changes", Poco::Data::Keywords::into(count),
            Poco::Data::Keywords::now;
        return count;
    }

    TempDir dir_;
    std::uint16_t epoch_ = 0;
    std::unique_ptr<Connection> connection_;
};

}  // namespace

// Pruning to the newest five of ten rows keeps exactly seq 6..10: a cursor at 5 still
// reads only what follows it, a cursor at 3 (whose changes 4 and 5 are gone) gets every
// channel instead of missing them.
TEST_F(ChangeLog, PruningKeepsTheNewestRowsAndAnOlderCursorListsEveryChannel) {
    for (int i = 0; i < 3; ++i) store("c" + std::to_string(i));
    const std::uint64_t at3 = changedSince(0).cursor;
    for (int i = 3; i < 5; ++i) store("c" + std::to_string(i));
    const std::uint64_t at5 = changedSince(at3).cursor;
    std::int64_t last = 0;
    for (int i = 5; i < 10; ++i) last = store("c" + std::to_string(i));
    ASSERT_EQ(last, 10);
    ASSERT_EQ(changedSince(at3).channels.size(), 7u);

    EventTable::pruneChanges(*connection_, last, 5);
    EXPECT_EQ(rows(), 5);
    const ChangedChannels after5 = changedSince(at5);
    ASSERT_EQ(after5.channels.size(), 5u);
    EXPECT_EQ(after5.channels.front(), (ChannelHead{"c5", 1, 1}));
    EXPECT_EQ(after5.channels.back(), (ChannelHead{"c9", 1, 1}));
    EXPECT_EQ(changedSince(at3).channels.size(), 10u);

    EventTable::pruneChanges(*connection_, last, 20);  // fewer rows than kept: nothing goes
    EXPECT_EQ(rows(), 5);
}

}  // namespace rockets::test
