// Faults of the database underneath a running store: the store answers
// StoreUnavailableException (HTTP 503) for writes it could not commit, keeps
// serving reads, and recovers by itself once the condition clears.
#include "SqliteStores.h"

#include "Messages.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <linux/capability.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <unistd.h>

#include <csignal>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <thread>

namespace rockets::test {

namespace {

/// Removes the capabilities that let root ignore file permissions from the calling
/// thread's effective set (Linux capabilities are per thread; threads it starts
/// inherit the reduced set). A no-op for a user without them.
void obeyFilePermissionsInThisThread() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &header, data) != 0) throw std::runtime_error("capget failed");
    for (int cap : {CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER}) {
        data[cap / 32].effective &= ~(1u << (cap % 32));
    }
    if (syscall(SYS_capset, &header, data) != 0) throw std::runtime_error("capset failed");
}

bool writable(const std::string& path) {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) return false;
    ::close(fd);
    return true;
}

/// Appends `message` until it is stored or `attempts` appends failed with
/// StoreUnavailableException (a retrying client); after each failure the reads a
/// dashboard makes must still answer. Returns the number of failed attempts.
int appendUntilStored(SqliteStores& stores, const Message& message, int attempts) {
    for (int failed = 0; failed < attempts; ++failed) {
        try {
            EXPECT_EQ(stores.events().append(message), AppendResult::Stored);
            return failed;
        } catch (const StoreUnavailableException&) {
            EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
            EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
        }
    }
    return attempts;
}

/// Runs on a thread that obeys file permissions: opens the stores on a read-only
/// file, expects writes to fail and reads to work, then makes the files writable
/// and expects the same store objects to write again after a bounded number of
/// retries, without a reopen. (SQLite's unix VFS shares per-file state between
/// the connections of a process, so a connection first opened read-only keeps later
/// ones read-only until all have closed: the stores must close them all by
/// themselves when a write meets the read-only file.)
void readOnlyScenario(SqliteStores& stores) {
    obeyFilePermissionsInThisThread();
    ASSERT_EQ(::chmod(stores.path().c_str(), 0444), 0);
    ASSERT_FALSE(writable(stores.path())) << "precondition: the database file must really be read-only";

    stores.open();
    EXPECT_THROW(stores.events().append(speedUp("c", 2, 10)), StoreUnavailableException);
    EXPECT_THROW(stores.rockets().compareAndSet(rocket("c", 2), 1), StoreUnavailableException);
    EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
    EXPECT_EQ(stores.events().changedSince(0).channels.size(), 1u);
    // Other store objects on the same file, opened now and left idle, as the
    // projection is while appends fail: their connections share the read-only
    // state too, and nothing but the failing writes can tell them to close.
    SqliteStores bystander;
    bystander.config().setString("rockets.sqlite.path", stores.path());
    bystander.open();
    EXPECT_EQ(bystander.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
    EXPECT_EQ(bystander.rockets().get("c"), rocket("c", 1));
    // Still read-only: retrying changes nothing, and reads keep answering.
    EXPECT_EQ(appendUntilStored(stores, speedUp("c", 2, 10), 3), 3);

    // SQLite creates the -wal and -shm files with the database's mode, so the
    // condition clears when all of the database's files are writable again.
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string file = stores.path() + suffix;
        if (::access(file.c_str(), F_OK) == 0) {
            ASSERT_EQ(::chmod(file.c_str(), 0644), 0) << file;
        }
    }
    // The connections opened while the file was read-only (readers, both writers,
    // the bystander's) are what keeps it read-only; the first failed write makes
    // them all close.
    constexpr int kAttempts = 5;
    EXPECT_LT(appendUntilStored(stores, speedUp("c", 2, 10), kAttempts), kAttempts)
        << "the store did not recover without a reopen after the file became writable";
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("c", 2), 1));
    EXPECT_EQ(stores.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 2));
    EXPECT_EQ(bystander.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
    EXPECT_EQ(bystander.rockets().get("c"), rocket("c", 2));
    EXPECT_TRUE(bystander.rockets().compareAndSet(rocket("c", 3), 2)) << "the bystander's writer must recover too";
    bystander.close();
    stores.close();
}

}  // namespace

TEST(SqliteFaults, LockedDatabaseFailsWritesKeepsReadsAndRecovers) {
    SqliteStores stores;
    stores.config().setInt("rockets.sqlite.busyTimeoutMs", 100);
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));

    RawConnection other(stores.path());
    other.exec("BEGIN EXCLUSIVE");
    EXPECT_THROW(stores.events().append(speedUp("c", 2, 10)), StoreUnavailableException);
    EXPECT_THROW(stores.rockets().compareAndSet(rocket("c", 2), 1), StoreUnavailableException);
    // Readers have their own connections and a WAL snapshot: the lock does not stop them.
    EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
    other.exec("ROLLBACK");

    EXPECT_EQ(stores.events().append(speedUp("c", 2, 10)), AppendResult::Stored)
        << "the failed append must not have stored anything";
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("c", 2), 1));
    EXPECT_EQ(stores.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
}

TEST(SqliteFaults, LockedDatabaseFailsEveryAppendOfTheBatch) {
    SqliteStores stores;
    stores.config().setInt("rockets.sqlite.busyTimeoutMs", 200);
    stores.open();
    RawConnection other(stores.path());
    other.exec("BEGIN EXCLUSIVE");
    constexpr int kThreads = 8;
    std::vector<int> unavailable(kThreads, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            try {
                stores.events().append(launched("t" + std::to_string(t), 1));
            } catch (const StoreUnavailableException&) {
                unavailable[t] = 1;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    other.exec("ROLLBACK");
    for (int t = 0; t < kThreads; ++t) {
        EXPECT_EQ(unavailable[t], 1) << "thread " << t << " was told its message is stored";
        EXPECT_EQ(stores.events().append(launched("t" + std::to_string(t), 1)), AppendResult::Stored);
    }
}

// Root ignores permission bits, so chmod alone proves nothing when the tests run as
// root (as in CI containers). The store is therefore opened from a thread that has
// given up the capabilities that bypass permissions, so its connections, and the
// writer thread it starts, meet the read-only file exactly as an unprivileged
// service account would. The test checks that precondition itself.
TEST(SqliteFaults, ReadOnlyFileFailsWritesKeepsReadsAndRecoversWithoutReopen) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));
    stores.close();

    std::thread unprivileged([&] {
        try {
            readOnlyScenario(stores);
        } catch (const Poco::Exception& e) {
            ADD_FAILURE() << "unexpected exception: " << e.displayText();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "unexpected exception: " << e.what();
        }
    });
    unprivileged.join();

    stores.open();
    EXPECT_EQ(stores.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 3));
}

// A full disk, made real with RLIMIT_FSIZE: every write to a regular file fails with
// EFBIG, exactly as with ENOSPC, and the limit binds root too.
TEST(SqliteFaults, FullDiskFailsAppendsAndRecovers) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);

    struct rlimit saved {};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto* previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit full = saved;
    full.rlim_cur = 0;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &full), 0);
    bool failed = false;
    try {
        stores.events().append(speedUp("c", 2, 10));
    } catch (const StoreUnavailableException&) {
        failed = true;
    }
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, previousHandler);
    EXPECT_TRUE(failed) << "append reported success while no file could grow";

    EXPECT_EQ(stores.events().append(speedUp("c", 2, 10)), AppendResult::Stored);
    stores.close();
    stores.open();
    EXPECT_EQ(stores.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
}

}  // namespace rockets::test
