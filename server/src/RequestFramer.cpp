#include "RequestFramer.h"

#include <Poco/Ascii.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace rockets::server {

namespace {

Framing reject(int status, std::string code, std::string message) {
    Framing f;
    f.kind = Framing::Kind::Rejected;
    f.status = status;
    f.code = std::move(code);
    f.message = std::move(message);
    return f;
}

Framing badRequest(std::string message) { return reject(400, "bad_request", std::move(message)); }

Framing tooLarge(std::size_t limit) {
    return reject(413, "payload_too_large", "the body exceeds " + std::to_string(limit) + " bytes");
}

Framing complete(std::size_t length) {
    Framing f;
    f.kind = Framing::Kind::Complete;
    f.length = length;
    return f;
}

Framing incomplete(bool expectsContinue = false) {
    Framing f;
    f.expectsContinue = expectsContinue;
    return f;
}

/// RFC 9110 §5.6.2 token characters.
bool isTchar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool isToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), isTchar); }

/// Control characters other than HTAB (NUL, CR, LF, DEL, ...) are never part of a field.
bool hasControl(std::string_view s) {
    return std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && u != '\t') || u == 0x7f;
    });
}

bool isOws(char c) { return c == ' ' || c == '\t'; }

std::string_view trimOws(std::string_view s) {
    while (!s.empty() && isOws(s.front())) s.remove_prefix(1);
    while (!s.empty() && isOws(s.back())) s.remove_suffix(1);
    return s;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return Poco::Ascii::toLower(x) == Poco::Ascii::toLower(y);
           });
}

bool startsWithIgnoreCase(std::string_view s, std::string_view prefix) {
    return s.size() >= prefix.size() && equalsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

/// Splits `head` (ending with its empty line) into lines; false when one does not end in CRLF.
bool splitLines(std::string_view head, std::vector<std::string_view>& lines) {
    std::size_t start = 0;
    while (start < head.size()) {
        const std::size_t lf = head.find('\n', start);
        if (lf == std::string_view::npos || lf == start || head[lf - 1] != '\r') return false;
        lines.push_back(head.substr(start, lf - 1 - start));
        start = lf + 1;
    }
    return true;
}

}  // namespace

void RequestFramer::reset() {
    // Keeps the vectors' capacity: a kept-alive connection's requests reuse it.
    RequestHead head = std::move(head_);
    std::vector<std::string_view> lines = std::move(lines_);
    head.length = 0;
    head.fields.clear();
    head.body.clear();
    *this = RequestFramer(maxBodyBytes_);
    head_ = std::move(head);
    lines_ = std::move(lines);
}

Framing RequestFramer::feed(std::string_view buffered) {
    if (head_.length == 0) {
        // Find the empty line that ends the head, skipping empty lines before the
        // request line (RFC 9112 §2.2). Bare LF is found here and rejected below.
        std::size_t lineStart = searchFrom_;
        for (std::size_t lf = buffered.find('\n', searchFrom_); lf != std::string_view::npos;
             lf = buffered.find('\n', lineStart)) {
            const std::string_view line = buffered.substr(lineStart, lf - lineStart);
            lineStart = lf + 1;
            if (line.empty() || line == "\r") {
                if (sawRequestLine_) {
                    head_.length = lineStart;
                    break;
                }
            } else {
                sawRequestLine_ = true;
            }
        }
        if (head_.length == 0) {
            searchFrom_ = lineStart;
            if (buffered.size() > kMaxHeadBytes) {
                if (!sawRequestLine_) return reject(414, "uri_too_long", "the request line is too long");
                return reject(431, "header_fields_too_large",
                              "the request head exceeds " + std::to_string(kMaxHeadBytes) + " bytes");
            }
            return incomplete();
        }
        if (head_.length > kMaxHeadBytes) {
            return reject(431, "header_fields_too_large",
                          "the request head exceeds " + std::to_string(kMaxHeadBytes) + " bytes");
        }
        Framing head = parseHead(buffered.substr(0, head_.length));
        if (head.kind == Framing::Kind::Rejected) return head;
        chunkPos_ = head_.length;
    }
    switch (body_) {
    case Body::None:
        return complete(head_.length);
    case Body::Length:
        if (buffered.size() >= head_.length + contentLength_) return complete(head_.length + contentLength_);
        return incomplete(expectsContinue_);
    case Body::Chunked:
        return scanChunks(buffered);
    }
    return incomplete();
}

