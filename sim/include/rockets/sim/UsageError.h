#pragma once

#include <stdexcept>
#include <string>

namespace rockets::sim {

/// A bad command line; the message says what is wrong for a human (exit code 2).
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace rockets::sim
