#pragma once

#include <csignal>

namespace rockets::sim {

/// While one lives, SIGINT and SIGTERM no longer end the process: they set a flag
/// that a loop polls (with a timeout, since the handler wakes no one for sure).
/// The destructor puts the previous handlers back. One at a time.
class StopSignals {
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals&) = delete;
    StopSignals& operator=(const StopSignals&) = delete;

    /// A SIGINT or SIGTERM arrived since construction.
    bool requested() const;

private:
    struct sigaction previousInt_ {};
    struct sigaction previousTerm_ {};
};

}  // namespace rockets::sim
