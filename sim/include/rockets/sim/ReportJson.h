#pragma once

#include <string>
#include <string_view>

namespace rockets::sim {

/// Appends `"key":` to the JSON object being written at the end of `out`, after a
/// comma unless the object has just opened.
void appendJsonKey(std::string& out, std::string_view key);

/// Writes `json` and a newline to the file `path` (replacing it): a command's
/// --report. Throws Poco::FileException when the file cannot be written.
void writeReportFile(const std::string& path, const std::string& json);

}  // namespace rockets::sim
