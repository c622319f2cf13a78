// Faults of the database underneath a running store: the store answers
// StoreUnavailableException (HTTP 503) for writes it could not commit, keeps
// serving reads, says in health() which file is in the way and why, and recovers by
// itself once the condition clears.
#include "SqliteStores.h"

#include "Messages.h"

#include "rockets/StoreErrors.h"

#include <gtest/gtest.h>

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <thread>

namespace rockets::test {

namespace {

/// Appends `message` until it is stored or `attempts` appends failed with
/// StoreUnavailableException (a retrying client); after each failure the reads a
/// dashboard makes must still answer. Returns the number of failed attempts.
int appendUntilStored(SqliteStores& stores, const Message& message, int attempts) {
    for (int failed = 0; failed < attempts; ++failed) {
        try {
            EXPECT_EQ(stores.events().append(message), AppendResult::Stored);
            return failed;
        } catch (const StoreUnavailableException&) {
            EXPECT_EQ(stores.events().read("c", 1, 1), std::vector<Message>{launched("c", 1)});
            EXPECT_TRUE(stores.rockets().get("c").has_value());
        }
    }
    return attempts;
}

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

/// A database with message 1 and rocket version 1 of channel "c", closed. The store
/// keeps its working files (-wal, -shm) when it closes.
void seed(SqliteStores& stores) {
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));
    stores.close();
    for (const char* suffix : {"-wal", "-shm"}) {
        ASSERT_EQ(::access((stores.path() + suffix).c_str(), F_OK), 0) << suffix << " was not kept";
    }
}

/// Sets or clears the immutable attribute of `path` (chattr +i / -i); false when the
/// file system or the process cannot.
bool setImmutable(const std::string& path, bool immutable) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    int flags = 0;
    bool ok = ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0;
    if (ok) {
        flags = immutable ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
        ok = ::ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
    ::close(fd);
    return ok;
}

/// Runs `scenario` on a thread that obeys file permissions (see the tests below).
template <typename Scenario>
void asUnprivileged(Scenario&& scenario) {
    std::thread unprivileged([&] {
        try {
            obeyFilePermissionsInThisThread();
            scenario();
        } catch (const Poco::Exception& e) {
            ADD_FAILURE() << "unexpected exception: " << e.displayText();
        } catch (const std::exception& e) {
            ADD_FAILURE() << "unexpected exception: " << e.what();
        }
    });
    unprivileged.join();
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
    const StoreHealth locked = stores.backend().health();
    EXPECT_FALSE(locked.ok);
    EXPECT_NE(locked.detail.find(stores.path() + ": database is locked"), std::string::npos) << locked.detail;
    // Readers have their own connections and a WAL snapshot: the lock does not stop them.
    EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
    other.exec("ROLLBACK");

    EXPECT_TRUE(stores.backend().health().ok) << "health probes the writer instead of waiting for traffic";
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
// root (as in CI containers). The stores are therefore opened from a thread that has
// given up the capabilities that bypass permissions, so their connections, and the
// writer thread they start, meet the read-only file exactly as an unprivileged
// service account would; the test checks that precondition itself.
//
// SQLite creates -wal and -shm with the database file's mode. Started on a read-only
// database it leaves read-only working files, which kept the database unwritable
// after the operator made rockets.db writable again, also across restarts. The
// operator fixes rockets.db only; the store must write again without a reopen.
TEST(SqliteFaults, DatabaseStartedReadOnlyWritesAgainOnceTheDatabaseFileIsMadeWritable) {
    SqliteStores stores;
    seed(stores);
    // Without working files, as a database copied in from elsewhere.
    for (const char* suffix : {"-wal", "-shm"}) ASSERT_EQ(::unlink((stores.path() + suffix).c_str()), 0);
    const std::string wal = stores.path() + "-wal";
    asUnprivileged([&] {
        ASSERT_EQ(::chmod(stores.path().c_str(), 0444), 0);
        ASSERT_FALSE(writable(stores.path())) << "precondition: the database file must really be read-only";

        stores.open();
        const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 10)); });
        EXPECT_NE(refused.find(stores.path() + " is not writable"), std::string::npos) << refused;
        EXPECT_THROW(stores.rockets().compareAndSet(rocket("c", 2), 1), StoreUnavailableException);
        const StoreHealth health = stores.backend().health();
        EXPECT_FALSE(health.ok);
        EXPECT_NE(health.detail.find(stores.path() + " is not writable"), std::string::npos) << health.detail;
        EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
        EXPECT_EQ(stores.rockets().get("c"), rocket("c", 1));
        EXPECT_EQ(stores.events().changedSince(0).channels.size(), 1u);
        ASSERT_EQ(::access(wal.c_str(), F_OK), 0) << "precondition: SQLite created the WAL";
        ASSERT_FALSE(writable(wal)) << "precondition: SQLite made the WAL as read-only as the database";

        ASSERT_EQ(::chmod(stores.path().c_str(), 0644), 0);  // what the operator fixes
        constexpr int kAttempts = 5;
        EXPECT_LT(appendUntilStored(stores, speedUp("c", 2, 10), kAttempts), kAttempts)
            << "the store did not write again after the database file became writable";
        EXPECT_TRUE(stores.rockets().compareAndSet(rocket("c", 2), 1));
        EXPECT_TRUE(stores.backend().health().ok) << stores.backend().health().detail;
        EXPECT_TRUE(writable(wal));
        stores.close();

        stores.open();  // a restart
        EXPECT_EQ(stores.events().append(speedUp("c", 3, 1)), AppendResult::Stored);
        stores.close();
    });
    stores.open();
    EXPECT_EQ(stores.events().read("c", 1, 10),
              (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10), speedUp("c", 3, 1)}));
    EXPECT_EQ(stores.rockets().get("c"), rocket("c", 2));
}

