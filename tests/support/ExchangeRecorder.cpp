#include "ExchangeRecorder.h"

#include <Poco/Base64Encoder.h>
#include <Poco/String.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <mutex>
#include <sys/stat.h>
#include <sstream>
#include <unistd.h>

namespace rockets::test {

namespace {

/// A JSON string; bytes outside ASCII become \u00XX (lossless enough for matching paths).
void appendJson(std::string& out, std::string_view text) {
    out += '"';
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20 || u >= 0x7f) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", u);
            out += escape;
        } else {
            out += c;
        }
    }
    out += '"';
}

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

}  // namespace

void recordExchange(const RecordedExchange& exchange) {
    const char* directory = std::getenv("ROCKETS_EXCHANGES_DIR");
    if (directory == nullptr || *directory == '\0') return;
    std::string line = "{\"method\":";
    appendJson(line, exchange.method);
    line += ",\"target\":";
    appendJson(line, exchange.target);
    line += ",\"status\":" + std::to_string(exchange.status) + ",\"headers\":{";
    bool first = true;
    for (const auto& [name, value] : exchange.headers) {
        if (!first) line += ',';
        first = false;
        appendJson(line, name);
        line += ':';
        appendJson(line, value);
    }
    line += "},\"bodyBase64\":";
    appendJson(line, base64(exchange.body));
    if (exchange.streamed) line += ",\"streamed\":true";
    if (const auto* test = ::testing::UnitTest::GetInstance()->current_test_info()) {
        line += ",\"test\":";
        appendJson(line, std::string(test->test_suite_name()) + "." + test->name());
    }
    line += "}\n";

    static std::mutex mutex;
    static int fd = -1;
    std::lock_guard lock(mutex);
    if (fd < 0) {
        ::mkdir(directory, 0755);
        const std::string path = std::string(directory) + "/" + std::to_string(::getpid()) + ".jsonl";
        fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            ADD_FAILURE() << "cannot record HTTP exchanges in " << path;
            return;
        }
    }
    if (::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
        ADD_FAILURE() << "cannot record an HTTP exchange";
    }
}

std::optional<std::pair<std::string, std::string>> requestLineOf(std::string_view bytes) {
    while (bytes.starts_with("\r\n") || bytes.starts_with("\n")) bytes.remove_prefix(bytes[0] == '\r' ? 2 : 1);
    const auto end = bytes.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view line = bytes.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    const auto sp1 = line.find(' ');
    const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || sp1 == 0) return std::nullopt;
    const std::string_view method = line.substr(0, sp1);
    for (const char c : method) {
        if (c < 'A' || c > 'Z') return std::nullopt;
    }
    return std::make_pair(std::string(method), std::string(line.substr(sp1 + 1, sp2 - sp1 - 1)));
}

std::optional<RawHttpResponse> parseRawResponse(std::string_view bytes, bool toHead) {
    const auto headEnd = bytes.find("\r\n\r\n");
    if (headEnd == std::string_view::npos || !bytes.starts_with("HTTP/1.") || headEnd < 12) return std::nullopt;
    RawHttpResponse response;
    response.status = std::atoi(std::string(bytes.substr(9, 3)).c_str());
    std::size_t length = 0;
    std::size_t start = bytes.find("\r\n") + 2;
    while (start < headEnd) {
        const std::size_t end = bytes.find("\r\n", start);
        const std::string line(bytes.substr(start, end - start));
        start = end + 2;
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const std::string name = line.substr(0, colon);
        const std::string value = Poco::trim(line.substr(colon + 1));
        if (Poco::icompare(name, "Content-Length") == 0) length = std::strtoul(value.c_str(), nullptr, 10);
        response.headers.emplace_back(name, value);
    }
    if (toHead || response.status < 200 || response.status == 204 || response.status == 304) length = 0;
    if (bytes.size() < headEnd + 4 + length) return std::nullopt;
    response.body = std::string(bytes.substr(headEnd + 4, length));
    response.length = headEnd + 4 + length;
    return response;
}

}  // namespace rockets::test
