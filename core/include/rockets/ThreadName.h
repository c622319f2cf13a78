#pragma once

#include "rockets/Export.h"

#include <string>

namespace rockets {

/// Names the calling thread for the operating system (what `top -H`, `ps -L`, perf
/// and gdb show; /proc/PID/task/TID/comm). Linux keeps 15 bytes: a longer name is cut.
/// A failure is ignored: a name is a help, not a requirement.
ROCKETS_CORE_API void nameThisThread(const std::string& name);

}  // namespace rockets