// The same leftovers found at start-up: a writable database with read-only working
// files (a server stopped while the database was read-only) writes at once.
TEST(SqliteFaults, ReadOnlyWorkingFilesLeftByAnEarlierRunAreRepairedAtOpen) {
    SqliteStores stores;
    seed(stores);
    for (const char* suffix : {"-wal", "-shm"}) ASSERT_EQ(::chmod((stores.path() + suffix).c_str(), 0444), 0);
    asUnprivileged([&] {
        ASSERT_FALSE(writable(stores.path() + "-shm")) << "precondition";
        stores.open();
        EXPECT_EQ(stores.events().append(speedUp("c", 2, 10)), AppendResult::Stored);
        EXPECT_TRUE(stores.backend().health().ok);
        stores.close();
    });
}

// A database the service account may not write because it belongs to someone else
// (a server once run as another user): the error and health() name the file and its
// owner. (SQLite, running as root, gives the working files the database's owner.)
TEST(SqliteFaults, DatabaseOwnedBySomeoneElseIsNamedWithItsOwner) {
    SqliteStores stores;
    seed(stores);
    ASSERT_EQ(::chown(stores.path().c_str(), 12345, 12345), 0);
    asUnprivileged([&] {
        ASSERT_FALSE(writable(stores.path())) << "precondition";
        stores.open();
        const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 10)); });
        EXPECT_NE(refused.find(stores.path() + " is not writable (Permission denied, mode 0644, owner uid 12345"),
                  std::string::npos)
            << refused;
        const StoreHealth health = stores.backend().health();
        EXPECT_FALSE(health.ok);
        EXPECT_NE(health.detail.find(stores.path() + " is not writable"), std::string::npos) << health.detail;
        stores.close();
    });
}

// An immutable -shm (chattr +i) found at start-up: the database opens, reads work,
// writes fail naming the -shm, and resume once the attribute is gone.
TEST(SqliteFaults, ImmutableShmIsNamedAndWritesResumeWhenItIsCleared) {
    SqliteStores stores;
    seed(stores);
    const std::string shm = stores.path() + "-shm";
    if (!setImmutable(shm, true)) GTEST_SKIP() << "cannot set the immutable attribute here (needs root on ext4/xfs)";
    try {
        stores.open();
        EXPECT_EQ(stores.events().read("c", 1, 10), std::vector<Message>{launched("c", 1)});
        const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 10)); });
        EXPECT_NE(refused.find(shm + " is not writable (Operation not permitted"), std::string::npos) << refused;
        EXPECT_NE(stores.backend().health().detail.find(shm), std::string::npos);
    } catch (...) {
        setImmutable(shm, false);
        throw;
    }
    ASSERT_TRUE(setImmutable(shm, false));
    EXPECT_LT(appendUntilStored(stores, speedUp("c", 2, 10), 5), 5);
    EXPECT_TRUE(stores.backend().health().ok) << stores.backend().health().detail;
}

