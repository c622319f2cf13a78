#pragma once

#include <string>
#include <string_view>

namespace rockets::server {

/// The project version (CMake's PROJECT_VERSION), e.g. "0.1.0".
std::string_view version();

/// The git revision the binary was built from ("0123abcd4567", "…-dirty" for
/// uncommitted changes, "unknown" outside git).
std::string_view revision();

/// "rockets-server 0.1.0 (revision 0123abcd4567)", what --version prints.
std::string versionLine();

}  // namespace rockets::server
