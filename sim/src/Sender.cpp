#include "rockets/sim/Sender.h"
#include "rockets/sim/Version.h"

#include "rockets/Codec.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>

namespace rockets::sim {

namespace {

using Clock = std::chrono::steady_clock;

/// One worker's share of the statistics, merged after the workers joined.
struct WorkerTally {
    std::size_t acked = 0;
    std::size_t failed = 0;
    std::size_t retries = 0;
    std::size_t serverDuplicates = 0;
    std::size_t serverConflicts = 0;
    std::map<std::string, std::size_t> outcomes;
    std::vector<std::chrono::nanoseconds> latencies;
    Clock::time_point lastAck{};
};

Poco::Timespan toTimespan(std::chrono::nanoseconds duration) {
    return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(duration).count());
}

class Worker {
public:
    Worker(const std::vector<Target>& targets, const SenderSettings& settings, const std::vector<Message>& sends,
           std::atomic<std::size_t>& cursor, std::atomic<bool>& abort, LiveCounters& live)
        : targets_(targets), settings_(settings), sends_(sends), cursor_(cursor), abort_(abort), live_(live),
          sessions_(targets.size()) {}

    void run() {
        while (!abort_.load()) {
            const std::size_t index = cursor_.fetch_add(1);
            if (index >= sends_.size()) return;
            if (!deliver(index)) {
                abort_.store(true);
                return;
            }
            if (settings_.messageDelay.count() > 0) std::this_thread::sleep_for(settings_.messageDelay);
        }
    }

    WorkerTally& tally() { return tally_; }

private:
    /// Sends one message until acked; false when retryFor ran out.
    bool deliver(std::size_t index) {
        const std::size_t targetIndex = index % targets_.size();
        const std::string body = encodeMessage(sends_[index]);
        const auto deadline = Clock::now() + settings_.retryFor;
        for (;;) {
            const auto started = Clock::now();
            const std::string outcome = attempt(targetIndex, body);
            ++tally_.outcomes[outcome];
            if (outcome.size() == 3 && outcome[0] == '2') {
                const auto now = Clock::now();
                tally_.latencies.push_back(now - started);
                tally_.lastAck = now;
                ++tally_.acked;
                ++live_.acked;
                return true;
            }
            ++tally_.retries;
            ++live_.retries;
            // retryFor 0: forever, like the real program.
            if (settings_.retryFor.count() > 0 && Clock::now() + settings_.retryInterval > deadline) {
                ++tally_.failed;
                ++live_.failed;
                return false;
            }
            // The real program's fixed back-off against a struggling server.
            std::this_thread::sleep_for(settings_.retryInterval);
        }
    }

    /// One POST; the status code as text, or "connection_error" / "timeout". A
    /// kept-alive connection the server closed while idle fails on first use; that
    /// is retried at once on a fresh connection (as HTTP clients do), not counted.
    std::string attempt(std::size_t targetIndex, const std::string& body) {
        const bool reused = sessions_[targetIndex] != nullptr;
        std::string outcome = post(targetIndex, body);
        if (reused && outcome == "connection_error") outcome = post(targetIndex, body);
        return outcome;
    }

    std::string post(std::size_t targetIndex, const std::string& body) {
        const Target& target = targets_[targetIndex];
        auto& session = sessions_[targetIndex];
        try {
            if (!session || !settings_.keepAlive) {
                session = std::make_unique<Poco::Net::HTTPClientSession>(target.host, target.port);
                session->setTimeout(toTimespan(settings_.requestTimeout));
                session->setKeepAlive(settings_.keepAlive);
            }
            Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target.messagesPath,
                                           Poco::Net::HTTPMessage::HTTP_1_1);
            request.setContentType("application/json; charset=utf-8");
            request.setContentLength(static_cast<std::streamsize>(body.size()));
            request.setKeepAlive(settings_.keepAlive);
            request.set("User-Agent", userAgent());
            session->sendRequest(request) << body;
            Poco::Net::HTTPResponse response;
            std::istream& in = session->receiveResponse(response);
            std::string answer;
            Poco::StreamCopier::copyToString(in, answer);
            const int status = response.getStatus();
            if (status >= 200 && status < 300) {
                if (answer.find("\"duplicate\"") != std::string::npos) ++tally_.serverDuplicates;
                else if (answer.find("\"conflict\"") != std::string::npos) ++tally_.serverConflicts;
            }
            if (!settings_.keepAlive || !response.getKeepAlive()) session.reset();
            return std::to_string(status);
        } catch (const Poco::TimeoutException&) {
            session.reset();
            return "timeout";
        } catch (const Poco::Exception&) {
            session.reset();
            return "connection_error";
        } catch (const std::exception&) {
            session.reset();
            return "connection_error";
        }
    }

    const std::vector<Target>& targets_;
    const SenderSettings& settings_;
    const std::vector<Message>& sends_;
    std::atomic<std::size_t>& cursor_;
    std::atomic<bool>& abort_;
    LiveCounters& live_;
    std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions_;
    WorkerTally tally_;
};

}  // namespace

Sender::Sender(std::vector<Target> targets, SenderSettings settings)
    : targets_(std::move(targets)), settings_(settings) {}

SendStats Sender::run(const std::vector<Message>& sends, LiveCounters& live) {
    std::atomic<std::size_t> cursor{0};
    std::atomic<bool> abort{false};
    const unsigned count = std::max(1u, settings_.concurrency);
    std::vector<std::unique_ptr<Worker>> workers;
    for (unsigned i = 0; i < count; ++i)
        workers.push_back(std::make_unique<Worker>(targets_, settings_, sends, cursor, abort, live));

    const auto started = Clock::now();
    {
        std::vector<std::jthread> threads;
        for (auto& worker : workers) threads.emplace_back([&worker] { worker->run(); });
    }
    SendStats stats;
    stats.elapsed = Clock::now() - started;
    stats.planned = sends.size();

    std::vector<std::chrono::nanoseconds> latencies;
    for (auto& worker : workers) {
        WorkerTally& tally = worker->tally();
        stats.acked += tally.acked;
        stats.failed += tally.failed;
        stats.retries += tally.retries;
        stats.serverDuplicates += tally.serverDuplicates;
        stats.serverConflicts += tally.serverConflicts;
        for (const auto& [outcome, n] : tally.outcomes) stats.outcomes[outcome] += n;
        latencies.insert(latencies.end(), tally.latencies.begin(), tally.latencies.end());
        stats.lastAck = std::max(stats.lastAck, tally.lastAck);
    }
    stats.unsent = stats.planned - stats.acked - stats.failed;
    stats.latency = LatencySummary::of(latencies);
    return stats;
}

}  // namespace rockets::sim
