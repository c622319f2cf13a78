#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace rockets::sim {

/// One flag of a rockets-sim command: its name, the placeholder of its value
/// (empty for a boolean flag), its help and default as --help shows them, and what
/// its value does (throws UsageError for a bad one).
struct Flag {
    std::string name;
    std::string valueName;
    std::string help;
    std::string defaultText;
    std::function<void(const std::string& value)> apply;
};

/// The command-line conventions every rockets-sim command shares: flags written
/// `--flag=value` or `--flag value` (a single leading dash works too, as with Go's
/// flag package), boolean flags with no value or an explicit `=true` / `=false`,
/// `-h` for `--help`, `--` ending the flags.
class FlagParser {
public:
    /// `command` names the command in messages ("launch"); `flags` are its flags,
    /// in the order --help lists them.
    FlagParser(std::string command, std::vector<Flag> flags);

    /// Applies every flag in `args` in order and returns the other arguments;
    /// throws UsageError for an unknown flag or a missing or bad value.
    std::vector<std::string> parse(const std::vector<std::string>& args) const;

    /// The flag lines of --help: each flag with its value, help and default.
    std::string help() const;

    /// `value` as a whole number in [min, max]; throws UsageError naming `flag` otherwise.
    static std::uint64_t unsignedValue(const std::string& flag, const std::string& value, std::uint64_t min,
                                       std::uint64_t max);

    /// `value` as a Go duration (500ms, 1m30s); throws UsageError naming `flag` otherwise.
    static std::chrono::nanoseconds durationValue(const std::string& flag, const std::string& value);

    /// `value` as true/1 or false/0; throws UsageError naming `flag` otherwise.
    static bool booleanValue(const std::string& flag, const std::string& value);

    /// Throws UsageError: `value` is not valid for `flag`, because `why`.
    [[noreturn]] static void bad(const std::string& flag, const std::string& value, const std::string& why);

private:
    const Flag* find(const std::string& name) const;

    std::string command_;
    std::vector<Flag> flags_;
};

}  // namespace rockets::sim
