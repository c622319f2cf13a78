#include "rockets/sim/LaunchOptionParser.h"

#include "rockets/sim/FlagParser.h"
#include "rockets/sim/UsageError.h"

#include <Poco/Exception.h>
#include <Poco/NumberParser.h>

#include <sstream>

namespace rockets::sim {

namespace {

bool allDigits(const std::string& value) {
    return !value.empty() && value.find_first_not_of("0123456789") == std::string::npos;
}

/// The flags of `launch`, each writing into `o`.
std::vector<Flag> launchFlags(LaunchOptions& o) {
    return {
        {"message-delay", "DURATION", "pause of each sender after each message (Go syntax: 500ms, 1s, 1m30s, 1h2m3.5s, 250us or 250µs, 10ns)",
         "0s", [&o](const std::string& v) { o.sender.messageDelay = FlagParser::durationValue("message-delay", v); }},
        {"concurrency-level", "N", "parallel senders pulling from one queue; their overtaking is the reordering the server sees",
         "3", [&o](const std::string& v) {
             o.sender.concurrency = static_cast<unsigned>(FlagParser::unsignedValue("concurrency-level", v, 1, 1024));
         }},
        {"max-messages", "N", "distinct messages to generate (injected duplicates come on top)", "100000",
         [&o](const std::string& v) {
             o.generator.maxMessages = FlagParser::unsignedValue("max-messages", v, 0, 100'000'000);
         }},
        {"seed", "N", "seed of everything generated: channels, payloads, messageTime, duplicates, shuffling", "444",
         [&o](const std::string& v) {
             std::int64_t signedSeed = 0;
             std::uint64_t seed = 0;
             if (allDigits(v) && Poco::NumberParser::tryParseUnsigned64(v, seed))
                 o.generator.seed = seed;
             else if (v.size() > 1 && v[0] == '-' && allDigits(v.substr(1)) &&
                      Poco::NumberParser::tryParse64(v, signedSeed))
                 o.generator.seed = static_cast<std::uint64_t>(signedSeed);
             else
                 FlagParser::bad("seed", v, "expected an integer");
             o.chaos.seed = o.generator.seed;
         }},
        {"rockets", "N", "number of rockets (channels)", "20",
         [&o](const std::string& v) { o.generator.rockets = FlagParser::unsignedValue("rockets", v, 1, 1'000'000); }},
        {"keep-alive", "", "reuse one connection per sender and URL instead of a new TCP connection per message", "false",
         [&o](const std::string& v) { o.sender.keepAlive = FlagParser::booleanValue("keep-alive", v); }},
        {"retry-for", "DURATION", "keep retrying a message (every 500ms, on any non-2xx or connection error) this long, then fail the run; 0: forever, like the real program",
         "60s", [&o](const std::string& v) { o.sender.retryFor = FlagParser::durationValue("retry-for", v); }},
        {"duplicate-rate", "P", "probability (0..1) that a message is sent once more, up to 1000 messages later", "0",
         [&o](const std::string& v) {
             double rate = 0;
             if (!Poco::NumberParser::tryParseFloat(v, rate) || !(rate >= 0 && rate <= 1))
                 FlagParser::bad("duplicate-rate", v, "expected a number between 0 and 1");
             o.chaos.duplicateRate = rate;
         }},
        {"reorder-window", "N", "shuffle consecutive blocks of N messages before sending (0: off)", "0",
         [&o](const std::string& v) {
             o.chaos.reorderWindow = FlagParser::unsignedValue("reorder-window", v, 0, 1'000'000);
         }},
        {"explode-midway", "", "keep sending messages after a rocket exploded (the server must ignore them)", "false",
         [&o](const std::string& v) { o.generator.explodeMidway = FlagParser::booleanValue("explode-midway", v); }},
        {"channels-from", "FILE", "replay the exact stream saved by --dump (generation flags are then ignored)", "",
         [&o](const std::string& v) { o.channelsFrom = v; }},
        {"dump", "FILE", "save the exact stream (one POST body per line, in sending order) before sending", "",
         [&o](const std::string& v) { o.dump = v; }},
        {"verify", "", "after sending, check every rocket and the GET /rockets listing against the core fold; print PASS or FAIL",
         "false", [&o](const std::string& v) { o.verify = FlagParser::booleanValue("verify", v); }},
        {"verify-timeout", "DURATION", "how long the server may take to become consistent", "30s",
         [&o](const std::string& v) { o.verifier.timeout = FlagParser::durationValue("verify-timeout", v); }},
        {"allow-other-rockets", "", "with --verify, accept rockets in GET /rockets that this run did not send", "false",
         [&o](const std::string& v) {
             o.verifier.allowOtherRockets = FlagParser::booleanValue("allow-other-rockets", v);
         }},
        {"report", "FILE", "write the summary as JSON", "",
         [&o](const std::string& v) { o.report = v; }},
        {"progress", "MODE", "auto (a bar on a terminal, plain lines otherwise), bar, lines or none", "auto",
         [&o](const std::string& v) {
             if (v == "auto") o.progress = ProgressMode::Auto;
             else if (v == "bar") o.progress = ProgressMode::Bar;
             else if (v == "lines") o.progress = ProgressMode::Lines;
             else if (v == "none") o.progress = ProgressMode::None;
             else FlagParser::bad("progress", v, "expected auto, bar, lines or none");
         }},
        {"help", "", "show this help", "",
         [&o](const std::string& v) { o.help = FlagParser::booleanValue("help", v); }},
    };
}

}  // namespace

LaunchOptions LaunchOptionParser::parse(const std::vector<std::string>& args) {
    LaunchOptions options;
    const std::vector<std::string> positional = FlagParser("launch", launchFlags(options)).parse(args);
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
    LaunchOptions scratch;
    out << FlagParser("launch", launchFlags(scratch)).help();
    out << "\n"
           "Exit status: 0 when every message was acknowledged (and, with --verify, PASS);\n"
           "1 when a message failed for --retry-for or verification FAILed; 2 for a bad command line.\n";
    return out.str();
}

}  // namespace rockets::sim
