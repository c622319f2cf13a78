// Fuzz target: RequestFramer, the server's only reader of request bytes. Each input
// is fed whole and, separately, in two pieces (the first byte picks the split), so
// the resumable reading must not depend on how the bytes arrived. For a complete
// request the reading is checked against Poco's own HTTP parser, which read every
// request before the framer's reading replaced it (EdgeRequest): the same method,
// target, version and fields, and a body that lies where the framing said.
#include "FuzzCheck.h"

#include "RequestFramer.h"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/NameValueCollection.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace {

using rockets::fuzz::check;
using rockets::server::Framing;
using rockets::server::RequestFramer;
using rockets::server::Span;

constexpr std::size_t kMaxBody = 4096;

std::string describe(const Framing& f) {
    return std::to_string(static_cast<int>(f.kind)) + "/" + std::to_string(f.length) + "/" +
           std::to_string(f.status) + "/" + f.code;
}

bool within(const Span& span, std::size_t begin, std::size_t end) {
    return span.offset >= begin && span.offset <= end && span.length <= end - span.offset;
}

/// The framer's reading of a complete request against Poco's parser of its head.
void checkAgainstPoco(std::string_view request, const Framing& framing, const rockets::server::RequestHead& head) {
    const std::string bytes(request.substr(0, framing.length));
    std::istringstream in(bytes);
    Poco::Net::HTTPRequest poco;
    try {
        poco.read(in);
    } catch (const std::exception& e) {
        rockets::fuzz::broken("a request the framer accepts is one Poco parses", e.what());
    }
    check(poco.getMethod() == head.method.in(bytes), "the same method", bytes);
    check(poco.getURI() == head.target.in(bytes), "the same target", bytes);
    check(poco.getVersion() == head.version.in(bytes), "the same version", bytes);
    // The fields as EdgeRequest adds them (a name's repeats grouped, as Poco groups them).
    Poco::Net::NameValueCollection mine;
    for (const auto& [name, value] : head.fields) mine.add(std::string(name.in(bytes)), std::string(value.in(bytes)));
    check(poco.size() == mine.size(), "the same number of fields", bytes);
    for (auto theirs = poco.begin(), ours = mine.begin(); ours != mine.end(); ++theirs, ++ours) {
        check(theirs->first == ours->first, "the same field names in order", bytes);
        // Poco decodes RFC 2047 encoded words ("=?charset?Q?...?="), which HTTP does not have.
        const bool encodedWord = ours->second.find("=?") != std::string::npos;
        check(encodedWord || theirs->second == ours->second, "the same field values", bytes);
    }
    const std::size_t headEnd = head.length;
    check(headEnd >= 4 && headEnd <= framing.length && bytes.compare(headEnd - 4, 4, "\r\n\r\n") == 0, "the body starts after the head's empty line",
          bytes);
    std::size_t last = headEnd, total = 0;
    for (const Span& chunk : head.body) {
        check(chunk.offset >= last && within(chunk, headEnd, framing.length), "body spans in order, inside the request",
              bytes);
        last = chunk.offset + chunk.length;
        total += chunk.length;
    }
    check(total <= kMaxBody, "the body is within the limit", bytes);
    if (poco.hasContentLength()) {
        check(!poco.getChunkedTransferEncoding(), "never both lengths", bytes);
        check(static_cast<std::size_t>(poco.getContentLength64()) == total, "the body is Content-Length long", bytes);
        check(headEnd + total == framing.length, "the request ends with its body", bytes);
    }
    for (const Span* span : {&head.method, &head.target, &head.version}) {
        check(within(*span, 0, headEnd), "request-line parts lie in the head", bytes);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::size_t split = data[0] % (input.size() + 1);

    RequestFramer whole(kMaxBody);
    const Framing once = whole.feed(input);
    check(once.kind != Framing::Kind::Complete || (once.length > 0 && once.length <= input.size()),
          "a complete request lies in the bytes fed", describe(once));
    check(once.kind != Framing::Kind::Rejected || (once.status >= 400 && once.status < 600 && !once.code.empty()),
          "a rejection has a 4xx/5xx status and a code", describe(once));

    // The same bytes in two pieces: a piece that completes or rejects ends the reading.
    RequestFramer pieces(kMaxBody);
    Framing twice = pieces.feed(input.substr(0, split));
    if (twice.kind == Framing::Kind::Incomplete) twice = pieces.feed(input);
    check(twice.kind == once.kind && twice.length == once.length && twice.status == once.status,
          "the reading does not depend on how the bytes arrived", describe(once) + " vs " + describe(twice));

    if (once.kind == Framing::Kind::Complete) {
        checkAgainstPoco(input, once, whole.head());
        check(pieces.head().fields.size() == whole.head().fields.size() &&
                  pieces.head().body.size() == whole.head().body.size(),
              "the same reading from two pieces", std::string(input));
        // After reset() the framer reads the next request as a new one.
        whole.reset();
        const Framing again = whole.feed(input);
        check(again.kind == once.kind && again.length == once.length, "reset() forgets the previous request",
              describe(again));
    }
    return 0;
}
