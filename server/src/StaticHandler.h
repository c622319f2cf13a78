#pragma once

#include "EmbeddedFiles.h"

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

namespace rockets::server {

/// Serves one embedded file (GET / is the dashboard's index.html) with a strong
/// ETag of its content and `Cache-Control: no-cache`: browsers revalidate every
/// time and get 304 Not Modified while the server's build is unchanged.
class StaticHandler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit StaticHandler(const EmbeddedFile& file) : file_(file) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override;

    /// The embedded file for URL `path` ("/" is "/index.html"); nullptr when there is none.
    static const EmbeddedFile* find(const std::string& path);

    /// The ETag of `file` (quoted, from a hash of its content).
    static std::string etagOf(const EmbeddedFile& file);

private:
    const EmbeddedFile& file_;
};

}  // namespace rockets::server
