#include "StaticHandler.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cstdint>
#include <cstdio>
#include <unordered_map>

namespace rockets::server {

namespace {

/// FNV-1a, 64 bits: enough to tell two builds' files apart.
std::uint64_t fnv1a(std::string_view bytes) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (const char c : bytes) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

}  // namespace

const EmbeddedFile* StaticHandler::find(const std::string& path) {
    static const auto byPath = [] {
        std::unordered_map<std::string_view, const EmbeddedFile*> map;
        for (const EmbeddedFile& file : embeddedFiles()) map.emplace(file.path, &file);
        return map;
    }();
    auto it = byPath.find(path == "/" ? std::string_view("/index.html") : std::string_view(path));
    return it == byPath.end() ? nullptr : it->second;
}

std::string StaticHandler::etagOf(const EmbeddedFile& file) {
    char text[20];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(fnv1a(file.content)));
    return "\"" + std::string(text) + "\"";
}

void StaticHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    const std::string etag = etagOf(file_);
    response.set("ETag", etag);
    response.set("Cache-Control", "no-cache");
    response.set("X-Content-Type-Options", "nosniff");
    if (request.get("If-None-Match", "") == etag) {
        response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_NOT_MODIFIED);
        response.setContentLength(0);
        response.send();
        return;
    }
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_OK);
    response.setContentType(std::string(file_.contentType));
    response.setContentLength(static_cast<std::streamsize>(file_.content.size()));
    response.sendBuffer(file_.content.data(), file_.content.size());
}

}  // namespace rockets::server
