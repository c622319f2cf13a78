#include "TempDir.h"

#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/TemporaryFile.h>

namespace rockets::test {

TempDir::TempDir() {
    path_ = Poco::TemporaryFile::tempName();
    Poco::File(path_).createDirectories();
}

TempDir::~TempDir() {
    try {
        Poco::File(path_).remove(true);
    } catch (...) {
        // Best effort: a leftover temp folder must not fail a test.
    }
}

}  // namespace rockets::test
