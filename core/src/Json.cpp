#include "rockets/Json.h"

#include <cstring>

namespace rockets {

const JsonValue* JsonValue::find(std::string_view key) const {
    if (kind != Kind::Object) return nullptr;
    for (const auto& [name, value] : members) {
        if (name == key) return &value;
    }
    return nullptr;
}

namespace {

// Length of the UTF-8 sequence starting at s[i] if it is valid, else 0.
std::size_t utf8SequenceLength(std::string_view s, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = byte(i);
    if (c < 0x80) return 1;
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds for the second byte
    if (c >= 0xC2 && c <= 0xDF) len = 2;
    else if (c == 0xE0) { len = 3; lo = 0xA0; }
    else if (c >= 0xE1 && c <= 0xEC) len = 3;
    else if (c == 0xED) { len = 3; hi = 0x9F; }  // excludes UTF-16 surrogates
    else if (c >= 0xEE && c <= 0xEF) len = 3;
    else if (c == 0xF0) { len = 4; lo = 0x90; }
    else if (c >= 0xF1 && c <= 0xF3) len = 4;
    else if (c == 0xF4) { len = 4; hi = 0x8F; }  // at most U+10FFFF
    else return 0;
    if (i + len > s.size()) return 0;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
    }
    return len;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

class Parser {
public:
    Parser(std::string_view text, std::string& error) : s_(text), error_(error) {}

    bool parseDocument(JsonValue& out) {
        skipWhitespace();
        if (!parseValue(out, 1)) return false;
        skipWhitespace();
        if (pos_ != s_.size()) return fail("unexpected data after the JSON value");
        return true;
    }

private:
    bool fail(const char* what) {
        error_ = std::string(what) + " at byte " + std::to_string(pos_);
        return false;
    }

    void skipWhitespace() {
        while (pos_ < s_.size()) {
            const char c = s_[pos_];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
            ++pos_;
        }
    }

    bool literal(const char* word) {
        const std::size_t n = std::strlen(word);
        if (s_.compare(pos_, n, word) != 0) return fail("invalid literal");
        pos_ += n;
        return true;
    }

    // Recursion is bounded by kMaxJsonDepth, so hostile nesting cannot exhaust the stack.
    bool parseValue(JsonValue& out, int depth) {
        if (pos_ >= s_.size()) return fail("unexpected end of input");
        switch (s_[pos_]) {
        case '{': return parseObject(out, depth);
        case '[': return parseArray(out, depth);
        case '"': out.kind = JsonValue::Kind::String; return parseString(out.string);
        case 't': out.kind = JsonValue::Kind::Bool; out.boolean = true; return literal("true");
        case 'f': out.kind = JsonValue::Kind::Bool; out.boolean = false; return literal("false");
        case 'n': out.kind = JsonValue::Kind::Null; return literal("null");
        default: return parseNumber(out);
        }
    }

    bool enter(int depth) {
        if (depth > kMaxJsonDepth) return fail("nesting deeper than 32 levels");
        ++pos_;
        skipWhitespace();
        return true;
    }

    bool parseObject(JsonValue& out, int depth) {
        out.kind = JsonValue::Kind::Object;
        if (!enter(depth)) return false;
        if (pos_ < s_.size() && s_[pos_] == '}') { ++pos_; return true; }
        while (true) {
            if (pos_ >= s_.size() || s_[pos_] != '"') return fail("expected a member name");
            std::string name;
            if (!parseString(name)) return false;
            skipWhitespace();
            if (pos_ >= s_.size() || s_[pos_] != ':') return fail("expected ':'");
            ++pos_;
            skipWhitespace();
            JsonValue value;
            if (!parseValue(value, depth + 1)) return false;
            out.members.emplace_back(std::move(name), std::move(value));
            skipWhitespace();
            if (pos_ >= s_.size()) return fail("unterminated object");
            if (s_[pos_] == '}') { ++pos_; return true; }
            if (s_[pos_] != ',') return fail("expected ',' or '}'");
            ++pos_;
            skipWhitespace();
        }
    }

    bool parseArray(JsonValue& out, int depth) {
        out.kind = JsonValue::Kind::Array;
        if (!enter(depth)) return false;
        if (pos_ < s_.size() && s_[pos_] == ']') { ++pos_; return true; }
        while (true) {
            JsonValue item;
            if (!parseValue(item, depth + 1)) return false;
            out.items.push_back(std::move(item));
            skipWhitespace();
            if (pos_ >= s_.size()) return fail("unterminated array");
            if (s_[pos_] == ']') { ++pos_; return true; }
            if (s_[pos_] != ',') return fail("expected ',' or ']'");
            ++pos_;
            skipWhitespace();
        }
    }

