#include "rockets/sim/Verifier.h"

#include "rockets/sim/RocketClient.h"

#include <Poco/Exception.h>

#include <thread>
#include <vector>

namespace rockets::sim {

namespace {

using Clock = std::chrono::steady_clock;

/// The last thing GET /rockets/{channel} said about a rocket that does not match.
struct Observation {
    std::string problem;
    std::vector<FieldDiff> diffs;
};

}  // namespace

Verifier::Verifier(Target target, VerifierSettings settings) : target_(std::move(target)), settings_(settings) {}

VerifyResult Verifier::verify(const std::map<std::string, Rocket>& expected) const {
    VerifyResult result;
    result.origin = target_.origin();
    result.expectedRockets = expected.size();
    const RocketClient client(target_, settings_.requestTimeout);

    std::map<std::string, Observation> pending;
    for (const auto& [channel, rocket] : expected) pending.emplace(channel, Observation{"not checked", {}});
    const auto deadline = Clock::now() + settings_.timeout;
    for (;;) {
        for (auto it = pending.begin(); it != pending.end();) {
            const Rocket& want = expected.at(it->first);
            Observation observation;
            try {
                const auto served = client.get(it->first);
                if (!served) {
                    observation.problem = "GET " + client.rocketPath(it->first) + ": not found (404)";
                } else {
                    observation.diffs = diffRockets(want, *served);
                    if (observation.diffs.empty()) {
                        it = pending.erase(it);
                        continue;
                    }
                    observation.problem = "GET " + client.rocketPath(it->first) + ": differs";
                }
            } catch (const Poco::Exception& e) {
                observation.problem = "GET " + client.rocketPath(it->first) + ": " + e.displayText();
            }
            it->second = std::move(observation);
            ++it;
        }
        if (pending.empty()) {
            result.consistentAt = Clock::now();
            break;
        }
        if (Clock::now() + settings_.pollInterval > deadline) break;
        // Waiting for the server's consumer to apply the rest; it has no change feed yet.
        std::this_thread::sleep_for(settings_.pollInterval);
    }
    result.matchedRockets = expected.size() - pending.size();
    for (auto& [channel, observation] : pending)
        result.mismatches.push_back({channel, std::move(observation.problem), std::move(observation.diffs)});

    checkListing(expected, result);
    return result;
}

void Verifier::checkListing(const std::map<std::string, Rocket>& expected, VerifyResult& result) const {
    const RocketClient client(target_, settings_.requestTimeout);
    std::map<std::string, Rocket> listed;
    try {
        std::size_t offset = 0;
        for (;;) {
            RocketListPage page = client.list(settings_.pageSize, offset);
            if (offset == 0) result.totalCount = page.totalCount;
            if (!page.totalCount) {
                result.errors.push_back("GET /rockets: missing or invalid X-Total-Count header");
                return;
            }
            const std::size_t received = page.rockets.size();
            for (Rocket& rocket : page.rockets) {
                const std::string channel = rocket.channel;
                if (!listed.emplace(channel, std::move(rocket)).second)
                    result.errors.push_back("GET /rockets: channel " + channel + " listed twice");
            }
            offset += received;
            if (received == 0 || offset >= *page.totalCount) break;
            if (received > settings_.pageSize) {
                result.errors.push_back("GET /rockets: a page holds more than limit=" +
                                        std::to_string(settings_.pageSize) + " rockets");
                break;
            }
        }
    } catch (const Poco::Exception& e) {
        result.errors.push_back("GET /rockets: " + e.displayText());
        return;
    }
    result.listedRockets = listed.size();
    if (result.totalCount && *result.totalCount != listed.size())
        result.errors.push_back("GET /rockets: X-Total-Count is " + std::to_string(*result.totalCount) + " but " +
                                std::to_string(listed.size()) + " rockets were listed");

    for (const auto& [channel, want] : expected) {
        const auto found = listed.find(channel);
        if (found == listed.end()) {
            result.mismatches.push_back({channel, "GET /rockets: missing", {}});
            continue;
        }
        auto diffs = diffRockets(want, found->second);
        if (!diffs.empty()) result.mismatches.push_back({channel, "GET /rockets: differs", std::move(diffs)});
    }
    if (settings_.allowOtherRockets) return;
    for (const auto& [channel, rocket] : listed) {
        if (!expected.contains(channel))
            result.mismatches.push_back({channel, "GET /rockets: not sent by this run", {}});
    }
}

}  // namespace rockets::sim
