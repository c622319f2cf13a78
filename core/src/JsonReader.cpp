#include "JsonReader.h"

#include "rockets/Json.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Handler.h>
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <Poco/SharedPtr.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <istream>
#include <limits>
#include <optional>
#include <streambuf>
#include <utility>

namespace rockets::json {

namespace {

/// The text as a stream, without a copy. Poco's string overload reads bytes as
/// plain (signed) char, so a 0xFF byte reads as end of input and `{...}\xFF junk`
/// passes; through a streambuf every byte arrives as 0–255. The read position
/// also tells the handler where the token it is given ends.
class TextBuffer final : public std::streambuf {
public:
    explicit TextBuffer(std::string_view text) : text_(text) {
        char* begin = const_cast<char*>(text.data());  // get area only: nothing is ever written
        setg(begin, begin, begin + text.size());
    }

    /// The text consumed so far; it ends with the token just read.
    std::string_view consumed() const { return text_.substr(0, static_cast<std::size_t>(gptr() - eback())); }

private:
    std::string_view text_;
};

/// Thrown by the handler to stop Poco before it descends past kMaxJsonDepth.
struct TooDeep {};

/// Thrown when the text before the read position does not end with the number
/// literal Poco reported (only if a Poco upgrade changes how it reads numbers).
struct LiteralNotFound {};

bool isNumberChar(char c) {
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

bool isFloatLiteral(std::string_view literal) {
    return literal.find_first_of(".eE") != std::string_view::npos;
}

/// Poco's events → Fields. One frame per open container; the depth limit is
/// checked when a container opens, before Poco recurses into it, so hostile
/// nesting costs at most kMaxJsonDepth stack frames.
class FieldHandler final : public Poco::JSON::Handler {
public:
    FieldHandler(const TextBuffer& text, Fields* root, Fields* element, const std::function<void(Kind)>* onElement,
                 bool mayHaveNulEscapes)
        : text_(text), root_(root), element_(element), onElement_(onElement), mayHaveNulEscapes_(mayHaveNulEscapes) {}

    Kind rootKind() const { return rootKind_; }

    void reset() override {}
    void startObject() override { open(Kind::Object); }
    void endObject() override { close(); }
    void startArray() override { open(Kind::Array); }
    void endArray() override { close(); }
    void key(const std::string& name) override;
    void null() override { take(Kind::Null); }
    void value(bool) override { take(Kind::Bool); }
    void value(const std::string& text) override {
        if (Field* field = take(Kind::String)) field->string = text;
    }
    // Poco hands over a converted number (wrapped, for some literals beyond
    // uint64); the literal itself is read instead, for its class and exact value.
    void value(int v) override { number(v); }
    void value(unsigned v) override { number(v); }
    void value(Poco::Int64 v) override { number(v); }
    void value(Poco::UInt64) override { number(std::nullopt); }
    void value(double) override { number(std::nullopt); }

private:
    struct Frame {
        Fields* fields = nullptr;  ///< nullptr: a container whose content is skipped
        int slot = -1;             ///< the member whose value comes next, if read
        Kind kind = Kind::Object;
    };

    bool inTopLevelArray() const { return depth_ == 1 && element_ != nullptr && frames_[0].kind == Kind::Array; }

    /// Records a value of `kind` where it belongs; the field to fill in, or nullptr.
    Field* take(Kind kind) {
        if (depth_ == 0) {
            rootKind_ = kind;
            return nullptr;
        }
        if (inTopLevelArray()) {
            if (kind != Kind::Array && kind != Kind::Object) (*onElement_)(kind);
            return nullptr;
        }
        Frame& top = frames_[depth_ - 1];
        const int slot = std::exchange(top.slot, -1);
        if (top.fields == nullptr || slot < 0) return nullptr;
        Field& field = top.fields->at(slot);
        field.kind = kind;
        return &field;
    }

    void open(Kind kind) {
        Fields* target = nullptr;
        if (depth_ == 0) {
            rootKind_ = kind;
            if (kind == Kind::Object) target = root_;
        } else if (inTopLevelArray()) {
            if (kind == Kind::Object) {
                target = element_;
                target->clear();
            }
        } else {
            const Frame& top = frames_[depth_ - 1];
            Fields* parent = top.fields;
            const int slot = top.slot;
            if (take(kind) != nullptr && kind == Kind::Object) target = parent->childAt(slot);
        }
        if (depth_ == frames_.size()) throw TooDeep{};
        frames_[depth_++] = Frame{target, -1, kind};
    }

    void close() {
        const Kind kind = frames_[--depth_].kind;
        if (inTopLevelArray()) (*onElement_)(kind);
    }

    /// The literal of the number just read: the number characters before the read position.
    std::string_view literal() const {
        const std::string_view consumed = text_.consumed();
        std::size_t start = consumed.size();
        while (start > 0 && isNumberChar(consumed[start - 1])) --start;
        return consumed.substr(start);
    }

    void number(std::optional<std::int64_t> converted) {
        const std::string_view text = literal();
        if (text.empty()) throw LiteralNotFound{};
        Field* field = take(isFloatLiteral(text) ? Kind::Float : Kind::Integer);
        if (field == nullptr || field->kind == Kind::Float) return;
        std::int64_t value = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc::result_out_of_range) {
            field->overflow = true;
            value = text.front() == '-' ? std::numeric_limits<std::int64_t>::min()
                                        : std::numeric_limits<std::int64_t>::max();
        } else if (error != std::errc() || end != text.data() + text.size() || (converted && *converted != value)) {
            throw LiteralNotFound{};
        }
        field->integer = value;
    }

    bool keyHasNulEscape() const;

    const TextBuffer& text_;
    Fields* root_;
    Fields* element_;
    const std::function<void(Kind)>* onElement_;
    bool mayHaveNulEscapes_;
    Kind rootKind_ = Kind::Missing;
    std::array<Frame, kMaxJsonDepth> frames_{};
    std::size_t depth_ = 0;
};

void FieldHandler::key(const std::string& name) {
    Frame& top = frames_[depth_ - 1];
    if (top.fields == nullptr) return;
    top.slot = top.fields->indexOf(name);
    // Poco passes member names as C strings, so "channel\u0000x" arrives as
    // "channel": such a name is not the member it looks like.
    if (top.slot >= 0 && mayHaveNulEscapes_ && keyHasNulEscape()) top.slot = -1;
    if (top.slot >= 0) ++top.fields->at(top.slot).occurrences;
}

/// True when the member name just read (the consumed text ends with its closing
/// quote) contains the escape \u0000.
bool FieldHandler::keyHasNulEscape() const {
    const std::string_view consumed = text_.consumed();
    if (consumed.empty() || consumed.back() != '"') return false;
    // The opening quote is the nearest earlier '"' not escaped, i.e. preceded by
    // an even number of backslashes.
    const std::size_t close = consumed.size() - 1;
    std::size_t open = close;
    while (open > 0) {
        --open;
        if (consumed[open] != '"') continue;
        std::size_t backslashes = 0;
        while (backslashes < open && consumed[open - 1 - backslashes] == '\\') ++backslashes;
        if (backslashes % 2 == 0) break;
    }
    const std::string_view name = consumed.substr(open + 1, close - open - 1);
    for (std::size_t i = 0; i + 1 < name.size(); ++i) {
        if (name[i] != '\\') continue;
        if (name.substr(i + 1, 5) == "u0000") return true;
        ++i;  // skip the escaped character
    }
    return false;
}

/// Length of the RFC 8259 number literal at text[i] (-?int frac? exp?), or 0.
std::size_t numberLiteralLength(std::string_view text, std::size_t i) {
    const std::size_t start = i;
    const auto digits = [&] {
        const std::size_t from = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return i > from;
    };
    if (i < text.size() && text[i] == '-') ++i;
    if (i < text.size() && text[i] == '0') ++i;
    else if (!digits()) return 0;
    if (i + 1 < text.size() && text[i] == '.' && text[i + 1] >= '0' && text[i + 1] <= '9') {
        ++i;
        digits();
    }
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        const std::size_t mark = i++;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        if (!digits()) i = mark;
    }
    return i - start;
}

/// Poco 1.11's NumberParser throws on float literals beyond the double range and
/// on integers far beyond int64. In a member the codec ignores such a literal must
/// not reject the document (DESIGN §2: unknown fields are ignored), so each out-of-
/// range literal outside strings is replaced by one of the same class that Poco
/// converts and that still reads as out of range for an integer, between spaces
/// so that it cannot merge with its neighbours (`1e999e5` stays malformed).
std::string clampNumberLiterals(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool inString = false;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (inString) {
            const std::size_t n = c == '\\' && i + 1 < text.size() ? 2 : 1;
            out.append(text.substr(i, n));
            if (c == '"') inString = false;
            i += n;
            continue;
        }
        const std::size_t length = numberLiteralLength(text, i);
        if (length == 0) {
            if (c == '"') inString = true;
            out += c;
            ++i;
            continue;
        }
        const std::string_view literal = text.substr(i, length);
        const char* first = literal.data();
        const char* last = first + literal.size();
        if (isFloatLiteral(literal)) {
            double value = 0;
            out += std::from_chars(first, last, value).ec == std::errc::result_out_of_range ? " 0.0 " : literal;
        } else {
            std::int64_t value = 0;
            if (std::from_chars(first, last, value).ec == std::errc::result_out_of_range)
                out += literal.front() == '-' ? " -9223372036854775809 " : " 9223372036854775808 ";
            else
                out += literal;
        }
        i += length;
    }
    return out;
}

