#include "rockets/sim/Duration.h"

#include <cstdint>
#include <limits>

namespace rockets::sim {

namespace {

/// Nanoseconds per unit, or 0 when `unit` is not one of Go's duration units.
std::int64_t unitNanos(std::string_view unit) {
    if (unit == "ns") return 1;
    if (unit == "us" || unit == "\xC2\xB5s" /* µ U+00B5 */ || unit == "\xCE\xBCs" /* μ U+03BC */) return 1'000;
    if (unit == "ms") return 1'000'000;
    if (unit == "s") return 1'000'000'000;
    if (unit == "m") return 60'000'000'000;
    if (unit == "h") return 3'600'000'000'000;
    return 0;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<std::chrono::nanoseconds> parseDuration(std::string_view text) {
    std::string_view rest = text;
    if (!rest.empty() && (rest.front() == '+' || rest.front() == '-')) {
        // A negative delay or timeout has no meaning here; "-0" is still zero.
        const bool negative = rest.front() == '-';
        rest.remove_prefix(1);
        if (negative) {
            const auto value = parseDuration(rest);
            if (value && value->count() == 0) return value;
            return std::nullopt;
        }
    }
    if (rest == "0") return std::chrono::nanoseconds{0};
    if (rest.empty()) return std::nullopt;

    // Exact integer nanoseconds, like Go; fraction digits below a nanosecond are dropped.
    std::int64_t total = 0;
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    while (!rest.empty()) {
        std::size_t i = 0;
        std::int64_t whole = 0;
        bool wholeDigits = false;
        while (i < rest.size() && isDigit(rest[i])) {
            if (whole > (kMax - (rest[i] - '0')) / 10) return std::nullopt;
            whole = whole * 10 + (rest[i] - '0');
            wholeDigits = true;
            ++i;
        }
        std::string_view fraction;
        if (i < rest.size() && rest[i] == '.') {
            ++i;
            const std::size_t start = i;
            while (i < rest.size() && isDigit(rest[i])) ++i;
            fraction = rest.substr(start, i - start);
        }
        if (!wholeDigits && fraction.empty()) return std::nullopt;
        const std::size_t unitStart = i;
        while (i < rest.size() && !isDigit(rest[i]) && rest[i] != '.') ++i;
        const std::int64_t scale = unitNanos(rest.substr(unitStart, i - unitStart));
        if (scale == 0) return std::nullopt;

        if (whole > kMax / scale) return std::nullopt;
        std::int64_t component = whole * scale;
        // Fraction: digit d at position k contributes d * scale / 10^(k+1), exactly
        // while the divisor still divides; deeper digits are below a nanosecond.
        std::int64_t place = scale;
        for (char digit : fraction) {
            place /= 10;
            if (place == 0) break;
            component += (digit - '0') * place;
        }
        if (component > kMax - total) return std::nullopt;
        total += component;
        rest.remove_prefix(i);
    }
    return std::chrono::nanoseconds{total};
}

std::string formatDuration(std::chrono::nanoseconds duration) {
    std::int64_t ns = duration.count();
    if (ns == 0) return "0s";
    std::string out;
    if (ns < 0) {
        out = "-";
        ns = -ns;
    }
    if (ns < 1'000) return out + std::to_string(ns) + "ns";
    if (ns < 1'000'000) {
        const std::int64_t us = ns / 1'000;
        const std::int64_t rem = ns % 1'000;
        return out + std::to_string(us) + (rem ? "." + std::to_string(1000 + rem).substr(1) : "") + "us";
    }
    if (ns < 1'000'000'000) {
        const std::int64_t ms = ns / 1'000'000;
        const std::int64_t rem = ns % 1'000'000;
        std::string frac;
        if (rem) {
            frac = "." + std::to_string(1'000'000 + rem).substr(1);
            while (frac.back() == '0') frac.pop_back();
        }
        return out + std::to_string(ms) + frac + "ms";
    }
    const std::int64_t hours = ns / 3'600'000'000'000;
    ns %= 3'600'000'000'000;
    const std::int64_t minutes = ns / 60'000'000'000;
    ns %= 60'000'000'000;
    const std::int64_t seconds = ns / 1'000'000'000;
    const std::int64_t rem = ns % 1'000'000'000;
    if (hours) out += std::to_string(hours) + "h";
    if (hours || minutes) out += std::to_string(minutes) + "m";
    out += std::to_string(seconds);
    if (rem) {
        std::string frac = "." + std::to_string(1'000'000'000 + rem).substr(1);
        while (frac.back() == '0') frac.pop_back();
        out += frac;
    }
    return out + "s";
}

}  // namespace rockets::sim
