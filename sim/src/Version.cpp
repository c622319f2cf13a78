#include "rockets/sim/Version.h"

#include "rockets/BuildInfo.h"

namespace rockets::sim {

std::string versionLine() {
    return std::string("rockets-sim ") + build::kVersion + " (revision " + build::kRevision + ")";
}

std::string userAgent() {
    return std::string("rockets-sim/") + build::kVersion + " (revision " + build::kRevision + ")";
}

}  // namespace rockets::sim
