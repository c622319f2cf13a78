#pragma once

#include "rockets/Message.h"

#include <string>
#include <vector>

namespace rockets::sim {

/// The `--dump` / `--channels-from` file: one POST body per line (the wire form of
/// encodeMessage), in sending order, duplicates included. Replaying a dump sends
/// byte-identical bodies in the same order.
class StreamFile {
public:
    /// Writes `sends`; throws Poco::FileException when the file cannot be written.
    static void write(const std::string& path, const std::vector<Message>& sends);

    /// Reads a file written by write() (or by hand: blank lines are skipped). Throws
    /// Poco::DataFormatException naming the line when a line is not a valid message,
    /// Poco::FileException when the file cannot be read.
    static std::vector<Message> read(const std::string& path);
};

}  // namespace rockets::sim