Framing RequestFramer::parseHead(std::string_view head) {
    const auto span = [&head](std::string_view part) {
        return Span{static_cast<std::size_t>(part.data() - head.data()), part.size()};
    };
    std::vector<std::string_view>& lines = lines_;
    lines.clear();
    if (!splitLines(head, lines)) return badRequest("header lines must end with CRLF");
    auto line = lines.begin();
    while (line != lines.end() && line->empty()) ++line;  // empty lines before the request line
    if (line == lines.end()) return badRequest("no request line");

    // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
    const std::string_view requestLine = *line++;
    const std::size_t sp1 = requestLine.find(' ');
    const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : requestLine.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || requestLine.find(' ', sp2 + 1) != std::string_view::npos) {
        return badRequest("the request line must be 'METHOD target HTTP/1.1'");
    }
    const std::string_view method = requestLine.substr(0, sp1);
    const std::string_view target = requestLine.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = requestLine.substr(sp2 + 1);
    if (!isToken(method) || method.size() > 32) return badRequest("invalid request method");
    if (target.size() > kMaxTargetBytes) return reject(414, "uri_too_long", "the request target is too long");
    if (target.empty() || hasControl(target) || target.find('\t') != std::string_view::npos) {
        return badRequest("invalid request target");
    }
    // origin-form, absolute-form (RFC 9112 §3.2.2: a server must accept it) and
    // asterisk-form; authority-form is only for CONNECT, which is not served.
    if (target.front() != '/' && target != "*" && !startsWithIgnoreCase(target, "http://") &&
        !startsWithIgnoreCase(target, "https://")) {
        return badRequest("the request target must be a path or an absolute http URL");
    }
    if (version.size() != 8 || !version.starts_with("HTTP/") || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9') {
        return badRequest("invalid HTTP version");
    }
    if (version != "HTTP/1.1" && version != "HTTP/1.0") {
        return reject(505, "http_version_not_supported", "only HTTP/1.1 and HTTP/1.0 are served");
    }
    const bool http11 = version == "HTTP/1.1";
    head_.method = span(method);
    head_.target = span(target);
    head_.version = span(version);

    std::size_t fields = 0, hosts = 0, lengths = 0, encodings = 0;
    std::string_view contentLength, transferEncoding;
    for (; line != lines.end() && !line->empty(); ++line) {
        const std::string_view field = *line;
        if (++fields > kMaxFields) {
            return reject(431, "header_fields_too_large", "more than " + std::to_string(kMaxFields) + " header fields");
        }
        if (field.size() > kMaxFieldLineBytes) {
            return reject(431, "header_fields_too_large",
                          "a header field exceeds " + std::to_string(kMaxFieldLineBytes) + " bytes");
        }
        if (isOws(field.front())) return badRequest("obsolete line folding is not accepted");
        const std::size_t colon = field.find(':');
        if (colon == std::string_view::npos) return badRequest("a header line has no colon");
        const std::string_view name = field.substr(0, colon);
        if (name.size() > kMaxFieldNameBytes) {
            return reject(431, "header_fields_too_large", "a header field name is too long");
        }
        // Also rejects whitespace between the name and the colon (RFC 9112 §5.1).
        if (!isToken(name)) return badRequest("invalid header field name");
        const std::string_view value = trimOws(field.substr(colon + 1));
        if (hasControl(value)) return badRequest("control characters in a header field value");
        head_.fields.emplace_back(span(name), span(value));
        if (equalsIgnoreCase(name, "Host")) {
            ++hosts;
        } else if (equalsIgnoreCase(name, "Content-Length")) {
            ++lengths;
            contentLength = value;
        } else if (equalsIgnoreCase(name, "Transfer-Encoding")) {
            ++encodings;
            transferEncoding = value;
        } else if (equalsIgnoreCase(name, "Expect")) {
            expectsContinue_ = http11 && equalsIgnoreCase(value, "100-continue");
        }
    }
    if (hosts > 1 || (http11 && hosts == 0)) return badRequest("an HTTP/1.1 request needs exactly one Host header");
    if (lengths > 0 && encodings > 0) return badRequest("Content-Length and Transfer-Encoding together are ambiguous");
    if (lengths > 1) return badRequest("more than one Content-Length header");
    if (encodings > 1) return badRequest("more than one Transfer-Encoding header");
    if (encodings == 1) {
        if (!http11) return badRequest("Transfer-Encoding needs HTTP/1.1");
        if (!equalsIgnoreCase(transferEncoding, "chunked")) {
            return badRequest("the only transfer coding accepted is 'chunked'");
        }
        body_ = Body::Chunked;
    } else if (lengths == 1) {
        if (contentLength.empty() || !std::all_of(contentLength.begin(), contentLength.end(),
                                                  [](char c) { return c >= '0' && c <= '9'; })) {
            return badRequest("Content-Length must be a non-negative decimal integer");
        }
        const std::string_view digits = contentLength.substr(std::min(contentLength.find_first_not_of('0'),
                                                                      contentLength.size()));
        if (digits.size() > 18) return tooLarge(maxBodyBytes_);
        contentLength_ = std::stoull(std::string(digits.empty() ? "0" : digits));
        if (contentLength_ > maxBodyBytes_) return tooLarge(maxBodyBytes_);
        body_ = contentLength_ > 0 ? Body::Length : Body::None;
        if (body_ == Body::Length) head_.body.push_back(Span{head_.length, contentLength_});
    }
    return complete(head_.length);
}

