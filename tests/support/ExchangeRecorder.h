#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rockets::test {

/// One HTTP exchange as a test saw it, for the check against docs/openapi.json
/// (tests/openapi/validate.js).
struct RecordedExchange {
    std::string method;  ///< empty when no request line could be read (or none was sent)
    std::string target;
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    bool streamed = false;  ///< an event stream: its body is not recorded
};

/// Appends `exchange` as one JSON line to <$ROCKETS_EXCHANGES_DIR>/<pid>.jsonl, with
/// the running test's name; does nothing when the variable is unset. Thread-safe.
void recordExchange(const RecordedExchange& exchange);

/// The method and target of the request line at the start of `bytes` (empty lines
/// before it skipped); nullopt when there is none.
std::optional<std::pair<std::string, std::string>> requestLineOf(std::string_view bytes);

/// A response read off a raw connection: status, headers, body.
struct RawHttpResponse {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::size_t length = 0;  ///< bytes it took in the input
};

/// Parses the response at the start of `bytes`; nullopt when it is not complete.
/// `toHead`: the answer to a HEAD request (no body, whatever Content-Length says).
std::optional<RawHttpResponse> parseRawResponse(std::string_view bytes, bool toHead = false);

}  // namespace rockets::test
