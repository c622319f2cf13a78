#include "DatabaseFiles.h"

#include <Poco/Path.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace rockets::sqlite {

namespace {

/// Whether this thread may write `path`, judged with its effective credentials
/// (a service account, or a thread that dropped its capabilities, sees what it can
/// really do); errno tells why not.
bool writable(const std::string& path) { return ::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) == 0; }

std::string modeText(mode_t mode) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
    return text;
}

std::string folderOf(const std::string& path) {
    std::string folder = Poco::Path(path).parent().toString();
    return folder.empty() ? "." : folder;
}

/// Below this many free bytes on the database's volume a failed write names the volume.
constexpr unsigned long long kLowSpaceBytes = 64ull << 20;

}  // namespace

DatabaseFiles::DatabaseFiles(std::string path) : paths_{path, path + "-wal", path + "-shm"} {}

void DatabaseFiles::remember() {
    std::lock_guard lock(mutex_);
    struct stat st {};
    if (!remembered_[0] && ::stat(paths_[0].c_str(), &st) == 0) remembered_[0] = Identity{st.st_dev, st.st_ino};
}

void DatabaseFiles::forgetWorkingFiles() {
    std::lock_guard lock(mutex_);
    remembered_[1].reset();
}

std::optional<std::string> DatabaseFiles::check() {
    std::lock_guard lock(mutex_);
    return compare();
}

std::optional<std::string> DatabaseFiles::checkAfterCommit() {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 1; i < kWatched; ++i) {
        struct stat st {};
        if (!remembered_[i] && ::stat(paths_[i].c_str(), &st) == 0) remembered_[i] = Identity{st.st_dev, st.st_ino};
    }
    return compare();
}

std::optional<std::string> DatabaseFiles::compare() {
    if (lost_.load(std::memory_order_relaxed)) return lostReason_;
    for (std::size_t i = 0; i < kWatched; ++i) {
        if (!remembered_[i]) continue;
        struct stat st {};
        std::string what;
        if (::stat(paths_[i].c_str(), &st) != 0) {
            // Only a missing file counts; another error (a folder we may not search)
            // says nothing about the file.
            if (errno == ENOENT || errno == ENOTDIR) what = " was deleted";
        } else if (st.st_dev != remembered_[i]->device || st.st_ino != remembered_[i]->inode) {
            what = " was replaced by another file";
        }
        if (what.empty()) continue;
        lostReason_ = paths_[i] + what +
                      " while the server ran: appends are refused until the server restarts (what was "
                      "committed to the old file is gone with it)";
        lost_.store(true, std::memory_order_release);
        return lostReason_;
    }
    return std::nullopt;
}

std::string DatabaseFiles::lostReason() const {
    std::lock_guard lock(mutex_);
    return lostReason_;
}

std::vector<std::string> DatabaseFiles::repairWorkingFiles() const {
    std::vector<std::string> repaired;
    struct stat database {};
    if (::stat(paths_[0].c_str(), &database) != 0 || !writable(paths_[0])) return repaired;
    for (std::size_t i = 1; i < paths_.size(); ++i) {
        struct stat st {};
        if (::stat(paths_[i].c_str(), &st) != 0 || writable(paths_[i])) continue;
        // EACCES is the mode; EPERM (immutable) or EROFS are not ours to change.
        if (errno != EACCES) continue;
        const mode_t mode = database.st_mode & 07777;
        if (::chmod(paths_[i].c_str(), mode) == 0) {
            repaired.push_back("gave " + paths_[i] + " the mode of " + paths_[0] + " (" + modeText(st.st_mode) +
                               " -> " + modeText(mode) + "): it was left read-only while the database was");
        }
    }
    return repaired;
}

std::string DatabaseFiles::diagnose() const {
    std::string found;
    auto add = [&](const std::string& line) { found += (found.empty() ? "" : "; ") + line; };
    for (const std::string& path : paths_) {
        struct stat st {};
        if (::stat(path.c_str(), &st) != 0 || writable(path)) continue;
        const int error = errno;
        std::string line = path + " is not writable (" + std::strerror(error) + ", mode " + modeText(st.st_mode);
        if (st.st_uid != ::geteuid()) line += ", owner uid " + std::to_string(st.st_uid);
        if (error == EPERM) line += "; immutable or append-only? see lsattr";
        add(line + ")");
    }
    const std::string folder = folderOf(paths_[0]);
    if (::faccessat(AT_FDCWD, folder.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
        add("folder " + folder + " is not writable (" + std::strerror(errno) + "): SQLite creates -wal and -shm there");
    }
    struct statvfs volume {};
    if (::statvfs(folder.c_str(), &volume) == 0) {
        const unsigned long long free = static_cast<unsigned long long>(volume.f_bavail) * volume.f_frsize;
        if (free < kLowSpaceBytes) add("the volume of " + folder + " has " + std::to_string(free) + " bytes free");
    }
    return found;
}

}  // namespace rockets::sqlite