// chattr +i on the WAL of a running server: its writes fail with EPERM although
// every mode bit allows them; health() names the WAL, and writes resume after chattr -i.
TEST(SqliteFaults, ImmutableWalFailsWritesHealthNamesItAndWritesResumeAfterward) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);
    ASSERT_TRUE(stores.rockets().compareAndSet(rocket("c", 1), 0));
    const std::string wal = stores.path() + "-wal";
    if (!setImmutable(wal, true)) GTEST_SKIP() << "cannot set the immutable attribute here (needs root on ext4/xfs)";

    const std::string refused = unavailableMessage([&] { stores.events().append(speedUp("c", 2, 10)); });
    const StoreHealth health = stores.backend().health();
    setImmutable(wal, false);
    EXPECT_NE(refused.find(wal + " is not writable"), std::string::npos) << refused;
    EXPECT_FALSE(health.ok);
    EXPECT_NE(health.detail.find(wal + " is not writable"), std::string::npos) << health.detail;
    EXPECT_NE(health.detail.find("immutable"), std::string::npos) << health.detail;

    EXPECT_LT(appendUntilStored(stores, speedUp("c", 2, 10), 5), 5);
    EXPECT_TRUE(stores.backend().health().ok);
    EXPECT_TRUE(stores.rockets().compareAndSet(rocket("c", 2), 1));
}

// A full disk, made real with RLIMIT_FSIZE: every write to a regular file fails with
// EFBIG, exactly as with ENOSPC, and the limit binds root too. health() reports the
// failure with its cause, and turns ok by itself once writes work again.
TEST(SqliteFaults, FullDiskFailsAppendsHealthTellsAndRecovers) {
    SqliteStores stores;
    stores.open();
    ASSERT_EQ(stores.events().append(launched("c", 1)), AppendResult::Stored);

    struct rlimit saved {};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto* previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit full = saved;
    full.rlim_cur = 0;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &full), 0);
    std::string refused;
    try {
        stores.events().append(speedUp("c", 2, 10));
    } catch (const StoreUnavailableException& e) {
        refused = e.displayText();
    }
    const StoreHealth health = stores.backend().health();
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, previousHandler);
    EXPECT_FALSE(refused.empty()) << "append reported success while no file could grow";
    EXPECT_FALSE(health.ok);
    EXPECT_NE(health.detail.find(stores.path()), std::string::npos) << health.detail;
    EXPECT_NE(health.detail.find("File too large"), std::string::npos) << health.detail;

    EXPECT_TRUE(stores.backend().health().ok) << "a cleared fault shows without waiting for an append";
    EXPECT_EQ(stores.events().append(speedUp("c", 2, 10)), AppendResult::Stored);
    stores.close();
    stores.open();
    EXPECT_EQ(stores.events().read("c", 1, 10), (std::vector<Message>{launched("c", 1), speedUp("c", 2, 10)}));
}

/// What the WAL did while rewriteUnderASmallVolume() ran.
struct WalHistory {
    std::string failure;          ///< the first failed write, if any
    std::uintmax_t largest = 0;   ///< the WAL's largest size after a transaction
    int resets = 0;               ///< times it started over (its header's checkpoint sequence moved)
    bool shrank = false;          ///< its size went down after some transaction
    std::uintmax_t sizeAfterReset = 0;  ///< its size after the first transaction of the last reset
};

/// The checkpoint sequence number of the WAL's header (bytes 12-15, big-endian): the
/// WAL file format's count of resets.
std::uint32_t walCheckpointSequence(const std::string& wal) {
    std::ifstream in(wal, std::ios::binary);
    unsigned char bytes[16] = {};
    in.read(reinterpret_cast<char*>(bytes), sizeof bytes);
    return std::uint32_t{bytes[12]} << 24 | std::uint32_t{bytes[13]} << 16 | std::uint32_t{bytes[14]} << 8 |
           std::uint32_t{bytes[15]};
}

