#include "rockets/sim/StreamFile.h"

#include "rockets/Codec.h"

#include <Poco/Exception.h>

#include <fstream>

namespace rockets::sim {

void StreamFile::write(const std::string& path, const std::vector<Message>& sends) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) throw Poco::FileException("cannot write stream file", path);
    for (const Message& message : sends) out << encodeMessage(message) << '\n';
    out.flush();
    if (!out) throw Poco::FileException("cannot write stream file", path);
}

std::vector<Message> StreamFile::read(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw Poco::FileException("cannot read stream file", path);
    std::vector<Message> sends;
    std::string line;
    std::size_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        auto parsed = parseMessage(line);
        if (auto* error = std::get_if<CodecError>(&parsed))
            throw Poco::DataFormatException(path + ":" + std::to_string(lineNumber) + ": " + error->message);
        sends.push_back(std::move(std::get<Message>(parsed)));
    }
    if (in.bad()) throw Poco::FileException("cannot read stream file", path);
    return sends;
}

}  // namespace rockets::sim
