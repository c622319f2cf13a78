// WalWriteVfs (plugins/sqlite): a WAL written through it holds every committed
// transaction the moment COMMIT returns (for other connections and over a process
// that dies right after), with one write call per transaction, and large, spilled,
// rolled-back and checkpointed transactions stay intact.
#include "WalWriteVfs.h"

#include "TempDir.h"

#include <gtest/gtest.h>

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <string>

namespace rockets::test {

namespace {

using rockets::sqlite::WalWriteVfs;

/// One sqlite3 connection; `vfs` null for the default VFS.
class Db {
public:
    Db(const std::string& path, const char* vfs) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, vfs) != SQLITE_OK) {
            const std::string error = db_ ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            throw std::runtime_error("open " + path + ": " + error);
        }
    }
    ~Db() { sqlite3_close(db_); }
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const std::string& sql) {
        char* error = nullptr;
        if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
            const std::string message = error ? error : "?";
            sqlite3_free(error);
            throw std::runtime_error(sql + ": " + message);
        }
    }
    /// The first column of the first row as text ("" when no row); throws on errors.
    std::string scalar(const std::string& sql) {
        sqlite3_stmt* statement = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
            throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
        }
        std::string result;
        const int rc = sqlite3_step(statement);
        if (rc == SQLITE_ROW) {
            const auto* text = sqlite3_column_text(statement, 0);
            result = text ? reinterpret_cast<const char*>(text) : "";
        }
        sqlite3_finalize(statement);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
        return result;
    }

private:
    sqlite3* db_ = nullptr;
};

/// write-family system calls this process made so far (/proc/self/io "syscw").
long writeCalls() {
    std::ifstream in("/proc/self/io");
    std::string key;
    long value = 0;
    while (in >> key >> value) {
        if (key == "syscw:") return value;
    }
    throw std::runtime_error("no syscw in /proc/self/io");
}

/// A WAL-mode database with a table `t`, no automatic checkpoint (so the database
/// file is written only when a test asks), synchronous NORMAL (no fsync per commit).
void prepare(Db& db) {
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA wal_autocheckpoint = 0");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v BLOB NOT NULL)");
    db.exec("CREATE INDEX IF NOT EXISTS t_by_v ON t (v)");
}

/// Rows `first`..`last` of `t` with the value of the SQL expression `value`, in one
/// statement (one transaction unless the caller opened one).
void insertRows(Db& db, int first, int last, const std::string& value) {
    db.exec("WITH RECURSIVE n(i) AS (SELECT " + std::to_string(first) + " UNION ALL SELECT i + 1 FROM n WHERE i < " +
            std::to_string(last) + ") INSERT INTO t (k, v) SELECT i, " + value + " FROM n");
}

/// Rows `first`..`last` of `t`, one transaction each.
void insertEach(Db& db, int first, int last, const std::string& value) {
    for (int i = first; i <= last; ++i) db.exec("INSERT INTO t (k, v) VALUES (" + std::to_string(i) + ", " + value + ")");
}

/// Write calls per single-row transaction over `n` of them.
double writesPerTransaction(Db& db, int n) {
    const long before = writeCalls();
    insertEach(db, 1, n, "randomblob(300)");
    return static_cast<double>(writeCalls() - before) / n;
}

class WalWriteVfsTest : public ::testing::Test {
protected:
    std::string path() const { return dir_.path() + "/t.db"; }

    WalWriteVfs vfs_;
    TempDir dir_;
};

TEST_F(WalWriteVfsTest, EveryCommitIsReadableByAnotherConnectionWhenCommitReturns) {
    Db writer(path(), WalWriteVfs::kName);
    prepare(writer);
    Db other(path(), nullptr);  // the default VFS: reads the WAL from the file only
    for (int i = 1; i <= 200; ++i) {
        writer.exec("INSERT INTO t (k, v) VALUES (" + std::to_string(i) + ", randomblob(" + std::to_string(i * 40) + "))");
        ASSERT_EQ(other.scalar("SELECT count(*) FROM t"), std::to_string(i)) << "after commit " << i;
    }
    EXPECT_EQ(other.scalar("PRAGMA integrity_check"), "ok");
}

