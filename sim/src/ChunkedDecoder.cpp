#include "rockets/sim/ChunkedDecoder.h"

#include <algorithm>

namespace rockets::sim {

namespace {

/// Longest size or trailer line accepted: far beyond any real one, and a bound on
/// what a peer that never ends a line makes us buffer.
constexpr std::size_t kMaxLine = 8192;

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool ChunkedDecoder::fail(std::string why) {
    state_ = State::Failed;
    error_ = "malformed chunked body: " + std::move(why);
    return false;
}

bool ChunkedDecoder::feed(std::string_view bytes, std::string& out) {
    while (!bytes.empty()) {
        switch (state_) {
            case State::Failed:
                return false;
            case State::Done:
                return true;
            case State::Data: {
                const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
                out.append(bytes.substr(0, take));
                bytes.remove_prefix(take);
                remaining_ -= take;
                if (remaining_ == 0) state_ = State::DataEnd;
                break;
            }
            case State::Size:
            case State::DataEnd:
            case State::Trailer: {
                const auto end = bytes.find('\n');
                line_.append(bytes.substr(0, end));
                if (line_.size() > kMaxLine) return fail("a line longer than " + std::to_string(kMaxLine) + " bytes");
                if (end == std::string_view::npos) return true;
                bytes.remove_prefix(end + 1);
                if (!line_.empty() && line_.back() == '\r') line_.pop_back();
                const std::string text = std::move(line_);
                line_.clear();
                if (!line(text)) return false;
                break;
            }
        }
    }
    return state_ != State::Failed;
}

bool ChunkedDecoder::line(std::string_view text) {
    if (state_ == State::DataEnd) {
        if (!text.empty()) return fail("chunk data longer than its size");
        state_ = State::Size;
        return true;
    }
    if (state_ == State::Trailer) {
        if (text.empty()) state_ = State::Done;
        return true;
    }
    const auto digits = text.find_first_of("; \t");
    const std::string_view hex = text.substr(0, digits);
    if (hex.empty()) return fail("a chunk size line without a size");
    std::uint64_t size = 0;
    for (const char c : hex) {
        const int digit = hexDigit(c);
        if (digit < 0) return fail("chunk size '" + std::string(hex) + "' is not hexadecimal");
        if (size > (UINT64_MAX >> 4)) return fail("chunk size '" + std::string(hex) + "' is too large");
        size = (size << 4) | static_cast<std::uint64_t>(digit);
    }
    remaining_ = size;
    state_ = size == 0 ? State::Trailer : State::Data;
    return true;
}

}  // namespace rockets::sim
