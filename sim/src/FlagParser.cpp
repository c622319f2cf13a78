#include "rockets/sim/FlagParser.h"

#include "rockets/sim/Duration.h"
#include "rockets/sim/UsageError.h"

#include <Poco/NumberParser.h>

#include <sstream>

namespace rockets::sim {

namespace {

bool allDigits(const std::string& value) {
    return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
}

/// `text` word-wrapped to `width` columns, continuation lines indented by `indent`
/// (the first line is assumed to start at `indent`).
std::string wrap(const std::string& text, std::size_t indent, std::size_t width) {
    std::istringstream words(text);
    std::string word;
    std::string out;
    std::size_t column = indent;
    while (words >> word) {
        if (column > indent && column + 1 + word.size() > width) {
            out += "\n" + std::string(indent, ' ');
            column = indent;
        } else if (column > indent) {
            out += ' ';
            ++column;
        }
        out += word;
        column += word.size();
    }
    return out;
}

}  // namespace

FlagParser::FlagParser(std::string command, std::vector<Flag> flags)
    : command_(std::move(command)), flags_(std::move(flags)) {}

const Flag* FlagParser::find(const std::string& name) const {
    for (const Flag& flag : flags_)
        if (flag.name == name) return &flag;
    return nullptr;
}

std::vector<std::string> FlagParser::parse(const std::vector<std::string>& args) const {
    std::vector<std::string> positional;
    bool flagsEnded = false;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (flagsEnded || arg.size() < 2 || arg[0] != '-') {
            positional.push_back(arg);
            continue;
        }
        if (arg == "--") {
            flagsEnded = true;
            continue;
        }
        const std::string body = arg == "-h" ? "help" : arg.substr(arg[1] == '-' ? 2 : 1);
        const auto equals = body.find('=');
        const std::string name = body.substr(0, equals);
        const Flag* flag = find(name);
        if (flag == nullptr)
            throw UsageError("unknown flag '" + arg + "' (see rockets-sim " + command_ + " --help)");
        std::string value;
        if (equals != std::string::npos) {
            value = body.substr(equals + 1);
        } else if (flag->valueName.empty()) {
            value = "true";
        } else {
            if (i + 1 >= args.size()) throw UsageError("flag --" + name + " needs a value (" + flag->valueName + ")");
            value = args[++i];
        }
        flag->apply(value);
    }
    return positional;
}

std::string FlagParser::help() const {
    std::ostringstream out;
    for (const Flag& flag : flags_) {
        std::string head = "  --" + flag.name + (flag.valueName.empty() ? "" : "=" + flag.valueName);
        out << head;
        if (head.size() < 30) out << std::string(30 - head.size(), ' ');
        else out << "\n" << std::string(30, ' ');
        std::string text = flag.help;
        if (!flag.defaultText.empty() && flag.defaultText != "false") text += " (default " + flag.defaultText + ")";
        out << wrap(text, 30, 100) << "\n";
    }
    return out.str();
}

void FlagParser::bad(const std::string& flag, const std::string& value, const std::string& why) {
    throw UsageError("invalid value '" + value + "' for --" + flag + ": " + why);
}

std::uint64_t FlagParser::unsignedValue(const std::string& flag, const std::string& value, std::uint64_t min,
                                        std::uint64_t max) {
    std::uint64_t number = 0;
    if (!allDigits(value) || !Poco::NumberParser::tryParseUnsigned64(value, number))
        bad(flag, value, "expected a whole number");
    if (number < min || number > max)
        bad(flag, value, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

std::chrono::nanoseconds FlagParser::durationValue(const std::string& flag, const std::string& value) {
    const auto duration = parseDuration(value);
    if (!duration) bad(flag, value, "expected a duration such as 500ms, 1s, 1m30s");
    return *duration;
}

bool FlagParser::booleanValue(const std::string& flag, const std::string& value) {
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    bad(flag, value, "expected true or false");
}

}  // namespace rockets::sim
