#pragma once

#include <string>

namespace rockets::test {

/// A fresh directory under the system temp folder, removed with its contents
/// when the object goes out of scope.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    /// Absolute path, without trailing slash.
    const std::string& path() const { return path_; }
    /// `path()/name`.
    std::string file(const std::string& name) const { return path_ + "/" + name; }

private:
    std::string path_;
};

}  // namespace rockets::test
