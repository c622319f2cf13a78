#include "rockets/sim/RocketDiff.h"

#include "rockets/Codec.h"

namespace rockets::sim {

namespace {

std::string quoted(const std::string& text) {
    std::string out;
    appendJsonString(out, text);
    return out;
}

std::string statusName(RocketStatus status) {
    return status == RocketStatus::Unlaunched ? "null" : quoted(std::string(toString(status)));
}

}  // namespace

std::vector<FieldDiff> diffRockets(const Rocket& expected, const Rocket& actual) {
    std::vector<FieldDiff> diffs;
    auto compare = [&diffs](const char* field, std::string e, std::string a) {
        if (e != a) diffs.push_back({field, std::move(e), std::move(a)});
    };
    compare("channel", quoted(expected.channel), quoted(actual.channel));
    compare("type", quoted(expected.type), quoted(actual.type));
    compare("speed", std::to_string(expected.speed), std::to_string(actual.speed));
    compare("mission", quoted(expected.mission), quoted(actual.mission));
    compare("status", statusName(expected.status), statusName(actual.status));
    compare("reason", expected.reason ? quoted(*expected.reason) : "null", actual.reason ? quoted(*actual.reason) : "null");
    compare("launchedAt", quoted(expected.launchedAt), quoted(actual.launchedAt));
    compare("updatedAt", quoted(expected.updatedAt), quoted(actual.updatedAt));
    compare("lastMessageNumber", std::to_string(expected.lastMessageNumber), std::to_string(actual.lastMessageNumber));
    return diffs;
}

}  // namespace rockets::sim