Framing RequestFramer::scanChunks(std::string_view buffered) {
    // chunked-body = *chunk last-chunk trailer-section CRLF (RFC 9112 §7.1)
    while (true) {
        if (chunkPos_ - head_.length > chunkData_ + kMaxChunkFramingBytes) {
            return badRequest("too much chunk framing");
        }
        if (chunkState_ == ChunkState::Data) {
            if (buffered.size() < chunkPos_ + chunkRemaining_ + 2) return incomplete(expectsContinue_);
            if (buffered.substr(chunkPos_ + chunkRemaining_, 2) != "\r\n") {
                return badRequest("chunk data must end with CRLF");
            }
            chunkPos_ += chunkRemaining_ + 2;
            chunkState_ = ChunkState::Size;
            continue;
        }
        const std::size_t lf = buffered.find('\n', chunkPos_);
        if (lf == std::string_view::npos) {
            if (buffered.size() - chunkPos_ > kMaxChunkFramingBytes) return badRequest("too much chunk framing");
            return incomplete(expectsContinue_);
        }
        if (lf == chunkPos_ || buffered[lf - 1] != '\r') return badRequest("chunk lines must end with CRLF");
        const std::string_view line = buffered.substr(chunkPos_, lf - 1 - chunkPos_);
        chunkPos_ = lf + 1;
        if (hasControl(line)) return badRequest("control characters in chunk framing");
        if (chunkState_ == ChunkState::Trailer) {
            if (line.empty()) return complete(chunkPos_);
            const std::size_t colon = line.find(':');
            if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
                return badRequest("invalid trailer field");
            }
            continue;
        }
        // chunk-size [ chunk-ext ]; at most 8 hex digits, like Poco's reader.
        std::size_t digits = 0;
        std::size_t size = 0;
        while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) {
            if (digits == 8) return tooLarge(maxBodyBytes_);
            const char c = line[digits++];
            size = size * 16 + static_cast<std::size_t>(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        const std::string_view extension = trimOws(line.substr(digits));
        if (digits == 0 || (!extension.empty() && extension.front() != ';') ||
            (digits < line.size() && !isOws(line[digits]) && line[digits] != ';')) {
            return badRequest("invalid chunk size");
        }
        if (size == 0) {
            chunkState_ = ChunkState::Trailer;
            continue;
        }
        chunkData_ += size;
        if (chunkData_ > maxBodyBytes_) return tooLarge(maxBodyBytes_);
        head_.body.push_back(Span{chunkPos_, size});
        chunkRemaining_ = size;
        chunkState_ = ChunkState::Data;
    }
}

}  // namespace rockets::server
