#include "rockets/sim/SseCounter.h"

namespace rockets::sim {

namespace {

/// The position of the first CR or LF in `bytes` (SSE ends a line with either, or
/// with CRLF), or npos. A plain loop: string_view::find_first_of calls memchr once per
/// byte, which made it most of a watch process's CPU.
std::size_t lineEnd(std::string_view bytes) {
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (bytes[i] == '\n' || bytes[i] == '\r') return i;
    }
    return std::string_view::npos;
}

}  // namespace

std::uint64_t SseCounts::eventsOf(std::string_view type) const {
    const auto found = events.find(type);
    return found == events.end() ? 0 : found->second;
}

std::uint64_t SseCounts::totalEvents() const {
    std::uint64_t total = 0;
    for (const auto& [type, count] : events) total += count;
    return total;
}

SseCounts& SseCounts::operator+=(const SseCounts& other) {
    for (const auto& [type, count] : other.events) events[type] += count;
    comments += other.comments;
    bytes += other.bytes;
    return *this;
}

void SseCounter::feed(std::string_view bytes) {
    counts_.bytes += bytes.size();
    if (afterCr_ && !bytes.empty() && bytes.front() == '\n') bytes.remove_prefix(1);
    afterCr_ = false;
    while (!bytes.empty()) {
        const auto end = lineEnd(bytes);
        if (end == std::string_view::npos) {
            partial_.append(bytes);
            return;
        }
        if (partial_.empty()) {
            line(bytes.substr(0, end));
        } else {
            partial_.append(bytes.substr(0, end));
            line(partial_);
            partial_.clear();
        }
        std::size_t next = end + 1;
        if (bytes[end] == '\r') {
            if (next == bytes.size()) afterCr_ = true;
            else if (bytes[next] == '\n') ++next;
        }
        bytes.remove_prefix(next);
    }
}

void SseCounter::line(std::string_view text) {
    if (text.empty()) {
        if (hasData_) ++counts_.events[type_.empty() ? "message" : type_];
        type_.clear();
        hasData_ = false;
        return;
    }
    if (text.front() == ':') {
        ++counts_.comments;
        return;
    }
    const auto colon = text.find(':');
    const std::string_view field = text.substr(0, colon);
    std::string_view value;
    if (colon != std::string_view::npos) {
        value = text.substr(colon + 1);
        if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    }
    if (field == "event") type_.assign(value);
    else if (field == "data") hasData_ = true;
    // id and retry matter to a client that reconnects; this one only counts.
}

}  // namespace rockets::sim
