#include "RunFile.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Process.h>

namespace rockets::server {

RunFile::RunFile(std::string path, const std::string& line) : path_(std::move(path)) {
    if (path_.empty()) return;
    const std::string temporary = path_ + ".tmp-" + std::to_string(Poco::Process::id());
    try {
        {
            Poco::FileOutputStream out(temporary);
            out << line << '\n';
            out.close();
            if (!out.good()) throw Poco::WriteFileException(temporary);
        }
        Poco::File(temporary).renameTo(path_);
    } catch (const Poco::Exception& e) {
        path_.clear();
        throw Poco::FileException("cannot write " + e.displayText());
    }
}

RunFile::~RunFile() {
    try {
        if (!path_.empty()) Poco::File(path_).remove();
    } catch (const Poco::Exception&) {
        // Already gone: nothing to tidy.
    }
}

}  // namespace rockets::server
