#include "rockets/Backlog.h"

#include <gtest/gtest.h>

namespace rockets {
namespace {

ChannelHead head(const std::string& channel, std::int64_t highest, std::int64_t stored) {
    ChannelHead h;
    h.channel = channel;
    h.highestNumber = highest;
    h.storedCount = stored;
    return h;
}

TEST(Backlog, AppendsCountAndApplyingTakesThemOff) {
    Backlog backlog;
    for (int i = 0; i < 3; ++i) backlog.stored("a");
    backlog.stored("b");
    EXPECT_EQ(backlog.entry("a").unapplied(), 3);
    EXPECT_EQ(backlog.unapplied(), 4);
    backlog.applied("a", 2);
    EXPECT_EQ(backlog.entry("a").unapplied(), 1);
    EXPECT_EQ(backlog.unapplied(), 2);
    backlog.applied("a", 1);  // versions only grow
    EXPECT_EQ(backlog.entry("a").applied, 2);
}

TEST(Backlog, AHeadFromTheStoreNeverLowersTheCount) {
    Backlog backlog;
    for (int i = 0; i < 3; ++i) backlog.stored("a");
    backlog.observed(head("a", 9, 2));  // a snapshot taken before the third append
    EXPECT_EQ(backlog.entry("a").storedCount, 3);
    backlog.observed(head("a", 9, 5));  // another process appended too
    EXPECT_EQ(backlog.entry("a").storedCount, 5);
}

TEST(Backlog, ACountReadWhileAnAppendRacedKeepsThatAppend) {
    Backlog backlog;
    backlog.stored("a");
    backlog.stored("a");
    const std::int64_t mark = backlog.appendMark("a");
    // The consumer's read sees the two messages; a third is appended (and counted)
    // before the read's count arrives.
    backlog.stored("a");
    backlog.counted("a", 2, mark);
    EXPECT_EQ(backlog.entry("a").storedCount, 3) << "the racing append was lost: the limits would let more in";
    // A count read after a fresh mark is taken as it is.
    backlog.counted("a", 2, backlog.appendMark("a"));
    EXPECT_EQ(backlog.entry("a").storedCount, 2);
}

TEST(Backlog, AStuckChannelNeedsNoWorkUntilItChanges) {
    Backlog backlog;
    backlog.stored("a");
    EXPECT_TRUE(backlog.needsWork("a"));
    backlog.stuck("a");
    EXPECT_FALSE(backlog.needsWork("a"));
    backlog.stored("a");
    EXPECT_TRUE(backlog.needsWork("a"));
    EXPECT_FALSE(backlog.needsWork("unknown"));
}

TEST(Backlog, AStuckChannelTheStoreReportsChangedNeedsWorkEvenIfItsCountDidNotMove) {
    Backlog backlog;
    // Two messages counted, though only one is stored: a count can run one high when
    // an append races with the consumer's read (ACountReadWhileAnAppendRacedKeepsThatAppend).
    backlog.stored("a");
    backlog.stored("a");
    backlog.stuck("a");  // message 1 is missing
    EXPECT_FALSE(backlog.needsWork("a"));
    // Another process stores message 1; the sweep sees the channel changed, with the
    // count this process already (wrongly) had. It must not stay stuck forever.
    backlog.observed(head("a", 2, 2));
    EXPECT_TRUE(backlog.needsWork("a"));
}

}  // namespace
}  // namespace rockets