    bool hex4(std::uint32_t& value) {
        if (pos_ + 4 > s_.size()) return fail("truncated \\u escape");
        value = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = s_[pos_++];
            value <<= 4;
            if (c >= '0' && c <= '9') value |= static_cast<std::uint32_t>(c - '0');
            else if (c >= 'a' && c <= 'f') value |= static_cast<std::uint32_t>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') value |= static_cast<std::uint32_t>(c - 'A' + 10);
            else return fail("invalid \\u escape");
        }
        return true;
    }

    bool parseString(std::string& out) {
        ++pos_;  // opening quote
        while (true) {
            // Copy the run of plain bytes in one go: the common case for telemetry.
            const std::size_t start = pos_;
            while (pos_ < s_.size()) {
                const auto c = static_cast<unsigned char>(s_[pos_]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
                ++pos_;
            }
            out.append(s_.data() + start, pos_ - start);
            if (pos_ >= s_.size()) return fail("unterminated string");
            const auto c = static_cast<unsigned char>(s_[pos_]);
            if (c == '"') { ++pos_; return true; }
            if (c < 0x20) return fail("control character in string");
            if (c >= 0x80) {
                const std::size_t len = utf8SequenceLength(s_, pos_);
                if (len == 0) return fail("invalid UTF-8");
                out.append(s_.data() + pos_, len);
                pos_ += len;
                continue;
            }
            // Backslash escape.
            if (++pos_ >= s_.size()) return fail("unterminated escape");
            const char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                std::uint32_t cp = 0;
                if (!hex4(cp)) return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    std::uint32_t low = 0;
                    if (pos_ + 2 > s_.size() || s_[pos_] != '\\' || s_[pos_ + 1] != 'u')
                        return fail("lone high surrogate");
                    pos_ += 2;
                    if (!hex4(low)) return false;
                    if (low < 0xDC00 || low > 0xDFFF) return fail("invalid surrogate pair");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                appendUtf8(out, cp);
                break;
            }
            default: return fail("invalid escape");
            }
        }
    }

    static bool isDigit(char c) { return c >= '0' && c <= '9'; }

    bool parseNumber(JsonValue& out) {
        const std::size_t start = pos_;
        const bool negative = s_[pos_] == '-';
        if (negative) ++pos_;
        if (pos_ >= s_.size() || !isDigit(s_[pos_])) return fail("invalid value");
        std::uint64_t magnitude = 0;
        bool overflow = false;
        if (s_[pos_] == '0') {
            ++pos_;
        } else {
            while (pos_ < s_.size() && isDigit(s_[pos_])) {
                const auto digit = static_cast<std::uint64_t>(s_[pos_++] - '0');
                if (magnitude > (UINT64_MAX - digit) / 10) overflow = true;
                else magnitude = magnitude * 10 + digit;
            }
        }
        bool isFloat = false;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            isFloat = true;
            ++pos_;
            if (pos_ >= s_.size() || !isDigit(s_[pos_])) return fail("digit expected after '.'");
            while (pos_ < s_.size() && isDigit(s_[pos_])) ++pos_;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            isFloat = true;
            ++pos_;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
            if (pos_ >= s_.size() || !isDigit(s_[pos_])) return fail("digit expected in exponent");
            while (pos_ < s_.size() && isDigit(s_[pos_])) ++pos_;
        }
        if (isFloat) {
            out.kind = JsonValue::Kind::Float;
            out.number = std::strtod(std::string(s_.substr(start, pos_ - start)).c_str(), nullptr);
            return true;
        }
        out.kind = JsonValue::Kind::Integer;
        const std::uint64_t limit = negative ? std::uint64_t{1} << 63 : (std::uint64_t{1} << 63) - 1;
        if (overflow || magnitude > limit) {
            out.overflow = true;
            out.integer = negative ? INT64_MIN : INT64_MAX;
        } else {
            out.integer = negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
        }
        return true;
    }

    std::string_view s_;
    std::string& error_;
    std::size_t pos_ = 0;
};

}  // namespace

bool parseJson(std::string_view text, JsonValue& out, std::string& error) {
    out = JsonValue{};
    return Parser(text, error).parseDocument(out);
}

bool isValidUtf8(std::string_view text) {
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t len = utf8SequenceLength(text, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

}  // namespace rockets
