#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace rockets::sim {

/// What Server-Sent-Events streams delivered, summed over one stream or several.
struct SseCounts {
    /// Dispatched events by their `event:` name; "message" for an event without one.
    std::map<std::string, std::uint64_t, std::less<>> events;
    /// Comment lines (starting with ':'): the rockets server's heartbeats.
    std::uint64_t comments = 0;
    /// Body bytes (after any chunked transfer coding is removed).
    std::uint64_t bytes = 0;

    /// Events named `type` (0 when none came).
    std::uint64_t eventsOf(std::string_view type) const;
    /// Events of every name.
    std::uint64_t totalEvents() const;
    SseCounts& operator+=(const SseCounts& other);
};

/// Counts the events of a text/event-stream body as its bytes arrive, in pieces cut
/// anywhere, following the WHATWG event-stream interpretation: lines end in CRLF, LF
/// or CR; a blank line dispatches the event being read when it has a `data` field;
/// `event:` names it; a line starting with ':' is a comment. An event not finished
/// by a blank line when the stream ends is not counted.
class SseCounter {
public:
    /// Takes the next body bytes.
    void feed(std::string_view bytes);

    /// Everything counted so far.
    const SseCounts& counts() const { return counts_; }

private:
    void line(std::string_view text);

    SseCounts counts_;
    std::string partial_;      ///< a line begun in an earlier feed
    bool afterCr_ = false;     ///< the last feed ended in CR: an LF starting the next one ends nothing
    std::string type_;         ///< `event:` of the event being read
    bool hasData_ = false;     ///< the event being read has a `data` field
};

}  // namespace rockets::sim
