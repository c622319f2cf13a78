#pragma once

#include <string_view>
#include <vector>

namespace rockets::server {

/// A file compiled into the server (cmake/EmbedFiles.cmake): the dashboard in web/
/// and the OpenAPI document, so an installed server needs no data files.
struct EmbeddedFile {
    std::string_view path;         ///< URL path, e.g. "/assets/app.js"
    std::string_view contentType;  ///< e.g. "text/javascript; charset=utf-8"
    std::string_view content;
};

/// Every embedded file.
const std::vector<EmbeddedFile>& embeddedFiles();

}  // namespace rockets::server
