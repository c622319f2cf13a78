#include "rockets/sim/ReportJson.h"

#include "rockets/Codec.h"

#include <Poco/Exception.h>

#include <fstream>

namespace rockets::sim {

void appendJsonKey(std::string& out, std::string_view key) {
    if (out.back() != '{') out += ',';
    appendJsonString(out, key);
    out += ':';
}

void writeReportFile(const std::string& path, const std::string& json) {
    std::ofstream file(path, std::ios::trunc);
    file << json << '\n';
    file.flush();
    if (!file) throw Poco::FileException("cannot write report", path);
}

}  // namespace rockets::sim
