#pragma once

#include <string>

namespace rockets::sim {

/// "rockets-sim 0.1.0 (revision 0123abcd4567)", what --version prints.
std::string versionLine();

/// The User-Agent of every request rockets-sim sends: "rockets-sim/0.1.0 (revision 0123abcd4567)",
/// so a server's logs and captures tell simulated traffic from the real test program's.
std::string userAgent();

}  // namespace rockets::sim
