#include "WalWriteVfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

namespace rockets::sqlite {

namespace {

/// A WAL's header is 32 bytes, each frame's 24 (sqlite.org/fileformat.html, "WAL file
/// format"); bytes 4–7 of a frame header, big-endian, hold the database's size in
/// pages after the commit for a commit frame and zero for every other frame.
constexpr sqlite3_int64 kWalHeaderBytes = 32;
constexpr int kFrameHeaderBytes = 24;
/// Buffered bytes that are written out even before the commit frame (a transaction
/// this large already makes its system calls few).
constexpr std::size_t kMaxBuffered = 2 << 20;
/// The most one write call of the unix VFS takes: it masks the length with 0x1ffff
/// (seekAndWriteFd in os_unix.c), so the buffer goes out in pieces below 128 KiB.
constexpr std::size_t kMaxWrite = (128 - 4) << 10;

/// A WAL opened through this VFS: the buffer, then (at `real`) the default VFS's file.
struct WalFile {
    sqlite3_file base;  ///< must be first: SQLite's handle is a pointer to it
    sqlite3_file* real;
    char* data;          ///< malloc'd, `capacity` bytes
    std::size_t capacity;
    std::size_t size;    ///< bytes buffered, for file offsets [start, start + size)
    sqlite3_int64 start;
    bool commitPending;  ///< the last write was a commit frame's header: its page follows
};

/// Where the default VFS's file starts inside ours.
constexpr int kRealOffset = static_cast<int>((sizeof(WalFile) + 7) / 8 * 8);

sqlite3_vfs* baseVfs(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }
WalFile* walFile(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
const sqlite3_io_methods& realMethods(WalFile* f) { return *f->real->pMethods; }

bool isCommitFrameHeader(const void* buffer, int amount, sqlite3_int64 offset) {
    if (amount != kFrameHeaderBytes || offset < kWalHeaderBytes) return false;
    const auto* bytes = static_cast<const unsigned char*>(buffer);
    return (bytes[4] | bytes[5] | bytes[6] | bytes[7]) != 0;
}

/// Writes what is buffered (one call per kMaxWrite); the buffer is empty afterwards
/// either way (a failed write fails the transaction whose frames it held).
int flush(WalFile* f) {
    int rc = SQLITE_OK;
    for (std::size_t done = 0; done < f->size && rc == SQLITE_OK;) {
        const std::size_t piece = std::min(kMaxWrite, f->size - done);
        rc = realMethods(f).xWrite(f->real, f->data + done, static_cast<int>(piece),
                                   f->start + static_cast<sqlite3_int64>(done));
        done += piece;
    }
    f->size = 0;
    return rc;
}

int walClose(sqlite3_file* file) {
    WalFile* f = walFile(file);
    flush(f);  // frames of no committed transaction: nothing depends on them
    const int rc = realMethods(f).xClose(f->real);
    std::free(f->data);
    f->data = nullptr;
    return rc;
}

int walRead(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xRead(f->real, buffer, amount, offset);
}

int walWrite(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
    WalFile* f = walFile(file);
    const auto bytes = static_cast<std::size_t>(amount);
    if (f->size > 0 && offset >= f->start && offset + amount <= f->start + static_cast<sqlite3_int64>(f->size)) {
        // A rewrite of a frame still buffered.
        std::memcpy(f->data + (offset - f->start), buffer, bytes);
        return SQLITE_OK;
    }
    if (f->size > 0 && (offset != f->start + static_cast<sqlite3_int64>(f->size) || f->size + bytes > kMaxBuffered)) {
        if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    }
    if (f->capacity < f->size + bytes) {
        const std::size_t capacity = std::max(f->size + bytes, std::min(kMaxBuffered, 2 * f->capacity + (64 << 10)));
        char* grown = static_cast<char*>(std::realloc(f->data, capacity));
        if (!grown) return SQLITE_NOMEM;
        f->data = grown;
        f->capacity = capacity;
    }
    if (f->size == 0) f->start = offset;
    std::memcpy(f->data + f->size, buffer, bytes);
    f->size += bytes;
    if (f->commitPending) {  // the commit frame is complete
        f->commitPending = false;
        return flush(f);
    }
    f->commitPending = isCommitFrameHeader(buffer, amount, offset);
    return SQLITE_OK;
}

int walTruncate(sqlite3_file* file, sqlite3_int64 size) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xTruncate(f->real, size);
}

int walSync(sqlite3_file* file, int flags) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xSync(f->real, flags);
}

int walFileSize(sqlite3_file* file, sqlite3_int64* size) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xFileSize(f->real, size);
}

int walLock(sqlite3_file* file, int lock) { return realMethods(walFile(file)).xLock(walFile(file)->real, lock); }

int walUnlock(sqlite3_file* file, int lock) { return realMethods(walFile(file)).xUnlock(walFile(file)->real, lock); }

int walCheckReservedLock(sqlite3_file* file, int* out) {
    return realMethods(walFile(file)).xCheckReservedLock(walFile(file)->real, out);
}

int walFileControl(sqlite3_file* file, int op, void* arg) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xFileControl(f->real, op, arg);
}

int walSectorSize(sqlite3_file* file) { return realMethods(walFile(file)).xSectorSize(walFile(file)->real); }

int walDeviceCharacteristics(sqlite3_file* file) {
    return realMethods(walFile(file)).xDeviceCharacteristics(walFile(file)->real);
}

int walShmMap(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
    return realMethods(walFile(file)).xShmMap(walFile(file)->real, region, size, extend, out);
}

int walShmLock(sqlite3_file* file, int offset, int n, int flags) {
    return realMethods(walFile(file)).xShmLock(walFile(file)->real, offset, n, flags);
}

