#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace rockets::sim {

/// Parses a Go `time.ParseDuration` string: an optional sign and a sequence of
/// decimal numbers with units ns, us (or µs/μs), ms, s, m, h, e.g. "500ms", "1m30s",
/// "1h2m3.5s"; "0" alone is allowed. Negative results and overflow are rejected
/// (nullopt), as are empty strings, missing units and unknown units.
std::optional<std::chrono::nanoseconds> parseDuration(std::string_view text);

/// Go-like rendering of a duration for humans and help text ("1m30s", "500ms", "0s").
std::string formatDuration(std::chrono::nanoseconds duration);

}  // namespace rockets::sim
