// StoreBackend::health() and describe() of the Redis backend: the address and
// Redis' own cause instead of "Store unavailable", failing writes reported until a
// write succeeds again, and an outage that does not flood the log.
#include "Messages.h"
#include "RedisStores.h"

#include "rockets/StoreErrors.h"

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>

#include <gtest/gtest.h>

#include <mutex>

namespace rockets::test {

namespace {

constexpr std::chrono::milliseconds kTimeout{400};

/// Counts the messages of one logger at warning level or above while it is installed.
class CountingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        if (message.getPriority() > Poco::Message::PRIO_WARNING) return;
        std::lock_guard lock(mutex_);
        ++count_;
    }
    int count() const {
        std::lock_guard lock(mutex_);
        return count_;
    }

private:
    mutable std::mutex mutex_;
    int count_ = 0;
};

/// Routes the logger `name` to `channel` for the lifetime of this object.
class LoggerCapture {
public:
    LoggerCapture(const std::string& name, Poco::AutoPtr<Poco::Channel> channel)
        : logger_(Poco::Logger::get(name)), previous_(logger_.getChannel(), true), level_(logger_.getLevel()) {
        logger_.setChannel(channel);  // shared with the caller (a raw pointer would hand over the caller's reference)
        logger_.setLevel(Poco::Message::PRIO_INFORMATION);
    }
    ~LoggerCapture() {
        logger_.setChannel(previous_);
        logger_.setLevel(level_);
    }

private:
    Poco::Logger& logger_;
    Poco::AutoPtr<Poco::Channel> previous_;
    int level_;
};

}  // namespace

TEST(RedisHealth, ADownRedisIsReportedWithItsAddressAndTheCause) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("down"), kTimeout);
    stores.open();
    ASSERT_TRUE(stores.backend().health().ok);

    server.stop();
    const StoreHealth down = stores.backend().health();
    EXPECT_FALSE(down.ok);
    EXPECT_NE(down.detail.find("connect on unix:" + server.socketPath() + " failed: No such file or directory"),
              std::string::npos)
        << down.detail;

    server.start();
    const StoreHealth back = stores.backend().health();
    EXPECT_TRUE(back.ok) << back.detail;
    EXPECT_EQ(back.detail, "ok");
}

TEST(RedisHealth, WritesRefusedForMemoryMakeItUnhealthyUntilAWriteSucceeds) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("oom"), kTimeout);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("o", 1)), AppendResult::Stored);

    ASSERT_EQ(server.command({"CONFIG", "SET", "maxmemory", "1"}), "OK");  // noeviction: writes get OOM
    EXPECT_THROW(stores.events().append(speedUp("o", 2, 1)), StoreUnavailableException);
    EXPECT_EQ(stores.events().read("o", 1, 10).size(), 1u) << "reads still work";
    const StoreHealth refused = stores.backend().health();
    EXPECT_FALSE(refused.ok) << "Redis answers PING, but writes fail";
    EXPECT_NE(refused.detail.find("OOM"), std::string::npos) << refused.detail;
    EXPECT_NE(refused.detail.find(server.socketPath()), std::string::npos) << refused.detail;

    ASSERT_EQ(server.command({"CONFIG", "SET", "maxmemory", "0"}), "OK");
    const StoreHealth back = stores.backend().health();
    EXPECT_TRUE(back.ok) << "the probe write succeeds, with no traffic needed: " << back.detail;
    EXPECT_EQ(stores.events().append(speedUp("o", 2, 1)), AppendResult::Stored);
}

TEST(RedisHealth, AReadOnlyReplicaIsUnhealthyForCompareAndSetsToo) {
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("replica"), kTimeout);
    stores.open();
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("r", 1), 0));

    // A replica of a primary that does not exist: it keeps its data and refuses writes.
    ASSERT_EQ(server.command({"REPLICAOF", "127.0.0.1", "1"}), "OK");
    EXPECT_THROW(stores.rockets().compareAndSet(rocket("r", 2), 1), StoreUnavailableException);
    const StoreHealth readOnly = stores.backend().health();
    EXPECT_FALSE(readOnly.ok);
    EXPECT_NE(readOnly.detail.find("READONLY"), std::string::npos) << readOnly.detail;

    ASSERT_EQ(server.command({"REPLICAOF", "NO", "ONE"}), "OK");
    EXPECT_TRUE(stores.backend().health().ok);
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("r", 2), 1));
}

TEST(RedisHealth, DescribeNamesAddressDatabaseAndPrefixButNeverThePassword) {
    RedisServer server;
    ASSERT_EQ(server.command({"CONFIG", "SET", "requirepass", "s3cret-w0rd"}), "OK");
    const std::string prefix = RedisStores::uniquePrefix("describe");
    RedisStores stores(server, prefix, kTimeout);
    stores.set("rockets.redis.password", "s3cret-w0rd");
    stores.set("rockets.redis.db", "2");
    stores.open();
    const std::string text = stores.backend().describe();
    EXPECT_NE(text.find("unix:" + server.socketPath()), std::string::npos) << text;
    EXPECT_NE(text.find("db 2"), std::string::npos) << text;
    EXPECT_NE(text.find("'" + prefix + "'"), std::string::npos) << text;
    EXPECT_NE(text.find("appendonly yes"), std::string::npos) << "the durability in force: " << text;
    EXPECT_EQ(text.find("s3cret-w0rd"), std::string::npos) << text;
}

TEST(RedisHealth, AnOutageLogsItsStartAndEndNotEveryFailedCall) {
    Poco::AutoPtr<CountingChannel> channel(new CountingChannel);
    LoggerCapture capture("rockets.redis", channel);
    RedisServer server;
    RedisStores stores(server, RedisStores::uniquePrefix("quiet"), kTimeout);
    stores.open();
    const int before = channel->count();

    server.stop();
    for (int n = 2; n < 40; ++n) {
        EXPECT_THROW(stores.events().append(speedUp("q", n, 1)), StoreUnavailableException);
        EXPECT_THROW(stores.rockets().compareAndSet(rocket("q", n), n - 1), StoreUnavailableException);
    }
    server.start();
    EXPECT_EQ(stores.events().append(speedUp("q", 40, 1)), AppendResult::Stored);
    EXPECT_EQ(channel->count() - before, 1) << "one warning when writes start failing; recovery is information";
}

}  // namespace rockets::test
