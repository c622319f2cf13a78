#pragma once

#include "RequestFramer.h"

#include <Poco/MemoryStream.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>

namespace rockets::server {

class BufferedSocketImpl;

/// The answer to one request, written to the connection's socket. Poco's
/// HTTPServerResponseImpl does the same through an HTTPServerSession, but only
/// together with its own request, which parses the head again (29k instructions of a
/// keep-alive request's ~100k; bench/PROFILE.md, twenty-first session). Same
/// semantics: the answer to HEAD, a 1xx, 204 or 304 carries its head only; send()
/// streams a body that is chunked, fixed by Content-Length (bytes beyond it are
/// dropped) or, without either, ends with the connection. Sends are bounded by the
/// socket's per-request limits (BufferedSocketImpl::beginRequest).
class EdgeResponse final : public Poco::Net::HTTPServerResponse {
public:
    explicit EdgeResponse(BufferedSocketImpl& io);
    ~EdgeResponse() override;

    /// The request was HEAD: no answer carries a body.
    void answerHeadOnly(bool headOnly) { headOnly_ = headOnly; }

    void sendContinue() override;
    std::ostream& send() override;
    void sendFile(const std::string& path, const std::string& mediaType) override;
    void sendBuffer(const void* buffer, std::size_t length) override;
    void redirect(const std::string& uri, HTTPStatus status = HTTP_FOUND) override;
    void requireAuthentication(const std::string& realm) override;
    bool sent() const override { return sent_; }

    /// Ends what send() started (a chunked body's last chunk) and sends what is
    /// still buffered. Throws when the client does not take it.
    void finish();

private:
    /// The body send() hands out, framed as the head said.
    class Body final : public std::streambuf {
    public:
        enum class Framing { None, Chunked, Fixed, UntilClose };
        Body(BufferedSocketImpl& io, std::string head, Framing framing, std::uint64_t length);
        void finish();

    protected:
        std::streamsize xsputn(const char* data, std::streamsize size) override;
        int_type overflow(int_type c) override;
        int sync() override;

    private:
        void flushOut(bool last);

        BufferedSocketImpl& io_;
        std::string out_;    ///< head and framed body not yet sent
        std::string chunk_;  ///< Chunked: data of the chunk being gathered
        Framing framing_;
        std::uint64_t left_;  ///< Fixed: body bytes still allowed
        bool finished_ = false;
    };

    /// Status line and fields, as Poco's HTTPResponse::write() puts them.
    std::string head() const;
    /// Sends the head and `body` (dropped when answering HEAD) in one write.
    void sendWhole(std::string_view body);

    BufferedSocketImpl& io_;
    bool headOnly_ = false;
    bool sent_ = false;
    std::unique_ptr<Body> body_;
    std::unique_ptr<std::ostream> stream_;
};

/// One request as RequestFramer read it: method, target, version and fields come
/// from its reading and the body is read straight from the bytes buffered on the
/// connection (or, chunked, from their data joined), so nothing parses the head a
/// second time. The bytes must outlive the request.
class EdgeRequest final : public Poco::Net::HTTPServerRequest {
public:
    EdgeRequest(std::string_view bytes, const RequestHead& head, EdgeResponse& response,
                Poco::Net::StreamSocket& socket, const Poco::Net::HTTPServerParams& params);

    std::istream& stream() override;
    const Poco::Net::SocketAddress& clientAddress() const override;
    const Poco::Net::SocketAddress& serverAddress() const override;
    const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
    Poco::Net::HTTPServerResponse& response() const override { return response_; }
    bool secure() const override { return false; }

    /// Hands the connection to the caller, who keeps it after the answer's head (the
    /// change stream); the edge lets go of it without closing it.
    Poco::Net::StreamSocket detachSocket();
    bool detached() const { return detached_; }

private:
    std::string_view body_;
    std::string joined_;  ///< a body of several chunks, joined
    std::optional<Poco::MemoryInputStream> stream_;
    EdgeResponse& response_;
    Poco::Net::StreamSocket& socket_;
    const Poco::Net::HTTPServerParams& params_;
    mutable std::optional<Poco::Net::SocketAddress> clientAddress_;
    mutable std::optional<Poco::Net::SocketAddress> serverAddress_;
    bool detached_ = false;
};

}  // namespace rockets::server