/// `message` with bytes outside printable ASCII shown as \xNN: Poco quotes the
/// offending input byte, which may be anything.
std::string printable(const std::string& message) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const char c : message) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte >= 0x20 && byte < 0x7F) {
            out += c;
        } else {
            out += "\\x";
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

ReadResult readOnce(std::string_view text, Fields* root, Fields* element, const std::function<void(Kind)>* onElement) {
    TextBuffer buffer(text);
    std::istream stream(&buffer);
    Poco::SharedPtr<FieldHandler> handler = new FieldHandler(buffer, root, element, onElement,
                                                             text.find("\\u0000") != std::string_view::npos);
    Poco::JSON::Parser parser(handler);
    parser.setAllowNullByte(true);  // a stream would otherwise be copied; \u0000 in values is allowed JSON
    parser.setDepth(kMaxJsonDepth);  // a second guard: the handler stops first
    // The byte just read is the one that failed (0-based, like an editor's column).
    const auto at = [&] { return " at byte " + std::to_string(std::max<std::size_t>(buffer.consumed().size(), 1) - 1); };
    try {
        parser.parse(stream);
        return handler->rootKind();
    } catch (const TooDeep&) {
        return ReadError{ReadError::Kind::TooDeep,
                         "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels" + at()};
    } catch (const LiteralNotFound&) {
        return ReadError{ReadError::Kind::Syntax, "unreadable number" + at()};
    } catch (const Poco::JSON::JSONException& e) {
        return ReadError{ReadError::Kind::Syntax, printable(e.message()) + at()};
    } catch (const Poco::SyntaxException&) {
        return ReadError{ReadError::Kind::NumberOutOfRange, "number out of range" + at()};
    } catch (const Poco::Exception& e) {
        return ReadError{ReadError::Kind::Syntax, printable(e.displayText()) + at()};
    }
}

ReadResult read(std::string_view text, Fields* root, Fields* element, const std::function<void(Kind)>* onElement) {
    ReadResult result = readOnce(text, root, element, onElement);
    const auto* error = std::get_if<ReadError>(&result);
    if (error == nullptr || error->kind != ReadError::Kind::NumberOutOfRange || root == nullptr) return result;
    root->clear();
    return readOnce(clampNumberLiterals(text), root, element, onElement);
}

}  // namespace

ReadResult readObject(std::string_view text, Fields& root) {
    return read(text, &root, nullptr, nullptr);
}

ReadResult readArray(std::string_view text, Fields& element, const std::function<void(Kind)>& onElement) {
    return read(text, nullptr, &element, &onElement);
}

}  // namespace rockets::json
