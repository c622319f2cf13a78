#include "Version.h"

#include "rockets/BuildInfo.h"

namespace rockets::server {

std::string_view version() { return build::kVersion; }

std::string_view revision() { return build::kRevision; }

std::string versionLine() {
    return "rockets-server " + std::string(version()) + " (revision " + std::string(revision()) + ")";
}

}  // namespace rockets::server
