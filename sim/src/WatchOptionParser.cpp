#include "rockets/sim/WatchOptionParser.h"

#include "rockets/sim/FlagParser.h"
#include "rockets/sim/Target.h"
#include "rockets/sim/UsageError.h"

#include <Poco/Exception.h>

namespace rockets::sim {

namespace {

/// The flags of `watch`, each writing into `o`.
std::vector<Flag> watchFlags(WatchOptions& o) {
    return {
        {"streams", "N", "streams to open on URL, all read by one thread", "1",
         [&o](const std::string& v) { o.streams = static_cast<unsigned>(FlagParser::unsignedValue("streams", v, 1, 1000)); }},
        {"seconds", "S", "stop after S seconds (default: on SIGINT or SIGTERM, or once the server closed every stream)",
         "", [&o](const std::string& v) {
             o.duration = std::chrono::seconds(FlagParser::unsignedValue("seconds", v, 1, 365 * 24 * 3600));
         }},
        {"report", "FILE", "write the counts as JSON", "", [&o](const std::string& v) { o.report = v; }},
        {"help", "", "show this help", "", [&o](const std::string& v) { o.help = FlagParser::booleanValue("help", v); }},
    };
}

}  // namespace

WatchOptions WatchOptionParser::parse(const std::vector<std::string>& args) {
    WatchOptions options;
    const std::vector<std::string> positional = FlagParser("watch", watchFlags(options)).parse(args);
    if (options.help) return options;
    if (positional.empty()) throw UsageError("missing URL, e.g. rockets-sim watch http://127.0.0.1:8088/changes");
    if (positional.size() > 1) throw UsageError("unexpected argument '" + positional[1] + "' (watch takes one URL)");
    try {
        // The same http:// rules as launch; its "messages path" is here the stream's path and query.
        const Target target = Target::parse(positional[0]);
        options.url = target.url;
        options.host = target.host;
        options.port = target.port;
        options.path = target.messagesPath;
    } catch (const Poco::SyntaxException& e) {
        throw UsageError(e.message());
    }
    return options;
}

std::string WatchOptionParser::help() {
    WatchOptions scratch;
    return "Usage: rockets-sim watch URL [flags]\n"
           "\n"
           "Opens --streams Server-Sent-Events streams on URL (e.g. http://127.0.0.1:8088/changes; a query\n"
           "such as ?status=ACTIVE is passed on) and reads all of them from one thread, counting events by\n"
           "name, heartbeats (comment lines) and body bytes. Prints \"rockets-sim watch: N streams open\"\n"
           "once every stream answered 200 with text/event-stream and sent its first bytes (from then on\n"
           "it misses no change), and one summary line at the end: on SIGINT or SIGTERM, after --seconds,\n"
           "or once the server closed every stream.\n"
           "\n"
           "Flags:\n" +
           FlagParser("watch", watchFlags(scratch)).help() +
           "\n"
           "Exit status: 0 when every stream opened with 200 and none failed (a stream the server\n"
           "closes is counted as closed, not failed); 1 otherwise; 2 for a bad command line.\n";
}

}  // namespace rockets::sim
