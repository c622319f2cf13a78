// libFuzzer target: what the server makes of a request target before any store
// is involved: splitTarget, the percent-decoding of GET /rockets/{channel} (as
// Router does it) and the query parsers of GET /rockets and GET /changes. Nothing may
// throw but what Router catches, every answer's error body is JSON, and a parsed query
// is in range.
#include "FuzzCheck.h"

#include "ChangesHandler.h"
#include "HttpUtil.h"
#include "RocketsHandler.h"

#include "rockets/Codec.h"
#include "rockets/RocketStore.h"

#include <Poco/String.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <optional>

namespace {

using namespace rockets;
using fuzz::check;
using fuzz::checkIsJson;

/// The origin form of `target`: an absolute-form target (`http://host/p?q`, RFC 9112
/// 3.2.2) without its scheme and authority, which name this server.
std::string originFormOf(const std::string& target) {
    for (const std::string scheme : {"http://", "https://"}) {
        if (target.size() < scheme.size() || Poco::icompare(target.substr(0, scheme.size()), scheme) != 0) continue;
        const auto start = target.find_first_of("/?#", scheme.size());
        return start == std::string::npos ? std::string() : target.substr(start);
    }
    return target;
}

void checkSplit(const std::string& target, const std::string& path, const std::string& query) {
    const std::string origin = originFormOf(target);
    const auto mark = origin.find('?');
    check(!path.empty(), "path is never empty", target);
    check(path.find('?') == std::string::npos && path.find('#') == std::string::npos, "path has no ? or #", path);
    // An empty path (a target of only a query, or only an authority) reads as "/".
    const bool defaulted = path == "/" && origin.find_first_not_of("?#") != 0;
    check(defaulted || origin.compare(0, path.size(), path) == 0, "path is a prefix of the origin form", target);
    check(path.size() <= std::max<std::size_t>(1, std::min(mark, origin.size())), "path ends before the query",
          target);
    check(mark == std::string::npos ? query.empty() : query == origin.substr(mark + 1),
          "query is everything after the first ?", target);
}

/// GET /rockets/{channel}: the channel is percent-decoded (Router catches Poco's
/// exception and answers 404); whatever the bytes, the 404 body is JSON.
void checkChannel(const std::string& path) {
    const std::string prefix = "/rockets/";
    if (!path.starts_with(prefix) || path.size() == prefix.size()) return;
    std::string channel;
    try {
        Poco::URI::decode(path.substr(prefix.size()), channel);
    } catch (const Poco::Exception&) {
        return;
    }
    checkIsJson(encodeError("not_found", "no launched rocket on channel '" + channel + "'"), "404 body is JSON");
}

void checkQuery(const std::string& text) {
    const auto parsed = server::RocketsHandler::parseQuery(text);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        checkIsJson(encodeError("invalid_query", *error), "400 body is JSON");
        return;
    }
    const RocketQuery& q = std::get<RocketQuery>(parsed);
    check(q.limit >= 1 && q.limit <= 10000, "limit is 1..10000", text);
    check(q.offset <= static_cast<std::size_t>(kMaxJsonInteger), "offset is at most 2^53-1", text);
    check(sortFieldFromString(toString(q.sort)) == q.sort, "sort field round-trips", text);
    check(!q.status || *q.status != RocketStatus::Unlaunched, "no filter on unlaunched rockets", text);
}

/// GET /changes: an error is a JSON 400 body; a parsed query holds only what one of
/// the (decoded) parameters named, and never a stream of unlaunched rockets.
void checkChangesQuery(const std::string& text) {
    const auto parsed = server::ChangesHandler::parseQuery(text);
    if (const auto* error = std::get_if<std::string>(&parsed)) {
        checkIsJson(encodeError("invalid_query", *error), "400 body is JSON");
        return;
    }
    const auto parameters = std::get<Poco::URI::QueryParameters>(server::parseQueryParameters(text));
    const auto named = [&](const std::string& name, const std::optional<std::string>& value) {
        return std::any_of(parameters.begin(), parameters.end(), [&](const auto& p) {
            return p.first == name && (!value || p.second == *value);
        });
    };
    const server::ChangesQuery& q = std::get<server::ChangesQuery>(parsed);
    const server::StreamFilter& f = q.filter;
    check(!f.status || *f.status != RocketStatus::Unlaunched, "no stream of unlaunched rockets", text);
    check(q.snapshot == named("snapshot", "true") || named("snapshot", "false"), "snapshot as asked for", text);
    check(f.everyChange == named("every", "true") || named("every", "false"), "every as asked for", text);
    check(!f.type || named("type", f.type), "a type filter only as named", text);
    check(!f.mission || named("mission", f.mission), "a mission filter only as named", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string target(reinterpret_cast<const char*>(data), size);
    try {
        std::string path, query;
        server::splitTarget(target, path, query);
        checkSplit(target, path, query);
        checkChannel(path);
        checkQuery(query);
        checkQuery(target);  // the parser on text splitTarget would not hand it
        checkChangesQuery(query);
        checkChangesQuery(target);
        if (const auto field = sortFieldFromString(target)) check(toString(*field) == target, "sort name round-trips");
        if (const auto status = rocketStatusFromString(target)) check(toString(*status) == target, "status round-trips");
    } catch (const std::exception& e) {
        fuzz::broken("exception escaped", e.what());
    } catch (...) {
        fuzz::broken("unknown exception escaped");
    }
    return 0;
}
