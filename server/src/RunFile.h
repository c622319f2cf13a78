#pragma once

#include <string>

namespace rockets::server {

/// A file that exists while the server runs (--pidfile, --port-file): written once
/// start-up has succeeded, removed when the server stops. Written to a temporary name
/// and renamed, so a reader never sees a partial line. An empty path writes nothing.
class RunFile {
public:
    /// Writes `line` and a newline to `path`; throws Poco::FileException naming the
    /// path when it cannot.
    RunFile(std::string path, const std::string& line);
    ~RunFile();
    RunFile(const RunFile&) = delete;
    RunFile& operator=(const RunFile&) = delete;

private:
    std::string path_;
};

}  // namespace rockets::server
