#include "rockets/sim/WatchReport.h"

#include "rockets/Codec.h"
#include "rockets/sim/ReportJson.h"

#include <cstdio>
#include <utility>

namespace rockets::sim {

namespace {

/// The events by name: rocket and resync first and always (a report says "none
/// came" rather than leaving them out), then any others by name.
std::vector<std::pair<std::string, std::uint64_t>> eventsByName(const SseCounts& counts) {
    std::vector<std::pair<std::string, std::uint64_t>> named = {{"rocket", counts.eventsOf("rocket")},
                                                                {"resync", counts.eventsOf("resync")}};
    for (const auto& [type, count] : counts.events)
        if (type != "rocket" && type != "resync") named.emplace_back(type, count);
    return named;
}

/// {"rocket":n,"resync":n,<other names>:n}
void appendEvents(std::string& out, const SseCounts& counts) {
    out += '{';
    for (const auto& [type, count] : eventsByName(counts)) {
        appendJsonKey(out, type);
        out += std::to_string(count);
    }
    out += '}';
}

}  // namespace

SseCounts WatchReport::total() const {
    SseCounts sum;
    for (const WatchedStream& stream : streams) sum += stream.counts;
    return sum;
}

std::vector<std::string> WatchReport::errors() const {
    std::vector<std::string> found;
    for (std::size_t i = 0; i < streams.size(); ++i)
        if (!streams[i].error.empty()) found.push_back("stream " + std::to_string(i + 1) + ": " + streams[i].error);
    return found;
}

bool WatchReport::succeeded() const {
    for (const WatchedStream& stream : streams)
        if (!stream.opened || !stream.error.empty()) return false;
    return true;
}

void WatchReport::writeText(std::ostream& out) const {
    const SseCounts sum = total();
    out << "rockets-sim watch: " << streams.size() << " streams, " << sum.totalEvents() << " events (";
    const char* separator = "";
    for (const auto& [type, count] : eventsByName(sum)) {
        out << separator << type << ' ' << count;
        separator = ", ";
    }
    out << "), " << sum.comments << " heartbeats, " << sum.bytes << " bytes";
    std::size_t closed = 0;
    for (const WatchedStream& stream : streams) closed += stream.closed ? 1 : 0;
    if (closed > 0) out << ", " << closed << " closed by the server";
    if (const auto failed = errors().size(); failed > 0) out << ", " << failed << " failed";
    out << std::endl;
}

std::string WatchReport::toJson() const {
    const SseCounts sum = total();
    std::size_t opened = 0;
    std::size_t closed = 0;
    for (const WatchedStream& stream : streams) {
        opened += stream.opened ? 1 : 0;
        closed += stream.closed ? 1 : 0;
    }
    std::string out = "{";
    appendJsonKey(out, "url");
    appendJsonString(out, url);
    appendJsonKey(out, "streams");
    out += std::to_string(streams.size());
    appendJsonKey(out, "opened");
    out += std::to_string(opened);
    appendJsonKey(out, "closed");
    out += std::to_string(closed);
    appendJsonKey(out, "events");
    appendEvents(out, sum);
    appendJsonKey(out, "heartbeats");
    out += std::to_string(sum.comments);
    appendJsonKey(out, "bytes");
    out += std::to_string(sum.bytes);
    appendJsonKey(out, "errors");
    out += '[';
    for (const std::string& error : errors()) {
        if (out.back() != '[') out += ',';
        appendJsonString(out, error);
    }
    out += ']';
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.3f", std::chrono::duration<double>(elapsed).count());
    appendJsonKey(out, "seconds");
    out += seconds;
    appendJsonKey(out, "perStream");
    out += '[';
    for (const WatchedStream& stream : streams) {
        if (out.back() != '[') out += ',';
        out += '{';
        appendJsonKey(out, "events");
        appendEvents(out, stream.counts);
        appendJsonKey(out, "heartbeats");
        out += std::to_string(stream.counts.comments);
        appendJsonKey(out, "bytes");
        out += std::to_string(stream.counts.bytes);
        appendJsonKey(out, "opened");
        out += stream.opened ? "true" : "false";
        appendJsonKey(out, "closed");
        out += stream.closed ? "true" : "false";
        out += '}';
    }
    out += "]}";
    return out;
}

}  // namespace rockets::sim
