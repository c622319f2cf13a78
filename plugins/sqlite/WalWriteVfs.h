#pragma once

namespace rockets::sqlite {

/// An SQLite VFS, registered under kName for the lifetime of its instances, that
/// writes each transaction's part of a write-ahead log with one system call per
/// 124 KiB instead of two per page.
///
/// SQLite writes a WAL frame as two writes (its 24-byte header, then the page), so a
/// transaction touching 400 pages made 800 pwrite calls; in this VM a system call costs
/// microseconds, and at 100,000 channels they were most of the writer thread's time
/// (bench/PROFILE.md). This VFS keeps a WAL file's contiguous writes in memory and hands
/// them to the default VFS in as few writes as it takes (pieces of up to 124 KiB):
/// - right after the page of a commit frame (a frame header whose "database size after
///   commit" field is set), that is inside COMMIT, before SQLite publishes the new frames
///   in the wal-index: no connection ever finds a committed frame missing from the file,
///   and when COMMIT returns the transaction is in the operating system's hands, exactly
///   as with the default VFS (then synced or not, as `synchronous` says);
/// - before the file is read, synced, truncated, sized, mapped or closed, and when
///   the next write is not contiguous or the buffer is full.
/// A write into a range still buffered (SQLite rewrites a frame of the open transaction
/// in place) changes the buffer. A failed write fails the statement that caused it,
/// as before. Every file but a WAL is the default VFS's own, unwrapped.
class WalWriteVfs {
public:
    /// Registers the VFS (not as the default) unless another instance did.
    WalWriteVfs();
    /// Unregisters it with the last instance; no connection may use it any more.
    ~WalWriteVfs();
    WalWriteVfs(const WalWriteVfs&) = delete;
    WalWriteVfs& operator=(const WalWriteVfs&) = delete;

    /// The name to open a database with (`vfs=` in a URI filename).
    static constexpr const char* kName = "rockets-wal";
};

}  // namespace rockets::sqlite
