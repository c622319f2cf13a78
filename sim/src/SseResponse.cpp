#include "rockets/sim/SseResponse.h"

#include <Poco/NumberParser.h>
#include <Poco/String.h>

#include <algorithm>

namespace rockets::sim {

namespace {

/// A head longer than this is not a server's answer to GET /changes.
constexpr std::size_t kMaxHead = 64 * 1024;

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
    return text;
}

std::string lower(std::string_view text) { return Poco::toLower(std::string(text)); }

}  // namespace

void SseResponse::fail(std::string why) {
    state_ = State::Failed;
    error_ = std::move(why);
}

void SseResponse::feed(std::string_view bytes) {
    if (state_ == State::Head) {
        const std::size_t before = head_.size();
        head_.append(bytes);
        // The blank line may straddle the previous feed.
        const auto end = head_.find("\r\n\r\n", before < 3 ? 0 : before - 3);
        if (end == std::string::npos) {
            if (head_.size() > kMaxHead) fail("no end of the response head in its first " + std::to_string(kMaxHead) + " bytes");
            return;
        }
        parseHead(std::string_view(head_).substr(0, end));
        if (state_ != State::Body) return;
        bytes.remove_prefix(end + 4 - before);
        head_.clear();
        head_.shrink_to_fit();
    }
    if (state_ == State::Body) feedBody(bytes);
}

void SseResponse::parseHead(std::string_view head) {
    const auto lineEnd = head.find("\r\n");
    const std::string_view statusLine = head.substr(0, lineEnd);
    // "HTTP/1.1 200 OK"
    if (statusLine.substr(0, 5) != "HTTP/" || statusLine.size() < 12 || statusLine[8] != ' ' ||
        !Poco::NumberParser::tryParse(std::string(statusLine.substr(9, 3)), status_)) {
        fail("not an HTTP response: '" + std::string(statusLine.substr(0, 80)) + "'");
        return;
    }
    std::string contentType;
    std::string transferEncoding;
    std::string contentLength;
    std::string_view rest = lineEnd == std::string_view::npos ? std::string_view() : head.substr(lineEnd + 2);
    while (!rest.empty()) {
        const auto end = rest.find("\r\n");
        const std::string_view line = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) continue;
        const std::string name = lower(trimmed(line.substr(0, colon)));
        const std::string_view value = trimmed(line.substr(colon + 1));
        if (name == "content-type") contentType = lower(value);
        else if (name == "transfer-encoding") transferEncoding = lower(value);
        else if (name == "content-length") contentLength = value;
    }
    if (status_ != 200) {
        fail("answered " + std::string(trimmed(statusLine.substr(9))) + ", not 200");
        return;
    }
    if (contentType.rfind("text/event-stream", 0) != 0) {
        fail(contentType.empty() ? "answered 200 without a Content-Type, not text/event-stream"
                                 : "answered 200 with Content-Type '" + contentType + "', not text/event-stream");
        return;
    }
    // The last coding is the one on the wire (RFC 9112 §6.1).
    const auto lastComma = transferEncoding.rfind(',');
    chunked_ = trimmed(std::string_view(transferEncoding).substr(lastComma == std::string::npos ? 0 : lastComma + 1)) ==
              "chunked";
    if (!chunked_ && !contentLength.empty()) {
        std::uint64_t length = 0;
        if (!Poco::NumberParser::tryParseUnsigned64(contentLength, length)) {
            fail("Content-Length '" + contentLength + "' is not a number");
            return;
        }
        remaining_ = length;
    }
    state_ = remaining_ == 0 ? State::Ended : State::Body;
}

void SseResponse::feedBody(std::string_view bytes) {
    if (chunked_) {
        decoded_.clear();
        const bool wellFormed = decoder_.feed(bytes, decoded_);
        counter_.feed(decoded_);
        if (!wellFormed) fail(decoder_.error());
        else if (decoder_.finished()) state_ = State::Ended;
        return;
    }
    if (remaining_) {
        bytes = bytes.substr(0, static_cast<std::size_t>(std::min<std::uint64_t>(*remaining_, bytes.size())));
        *remaining_ -= bytes.size();
    }
    counter_.feed(bytes);
    if (remaining_ == 0) state_ = State::Ended;
}

void SseResponse::closed() {
    if (state_ == State::Head) fail("the server closed the connection before the response head");
    else if (state_ == State::Body) state_ = State::Ended;
}

}  // namespace rockets::sim
