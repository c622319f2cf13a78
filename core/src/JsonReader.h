#pragma once

// Internal to core: reads JSON documents with Poco::JSON into Fields.

#include "JsonFields.h"

#include <functional>
#include <string>
#include <string_view>
#include <variant>

namespace rockets::json {

/// Why a text is not an acceptable JSON document; callers act on the kind.
struct ReadError {
    enum class Kind {
        Syntax,           ///< not RFC 8259 JSON text (including invalid UTF-8)
        TooDeep,          ///< arrays and objects nested deeper than kMaxJsonDepth
        NumberOutOfRange  ///< a number literal Poco cannot convert even after clamping (not expected)
    };
    Kind kind;
    std::string message;  ///< for a human: what, and at which byte
};

/// The kind of the top-level value, or why the text was rejected.
using ReadResult = std::variant<Kind, ReadError>;

/// Parses `text` with Poco::JSON (strict RFC 8259, UTF-8, no trailing data, nesting
/// at most kMaxJsonDepth, checked before Poco descends) and fills `root` from a
/// top-level object. Members not named in `root` are skipped. Never throws but
/// std::bad_alloc.
ReadResult readObject(std::string_view text, Fields& root);

/// readObject for a top-level array of objects: each element's members are read
/// into `element` (cleared first), then `onElement` is called with the element's
/// kind. Unlike readObject, a number literal beyond what Poco converts (a float
/// beyond the double range, an integer far beyond int64) rejects the document
/// with NumberOutOfRange wherever it is: arrays are only read back from our own
/// encoder, which never writes one.
ReadResult readArray(std::string_view text, Fields& element, const std::function<void(Kind)>& onElement);

}  // namespace rockets::json
