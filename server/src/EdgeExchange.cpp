#include "EdgeExchange.h"

#include "BufferedSocketImpl.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <cstdio>

namespace rockets::server {

namespace {

/// A streamed body is sent whenever this much of it is buffered.
constexpr std::size_t kSendAt = 64 * 1024;

}  // namespace

// --- EdgeResponse ----------------------------------------------------------

EdgeResponse::EdgeResponse(BufferedSocketImpl& io) : io_(io) {}

EdgeResponse::~EdgeResponse() = default;

std::string EdgeResponse::head() const {
    std::string out;
    out.reserve(256);
    out += getVersion();
    out += ' ';
    out += std::to_string(static_cast<int>(getStatus()));
    out += ' ';
    out += getReason();
    out += "\r\n";
    for (auto field = begin(); field != end(); ++field) {
        out += field->first;
        out += ": ";
        out += field->second;
        out += "\r\n";
    }
    out += "\r\n";
    return out;
}

void EdgeResponse::sendWhole(std::string_view body) {
    if (sent_) throw Poco::IllegalStateException("the response was already sent");
    sent_ = true;
    std::string out = head();
    if (!headOnly_) out += body;
    io_.sendAll(out);
}

void EdgeResponse::sendContinue() { io_.sendAll(getVersion() + " 100 Continue\r\n\r\n"); }

std::ostream& EdgeResponse::send() {
    if (sent_) throw Poco::IllegalStateException("the response was already sent");
    sent_ = true;
    const auto status = getStatus();
    Body::Framing framing = Body::Framing::UntilClose;
    std::uint64_t length = 0;
    if (headOnly_ || status < HTTP_OK || status == HTTP_NO_CONTENT || status == HTTP_NOT_MODIFIED) {
        framing = Body::Framing::None;
    } else if (getChunkedTransferEncoding()) {
        framing = Body::Framing::Chunked;
    } else if (hasContentLength()) {
        framing = Body::Framing::Fixed;
        length = static_cast<std::uint64_t>(std::max<Poco::Int64>(getContentLength64(), 0));
    } else {
        setKeepAlive(false);  // only the connection's end can end this body
    }
    body_ = std::make_unique<Body>(io_, head(), framing, length);
    stream_ = std::make_unique<std::ostream>(body_.get());
    return *stream_;
}

void EdgeResponse::sendFile(const std::string& path, const std::string& mediaType) {
    Poco::FileInputStream in(path);
    if (!in.good()) throw Poco::OpenFileException(path);
    std::string content;
    Poco::StreamCopier::copyToString(in, content);
    set("Last-Modified",
        Poco::DateTimeFormatter::format(Poco::File(path).getLastModified(), Poco::DateTimeFormat::HTTP_FORMAT));
    setContentType(mediaType);
    setChunkedTransferEncoding(false);
    setContentLength64(static_cast<Poco::Int64>(content.size()));
    sendWhole(content);
}

void EdgeResponse::sendBuffer(const void* buffer, std::size_t length) {
    setContentLength64(static_cast<Poco::Int64>(length));
    setChunkedTransferEncoding(false);
    sendWhole(std::string_view(static_cast<const char*>(buffer), length));
}

void EdgeResponse::redirect(const std::string& uri, HTTPStatus status) {
    setContentLength(0);
    setChunkedTransferEncoding(false);
    setStatusAndReason(status);
    set("Location", uri);
    sendWhole({});
}

void EdgeResponse::requireAuthentication(const std::string& realm) {
    setStatusAndReason(HTTP_UNAUTHORIZED);
    set("WWW-Authenticate", "Basic realm=\"" + realm + "\"");
    setContentLength(0);
    setChunkedTransferEncoding(false);
    sendWhole({});
}

void EdgeResponse::finish() {
    if (body_) body_->finish();
}

// --- EdgeResponse::Body ----------------------------------------------------

EdgeResponse::Body::Body(BufferedSocketImpl& io, std::string head, Framing framing, std::uint64_t length)
    : io_(io), out_(std::move(head)), framing_(framing), left_(length) {}

std::streamsize EdgeResponse::Body::xsputn(const char* data, std::streamsize size) {
    const auto n = static_cast<std::size_t>(std::max<std::streamsize>(size, 0));
    switch (framing_) {
    case Framing::None:
        break;
    case Framing::Chunked:
        chunk_.append(data, n);
        break;
    case Framing::Fixed: {
        const auto kept = static_cast<std::size_t>(std::min<std::uint64_t>(n, left_));
        out_.append(data, kept);
        left_ -= kept;
        break;
    }
    case Framing::UntilClose:
        out_.append(data, n);
        break;
    }
    if (out_.size() + chunk_.size() >= kSendAt) flushOut(false);
    return size;
}

EdgeResponse::Body::int_type EdgeResponse::Body::overflow(int_type c) {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char one = traits_type::to_char_type(c);
    xsputn(&one, 1);
    return c;
}

int EdgeResponse::Body::sync() {
    try {
        flushOut(false);
        return 0;
    } catch (const std::exception&) {
        return -1;  // the stream goes bad; finish() throws
    }
}

void EdgeResponse::Body::flushOut(bool last) {
    if (framing_ == Framing::Chunked) {
        if (!chunk_.empty()) {
            char size[20];
            const int digits = std::snprintf(size, sizeof size, "%zx\r\n", chunk_.size());
            out_.append(size, static_cast<std::size_t>(digits));
            out_ += chunk_;
            out_ += "\r\n";
            chunk_.clear();
        }
        if (last) out_ += "0\r\n\r\n";
    }
    if (!out_.empty()) {
        io_.sendAll(out_);
        out_.clear();
    }
}

void EdgeResponse::Body::finish() {
    if (finished_) return;
    finished_ = true;
    flushOut(true);
}

// --- EdgeRequest -----------------------------------------------------------

EdgeRequest::EdgeRequest(std::string_view bytes, const RequestHead& head, EdgeResponse& response,
                         Poco::Net::StreamSocket& socket, const Poco::Net::HTTPServerParams& params)
    : response_(response), socket_(socket), params_(params) {
    setMethod(std::string(head.method.in(bytes)));
    setURI(std::string(head.target.in(bytes)));
    setVersion(std::string(head.version.in(bytes)));
    for (const auto& [name, value] : head.fields) add(std::string(name.in(bytes)), std::string(value.in(bytes)));
    if (head.body.size() == 1) {
        body_ = head.body.front().in(bytes);
    } else if (head.body.size() > 1) {
        for (const Span& chunk : head.body) joined_ += chunk.in(bytes);
        body_ = joined_;
    }
}

std::istream& EdgeRequest::stream() {
    if (!stream_) stream_.emplace(body_.empty() ? "" : body_.data(), static_cast<std::streamsize>(body_.size()));
    return *stream_;
}

const Poco::Net::SocketAddress& EdgeRequest::clientAddress() const {
    if (!clientAddress_) clientAddress_ = socket_.peerAddress();
    return *clientAddress_;
}

const Poco::Net::SocketAddress& EdgeRequest::serverAddress() const {
    if (!serverAddress_) serverAddress_ = socket_.address();
    return *serverAddress_;
}

Poco::Net::StreamSocket EdgeRequest::detachSocket() {
    detached_ = true;
    return socket_;
}

}  // namespace rockets::server