TEST_F(WalWriteVfsTest, ATransactionWritesItsWalWithOneCallInsteadOfTwoPerPage) {
    // The premise: the default VFS makes two calls per WAL frame (header, page), and
    // each of these transactions writes at least two frames (a leaf of the table and
    // one of its index on random values).
    {
        Db plain(dir_.path() + "/plain.db", nullptr);
        prepare(plain);
        EXPECT_GE(writesPerTransaction(plain, 100), 4.0);
    }
    Db writer(path(), WalWriteVfs::kName);
    prepare(writer);
    EXPECT_LE(writesPerTransaction(writer, 100), 1.0);
}

TEST_F(WalWriteVfsTest, ACommittedTransactionSurvivesAProcessThatEndsWithoutClosing) {
    {
        Db db(path(), nullptr);
        prepare(db);
    }
    const pid_t child = ::fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        // Commits, then ends at once: no close, no destructor, no flush of anything
        // SQLite or the VFS might still hold.
        try {
            auto* db = new Db(path(), WalWriteVfs::kName);
            db->exec("PRAGMA synchronous = NORMAL");
            insertEach(*db, 1, 50, "randomblob(2000)");
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), 0);
    Db db(path(), nullptr);
    EXPECT_EQ(db.scalar("SELECT count(*) FROM t"), "50");
    EXPECT_EQ(db.scalar("SELECT sum(length(v)) FROM t"), std::to_string(50 * 2000));
    EXPECT_EQ(db.scalar("PRAGMA integrity_check"), "ok");
}

TEST_F(WalWriteVfsTest, ALargeTransactionThatSpillsItsCacheReadsBackItsOwnFrames) {
    Db writer(path(), WalWriteVfs::kName);
    prepare(writer);
    // A 10-page cache: SQLite writes pages of the open transaction to the WAL early and
    // reads them back from it; 8 MB is four times the VFS's buffer and 64 times what
    // one write call of the default VFS takes.
    writer.exec("PRAGMA cache_size = 10");
    writer.exec("BEGIN");
    insertRows(writer, 1, 2000, "zeroblob(4000)");
    writer.exec("UPDATE t SET v = randomblob(4000) WHERE k % 7 = 0");
    EXPECT_EQ(writer.scalar("SELECT sum(length(v)) FROM t"), std::to_string(2000 * 4000));
    writer.exec("COMMIT");
    Db other(path(), nullptr);
    EXPECT_EQ(other.scalar("SELECT count(*) FROM t"), "2000");
    EXPECT_EQ(other.scalar("SELECT count(*) FROM t WHERE v = zeroblob(4000)"), std::to_string(2000 - 2000 / 7));
    EXPECT_EQ(other.scalar("PRAGMA integrity_check"), "ok");
}

TEST_F(WalWriteVfsTest, ARolledBackTransactionLeavesNothingAndTheNextCommitIsWhole) {
    Db writer(path(), WalWriteVfs::kName);
    prepare(writer);
    writer.exec("PRAGMA cache_size = 10");
    writer.exec("INSERT INTO t (k, v) VALUES (1, 'kept')");
    writer.exec("BEGIN");
    insertRows(writer, 2, 500, "randomblob(4000)");
    writer.exec("ROLLBACK");
    writer.exec("INSERT INTO t (k, v) VALUES (2, 'after')");
    Db other(path(), nullptr);
    EXPECT_EQ(other.scalar("SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY k)"), "kept,after");
    EXPECT_EQ(other.scalar("PRAGMA integrity_check"), "ok");
}

TEST_F(WalWriteVfsTest, CommitsAfterACheckpointRestartedTheLogAreWhole) {
    Db writer(path(), WalWriteVfs::kName);
    prepare(writer);
    insertEach(writer, 1, 100, "randomblob(500)");
    // TRUNCATE empties the WAL: the next commit writes a new WAL header at offset 0.
    EXPECT_EQ(writer.scalar("PRAGMA wal_checkpoint(TRUNCATE)"), "0");
    insertEach(writer, 101, 200, "randomblob(500)");
    Db other(path(), nullptr);
    EXPECT_EQ(other.scalar("SELECT count(*) FROM t"), "200");
    EXPECT_EQ(other.scalar("PRAGMA integrity_check"), "ok");
}

}  // namespace

}  // namespace rockets::test
