#pragma once

#include "rockets/sim/ChunkedDecoder.h"
#include "rockets/sim/SseCounter.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rockets::sim {

/// The answer to one `GET` of an event stream as its bytes arrive from the
/// connection: the response head, then the body (de-chunked when the server sends
/// it chunked, bounded when it has a Content-Length), counted by an SseCounter. No
/// sockets: the caller reads them and hands the bytes over.
class SseResponse {
public:
    enum class State {
        Head,    ///< the head has not fully arrived
        Body,    ///< 200 with text/event-stream: the events are being counted
        Ended,   ///< the body ended (its last chunk, its length, or the connection closed)
        Failed,  ///< not an event stream, or broken; see error()
    };

    /// Takes the next bytes received.
    void feed(std::string_view bytes);

    /// The connection was closed by the server: ends the body, or fails a response
    /// whose head had not arrived.
    void closed();

    State state() const { return state_; }

    /// What went wrong, for a human; empty unless Failed.
    const std::string& error() const { return error_; }

    /// The status code once the status line arrived; 0 before.
    int status() const { return status_; }

    /// The events, comments and body bytes counted so far.
    const SseCounts& counts() const { return counter_.counts(); }

private:
    void fail(std::string why);
    /// Parses the complete head in head_; on success moves to Body.
    void parseHead(std::string_view head);
    void feedBody(std::string_view bytes);

    State state_ = State::Head;
    std::string head_;
    std::string error_;
    int status_ = 0;
    bool chunked_ = false;
    std::optional<std::uint64_t> remaining_;  ///< body bytes left when Content-Length was given
    ChunkedDecoder decoder_;
    std::string decoded_;  ///< scratch of feedBody()
    SseCounter counter_;
};

}  // namespace rockets::sim
