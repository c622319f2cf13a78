#include "InstallLayout.h"

#include <filesystem>

namespace rockets::server {

namespace fs = std::filesystem;

InstallLayout::InstallLayout(std::string binToPrefix, std::string sysconfDir)
    : binToPrefix_(std::move(binToPrefix)), sysconfDir_(std::move(sysconfDir)) {}

InstallLayout InstallLayout::ofThisBuild() {
    // Set by server/CMakeLists.txt from GNUInstallDirs, for this file only.
    return InstallLayout(ROCKETS_BIN_TO_PREFIX, ROCKETS_INSTALL_SYSCONFDIR);
}

std::string InstallLayout::configFile(const std::string& executableDir) const {
    const fs::path sysconf(sysconfDir_);
    fs::path dir;
    if (sysconf.is_absolute()) {
        dir = sysconf;
    } else {
        fs::path prefix = (fs::path(executableDir) / binToPrefix_).lexically_normal();
        if (!prefix.has_filename() && prefix.has_parent_path() && prefix != prefix.root_path()) {
            prefix = prefix.parent_path();  // "/usr/" -> "/usr"
        }
        // The prefix /usr keeps its configuration in /etc, not /usr/etc (GNUInstallDirs).
        dir = (prefix == "/usr" ? prefix.root_path() : prefix) / sysconf;
    }
    return (dir / "rockets" / "rockets.properties").lexically_normal().string();
}

}  // namespace rockets::server