void walShmBarrier(sqlite3_file* file) { realMethods(walFile(file)).xShmBarrier(walFile(file)->real); }

int walShmUnmap(sqlite3_file* file, int deleteFlag) {
    return realMethods(walFile(file)).xShmUnmap(walFile(file)->real, deleteFlag);
}

int walFetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** out) {
    WalFile* f = walFile(file);
    if (const int rc = flush(f); rc != SQLITE_OK) return rc;
    return realMethods(f).xFetch(f->real, offset, amount, out);
}

int walUnfetch(sqlite3_file* file, sqlite3_int64 offset, void* page) {
    return realMethods(walFile(file)).xUnfetch(walFile(file)->real, offset, page);
}

/// Version 3 methods; a WAL file never gets the shared-memory or fetch calls, but they
/// are passed on all the same.
const sqlite3_io_methods kWalMethods = {
    3,
    walClose,
    walRead,
    walWrite,
    walTruncate,
    walSync,
    walFileSize,
    walLock,
    walUnlock,
    walCheckReservedLock,
    walFileControl,
    walSectorSize,
    walDeviceCharacteristics,
    walShmMap,
    walShmLock,
    walShmBarrier,
    walShmUnmap,
    walFetch,
    walUnfetch,
};

int vfsOpen(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* outFlags) {
    sqlite3_vfs* base = baseVfs(vfs);
    // Not a WAL: the default VFS's file in our (larger) slot, with its own methods.
    if (!(flags & SQLITE_OPEN_WAL)) return base->xOpen(base, name, file, flags, outFlags);
    WalFile* f = walFile(file);
    std::memset(f, 0, sizeof(WalFile));
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kRealOffset);
    const int rc = base->xOpen(base, name, f->real, flags, outFlags);
    if (rc != SQLITE_OK) {
        // SQLite calls xClose only when pMethods is set: close the real file here.
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        f->base.pMethods = nullptr;
        return rc;
    }
    f->base.pMethods = &kWalMethods;
    return SQLITE_OK;
}

int vfsDelete(sqlite3_vfs* vfs, const char* name, int syncDir) {
    return baseVfs(vfs)->xDelete(baseVfs(vfs), name, syncDir);
}

int vfsAccess(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
    return baseVfs(vfs)->xAccess(baseVfs(vfs), name, flags, out);
}

int vfsFullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
    return baseVfs(vfs)->xFullPathname(baseVfs(vfs), name, size, out);
}

void* vfsDlOpen(sqlite3_vfs* vfs, const char* name) { return baseVfs(vfs)->xDlOpen(baseVfs(vfs), name); }

void vfsDlError(sqlite3_vfs* vfs, int size, char* out) { baseVfs(vfs)->xDlError(baseVfs(vfs), size, out); }

void (*vfsDlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
    return baseVfs(vfs)->xDlSym(baseVfs(vfs), handle, symbol);
}

void vfsDlClose(sqlite3_vfs* vfs, void* handle) { baseVfs(vfs)->xDlClose(baseVfs(vfs), handle); }

int vfsRandomness(sqlite3_vfs* vfs, int size, char* out) {
    return baseVfs(vfs)->xRandomness(baseVfs(vfs), size, out);
}

int vfsSleep(sqlite3_vfs* vfs, int micros) { return baseVfs(vfs)->xSleep(baseVfs(vfs), micros); }

int vfsCurrentTime(sqlite3_vfs* vfs, double* out) { return baseVfs(vfs)->xCurrentTime(baseVfs(vfs), out); }

int vfsGetLastError(sqlite3_vfs* vfs, int size, char* out) {
    return baseVfs(vfs)->xGetLastError(baseVfs(vfs), size, out);
}

int vfsCurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
    return baseVfs(vfs)->xCurrentTimeInt64(baseVfs(vfs), out);
}

std::mutex registryMutex;
int instances = 0;  ///< guarded by registryMutex
sqlite3_vfs vfs;    ///< guarded by registryMutex while (un)registering

}  // namespace

WalWriteVfs::WalWriteVfs() {
    std::lock_guard lock(registryMutex);
    if (instances++ > 0) return;
    sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
    if (!base || base->iVersion < 2) {
        --instances;
        throw std::runtime_error("SQLite has no default VFS of version 2 or later to wrap");
    }
    vfs = sqlite3_vfs{};
    vfs.iVersion = 2;
    vfs.szOsFile = kRealOffset + base->szOsFile;
    vfs.mxPathname = base->mxPathname;
    vfs.zName = kName;
    vfs.pAppData = base;
    vfs.xOpen = vfsOpen;
    vfs.xDelete = vfsDelete;
    vfs.xAccess = vfsAccess;
    vfs.xFullPathname = vfsFullPathname;
    vfs.xDlOpen = vfsDlOpen;
    vfs.xDlError = vfsDlError;
    vfs.xDlSym = vfsDlSym;
    vfs.xDlClose = vfsDlClose;
    vfs.xRandomness = vfsRandomness;
    vfs.xSleep = vfsSleep;
    vfs.xCurrentTime = vfsCurrentTime;
    vfs.xGetLastError = vfsGetLastError;
    vfs.xCurrentTimeInt64 = vfsCurrentTimeInt64;
    if (const int rc = sqlite3_vfs_register(&vfs, 0); rc != SQLITE_OK) {
        --instances;
        throw std::runtime_error(std::string("cannot register the SQLite VFS ") + kName + ": " + sqlite3_errstr(rc));
    }
}

WalWriteVfs::~WalWriteVfs() {
    std::lock_guard lock(registryMutex);
    if (--instances == 0) sqlite3_vfs_unregister(&vfs);
}

}  // namespace rockets::sqlite
