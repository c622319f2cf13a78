#pragma once

#include <string>

namespace rockets::server {

/// Where an installed rockets-server keeps its default configuration: the
/// GNUInstallDirs layout of its install prefix, found from the executable's own
/// folder so that an installed tree works wherever it was installed or moved
/// (docs/decisions/2026-11-27-install-layout.md).
class InstallLayout {
public:
    /// `binToPrefix` leads from the executable's folder to the install prefix ("..");
    /// `sysconfDir` is CMAKE_INSTALL_SYSCONFDIR ("etc", or an absolute path).
    InstallLayout(std::string binToPrefix, std::string sysconfDir);

    /// The layout this binary was built for (the CMake install settings).
    static InstallLayout ofThisBuild();

    /// `<sysconfdir>/rockets/rockets.properties` for the executable in `executableDir`:
    /// `/etc/...` for the prefix /usr (as GNUInstallDirs), `<prefix>/etc/...` for any
    /// other prefix, the absolute `sysconfDir` as it is.
    std::string configFile(const std::string& executableDir) const;

private:
    std::string binToPrefix_;
    std::string sysconfDir_;
};

}  // namespace rockets::server
