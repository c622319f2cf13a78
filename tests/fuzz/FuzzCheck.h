#pragma once

// What the fuzz targets share: how an invariant fails, and a second opinion on
// "this is JSON" from Poco's DOM parser, independent of the codec's handler.

#include "rockets/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

namespace rockets::fuzz {

/// Stops the run: libFuzzer saves the input as a crash and prints `what`.
[[noreturn]] inline void broken(std::string_view what, std::string_view detail = {}) {
    std::fprintf(stderr, "invariant broken: %.*s\n  %.*s\n", static_cast<int>(what.size()), what.data(),
                 static_cast<int>(detail.size()), detail.data());
    std::abort();
}

inline void check(bool holds, std::string_view what, std::string_view detail = {}) {
    if (!holds) broken(what, detail);
}

/// `text` is UTF-8 and a JSON document by Poco's DOM parser (read from a stream:
/// Poco's string overload mistakes byte 0xFF for the end of input).
inline void checkIsJson(const std::string& text, std::string_view what) {
    check(isValidUtf8(text), what, text);
    try {
        std::istringstream in(text);
        Poco::JSON::Parser().parse(in);
    } catch (const Poco::Exception& e) {
        broken(what, e.displayText() + " in " + text);
    }
}

}  // namespace rockets::fuzz
