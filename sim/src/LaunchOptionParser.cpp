#include "rockets/sim/LaunchOptionParser.h"

#include "rockets/sim/Duration.h"
#include "rockets/sim/UsageError.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <functional>
#include <sstream>

namespace rockets::sim {

namespace {

/// One flag: its name, the placeholder of its value (empty for a boolean flag),
/// its help and default as shown by --help, and how it lands in the options.
struct Flag {
    std::string name;
    std::string valueName;
    std::string help;
    std::string defaultText;
    std::function<void(LaunchOptions&, const std::string&)> apply;
};

[[noreturn]] void bad(const std::string& flag, const std::string& value, const std::string& why) {
    throw UsageError("invalid value '" + value + "' for --" + flag + ": " + why);
}

bool allDigits(const std::string& value) {
    return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
}

std::uint64_t unsignedValue(const std::string& flag, const std::string& value, std::uint64_t min,
                            std::uint64_t max) {
    std::uint64_t number = 0;
    if (!allDigits(value) || !Poco::NumberParser::tryParseUnsigned64(value, number))
        bad(flag, value, "expected a whole number");
    if (number < min || number > max)
        bad(flag, value, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return number;
}

std::chrono::nanoseconds durationValue(const std::string& flag, const std::string& value) {
    const auto duration = parseDuration(value);
    if (!duration) bad(flag, value, "expected a duration such as 500ms, 1s, 1m30s");
    return *duration;
}

bool booleanValue(const std::string& flag, const std::string& value) {
    if (value == "true" || value == "1") return true;
    if (value == "false" || value == "0") return false;
    bad(flag, value, "expected true or false");
}

const std::vector<Flag>& flags() {
    static const std::vector<Flag> table = {
        {"message-delay", "DURATION", "pause of each sender after each message (Go syntax: 500ms, 1s, 1m30s, 1h2m3.5s, 250us or 250µs, 10ns)",
         "0s", [](LaunchOptions& o, const std::string& v) { o.sender.messageDelay = durationValue("message-delay", v); }},
        {"concurrency-level", "N", "parallel senders pulling from one queue; their overtaking is the reordering the server sees",
         "3", [](LaunchOptions& o, const std::string& v) {
             o.sender.concurrency = static_cast<unsigned>(unsignedValue("concurrency-level", v, 1, 1024));
         }},
        {"max-messages", "N", "distinct messages to generate (injected duplicates come on top)", "100000",
         [](LaunchOptions& o, const std::string& v) {
             o.generator.maxMessages = unsignedValue("max-messages", v, 0, 100'000'000);
         }},
        {"seed", "N", "seed of everything generated: channels, payloads, messageTime, duplicates, shuffling", "444",
         [](LaunchOptions& o, const std::string& v) {
             std::int64_t signedSeed = 0;
             std::uint64_t seed = 0;
             if (allDigits(v) && Poco::NumberParser::tryParseUnsigned64(v, seed))
                 o.generator.seed = seed;
             else if (v.size() > 1 && v[0] == '-' && allDigits(v.substr(1)) &&
                      Poco::NumberParser::tryParse64(v, signedSeed))
                 o.generator.seed = static_cast<std::uint64_t>(signedSeed);
             else
                 bad("seed", v, "expected an integer");
             o.chaos.seed = o.generator.seed;
         }},
        {"rockets", "N", "number of rockets (channels)", "20",
         [](LaunchOptions& o, const std::string& v) { o.generator.rockets = unsignedValue("rockets", v, 1, 1'000'000); }},
        {"keep-alive", "", "reuse one connection per sender and URL instead of a new TCP connection per message", "false",
         [](LaunchOptions& o, const std::string& v) { o.sender.keepAlive = booleanValue("keep-alive", v); }},
        {"retry-for", "DURATION", "keep retrying a message (every 500ms, on any non-2xx or connection error) this long, then fail the run; 0: forever, like the real program",
         "60s", [](LaunchOptions& o, const std::string& v) { o.sender.retryFor = durationValue("retry-for", v); }},
        {"duplicate-rate", "P", "probability (0..1) that a message is sent once more, up to 1000 messages later", "0",
         [](LaunchOptions& o, const std::string& v) {
             double rate = 0;
             if (!Poco::NumberParser::tryParseFloat(v, rate) || !(rate >= 0 && rate <= 1))
                 bad("duplicate-rate", v, "expected a number between 0 and 1");
             o.chaos.duplicateRate = rate;
         }},
        {"reorder-window", "N", "shuffle consecutive blocks of N messages before sending (0: off)", "0",
         [](LaunchOptions& o, const std::string& v) {
             o.chaos.reorderWindow = unsignedValue("reorder-window", v, 0, 1'000'000);
         }},
        {"explode-midway", "", "keep sending messages after a rocket exploded (the server must ignore them)", "false",
         [](LaunchOptions& o, const std::string& v) { o.generator.explodeMidway = booleanValue("explode-midway", v); }},
        {"channels-from", "FILE", "replay the exact stream saved by --dump (generation flags are then ignored)", "",
         [](LaunchOptions& o, const std::string& v) { o.channelsFrom = v; }},
        {"dump", "FILE", "save the exact stream (one POST body per line, in sending order) before sending", "",
         [](LaunchOptions& o, const std::string& v) { o.dump = v; }},
        {"verify", "", "after sending, check every rocket and the GET /rockets listing against the core fold; print PASS or FAIL",
         "false", [](LaunchOptions& o, const std::string& v) { o.verify = booleanValue("verify", v); }},
        {"verify-timeout", "DURATION", "how long the server may take to become consistent", "30s",
         [](LaunchOptions& o, const std::string& v) { o.verifier.timeout = durationValue("verify-timeout", v); }},
        {"allow-other-rockets", "", "with --verify, accept rockets in GET /rockets that this run did not send", "false",
         [](LaunchOptions& o, const std::string& v) {
             o.verifier.allowOtherRockets = booleanValue("allow-other-rockets", v);
         }},
        {"report", "FILE", "write the summary as JSON", "",
         [](LaunchOptions& o, const std::string& v) { o.report = v; }},
        {"progress", "MODE", "auto (a bar on a terminal, plain lines otherwise), bar, lines or none", "auto",
         [](LaunchOptions& o, const std::string& v) {
             if (v == "auto") o.progress = ProgressMode::Auto;
             else if (v == "bar") o.progress = ProgressMode::Bar;
             else if (v == "lines") o.progress = ProgressMode::Lines;
             else if (v == "none") o.progress = ProgressMode::None;
             else bad("progress", v, "expected auto, bar, lines or none");
         }},
        {"help", "", "show this help", "",
         [](LaunchOptions& o, const std::string& v) { o.help = booleanValue("help", v); }},
    };
    return table;
}

const Flag* findFlag(const std::string& name) {
    for (const Flag& flag : flags())
        if (flag.name == name) return &flag;
    return nullptr;
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

LaunchOptions LaunchOptionParser::parse(const std::vector<std::string>& args) {
    LaunchOptions options;
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
        if (arg == "-h") {
            options.help = true;
            continue;
        }
        const std::string body = arg.substr(arg[1] == '-' ? 2 : 1);
        const auto equals = body.find('=');
        const std::string name = body.substr(0, equals);
        const Flag* flag = findFlag(name);
        if (flag == nullptr) throw UsageError("unknown flag '" + arg + "' (see rockets-sim launch --help)");
        std::string value;
        if (equals != std::string::npos) {
            value = body.substr(equals + 1);
        } else if (flag->valueName.empty()) {
            value = "true";
        } else {
            if (i + 1 >= args.size()) throw UsageError("flag --" + name + " needs a value (" + flag->valueName + ")");
            value = args[++i];
        }
        flag->apply(options, value);
    }
    if (options.help) return options;
    if (positional.empty()) throw UsageError("missing URL, e.g. rockets-sim launch http://127.0.0.1:8088/messages");
    if (positional.size() > 1)
        throw UsageError("unexpected argument '" + positional[1] + "' (several URLs are written URL1,URL2)");
    try {
        options.targets = Target::parseList(positional[0]);
    } catch (const Poco::SyntaxException& e) {
        throw UsageError(e.message());
    }
    return options;
}

std::string LaunchOptionParser::help() {
    std::ostringstream out;
    out << "Usage: rockets-sim launch URL[,URL...] [flags]\n"
           "\n"
           "POSTs rocket telemetry to URL (e.g. http://127.0.0.1:8088/messages) like the rockets test\n"
           "program does, then optionally verifies the server's REST API against the expected state.\n"
           "With several URLs, messages are spread over them round-robin. Flags are written\n"
           "--flag=value or --flag value; boolean flags need no value.\n"
           "\n"
           "Flags:\n";
    for (const Flag& flag : flags()) {
        std::string head = "  --" + flag.name + (flag.valueName.empty() ? "" : "=" + flag.valueName);
        out << head;
        if (head.size() < 30) out << std::string(30 - head.size(), ' ');
        else out << "\n" << std::string(30, ' ');
        std::string text = flag.help;
        if (!flag.defaultText.empty() && flag.defaultText != "false") text += " (default " + flag.defaultText + ")";
        out << wrap(text, 30, 100) << "\n";
    }
    out << "\n"
           "Exit status: 0 when every message was acknowledged (and, with --verify, PASS);\n"
           "1 when a message failed for --retry-for or verification FAILed; 2 for a bad command line.\n";
    return out.str();
}

}  // namespace rockets::sim