/// A small volume, made real with RLIMIT_FSIZE (no file of the process may grow past
/// `volume`): rewrites the projection over and over, some 320 MB of WAL, while readers
/// keep reading; notes the WAL's size and header after every transaction. (Without
/// checkpoints the WAL would pass the limit within the first few hundred transactions.)
WalHistory rewriteUnderASmallVolume(SqliteStores& stores, rlim_t volume) {
    constexpr int kRockets = 200;
    constexpr std::int64_t kVersions = 800;
    // Rows of ~1.6 KB: two to a page, so every version rewrites some 100 pages.
    const std::string mission(1500, 'M');
    const auto version = [&](int r, std::int64_t v) { return rocket("r" + std::to_string(r), v, "Falcon-9", 500, mission); };
    std::vector<RocketWrite> writes;
    for (int r = 0; r < kRockets; ++r) writes.push_back({version(r, 1), 0});
    EXPECT_EQ(stores.rockets().compareAndSetMany(writes), std::vector<bool>(kRockets, true));

    struct rlimit saved {};
    EXPECT_EQ(getrlimit(RLIMIT_FSIZE, &saved), 0);
    auto* previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved;
    small.rlim_cur = volume;
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);

    std::atomic<bool> done{false};
    std::thread reader([&] {
        std::vector<std::string> channels;
        for (int r = 0; r < kRockets; ++r) channels.push_back("r" + std::to_string(r));
        while (!done) stores.rockets().getMany(channels);
    });
    WalHistory history;
    const std::string wal = stores.path() + "-wal";
    std::uint32_t sequence = walCheckpointSequence(wal);
    std::uintmax_t previous = std::filesystem::file_size(wal);
    // Each transaction rewrites every rocket: some 400 KB of WAL per version.
    for (std::int64_t v = 1; v <= kVersions && history.failure.empty(); ++v) {
        for (int r = 0; r < kRockets; ++r) writes[r] = {version(r, v + 1), v};
        try {
            if (stores.rockets().compareAndSetMany(writes) != std::vector<bool>(kRockets, true)) {
                history.failure = "lost a CAS";
            }
        } catch (const StoreUnavailableException& e) {
            history.failure = e.displayText();
        }
        const std::uintmax_t size = std::filesystem::file_size(wal);
        history.largest = std::max(history.largest, size);
        history.shrank = history.shrank || size < previous;
        previous = size;
        if (const std::uint32_t now = walCheckpointSequence(wal); now != sequence) {
            sequence = now;
            ++history.resets;
            history.sizeAfterReset = size;
        }
    }
    done = true;
    reader.join();
    EXPECT_EQ(setrlimit(RLIMIT_FSIZE, &saved), 0);
    std::signal(SIGXFSZ, previousHandler);
    EXPECT_EQ(stores.rockets().get("r7")->lastMessageNumber, kVersions + 1);
    return history;
}

// The writer restarts the WAL at 32,000 pages (Writer::kWalLimitFrames): 131 MB of
// 4 KiB pages and their frame headers, plus the transaction that passed the limit. So
// it is checkpointed and started over before it reaches a 150 MiB volume, and no write
// ever fails.
constexpr rlim_t kSmallVolume = 150 << 20;

// The WAL keeps its size when it starts over, at either level: commits write over
// pages the file already has, so a FULL commit's fdatasync need not record the file's
// growth and a NORMAL commit's writes need no new blocks
// (docs/decisions/2026-11-27-sqlite-one-writer.md, tenth and fifteenth sessions).
void expectWalCheckpointedInPlaceBeforeItCanFillASmallVolume(const std::string& synchronous) {
    SqliteStores stores;
    stores.config().setString("rockets.sqlite.synchronous", synchronous);
    stores.open();
    const WalHistory history = rewriteUnderASmallVolume(stores, kSmallVolume);
    EXPECT_EQ(history.failure, "") << "largest WAL " << history.largest;
    EXPECT_LT(history.largest, kSmallVolume);
    EXPECT_GE(history.resets, 1);
    EXPECT_FALSE(history.shrank) << "after a reset: " << history.sizeAfterReset << " of " << history.largest;
}

TEST(SqliteFaults, WalIsCheckpointedBeforeItCanFillASmallVolume) {
    expectWalCheckpointedInPlaceBeforeItCanFillASmallVolume("FULL");
}

TEST(SqliteFaults, WithNormalTooTheWalKeepsItsSizeWhenItStartsOver) {
    expectWalCheckpointedInPlaceBeforeItCanFillASmallVolume("NORMAL");
}

}  // namespace rockets::test
