#pragma once

#include "rockets/Export.h"

#include <string>
#include <thread>
#include <utility>

namespace rockets {

/// Names the calling thread for the operating system (what `top -H`, `ps -L`, perf
/// and gdb show; /proc/PID/task/TID/comm). Linux keeps 15 bytes: a longer name is cut.
/// A failure is ignored: a name is a help, not a requirement.
ROCKETS_CORE_API void nameThisThread(const std::string& name);

/// A thread that names itself `name` and then runs `body`.
template <class Body>
std::thread startNamedThread(std::string name, Body&& body) {
    return std::thread([name = std::move(name), body = std::forward<Body>(body)]() mutable {
        nameThisThread(name);
        body();
    });
}

}  // namespace rockets
