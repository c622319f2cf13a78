#include "rockets/sim/Report.h"

#include "rockets/Codec.h"
#include "rockets/sim/Duration.h"
#include "rockets/sim/ReportJson.h"

#include <cstdio>

namespace rockets::sim {

namespace {

std::string milliseconds(std::chrono::nanoseconds duration) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.3f", std::chrono::duration<double, std::milli>(duration).count());
    return buffer;
}

std::string fixed(double value, int decimals) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    return buffer;
}

}  // namespace

bool Report::succeeded() const {
    if (send.failed > 0 || send.unsent > 0) return false;
    if (!verified) return true;
    if (verification.empty()) return false;
    for (const VerifyResult& result : verification)
        if (!result.passed()) return false;
    return true;
}

void Report::writeText(std::ostream& out, std::size_t maxMismatches) const {
    out << "\nsummary\n";
    out << "  messages     " << distinctMessages << " distinct on " << rockets << " rockets (seed " << seed << ")";
    if (injectedDuplicates > 0) out << " + " << injectedDuplicates << " injected duplicates";
    out << '\n';
    out << "  sent         " << send.acked << " of " << send.planned << " acked";
    if (send.failed > 0 || send.unsent > 0) out << ", " << send.failed << " failed, " << send.unsent << " unsent";
    out << '\n';
    out << "  retries      " << send.retries << '\n';
    out << "  duplicates   " << send.serverDuplicates << " answered \"duplicate\", " << send.serverConflicts
        << " answered \"conflict\"\n";
    out << "  status codes";
    for (const auto& [outcome, count] : send.outcomes) out << "  " << outcome << ": " << count;
    out << '\n';
    out << "  throughput   " << fixed(send.throughput(), 1) << " msg/s over " << formatDuration(send.elapsed) << " ("
        << concurrency << " senders, " << (keepAlive ? "keep-alive" : "a connection per message") << ")\n";
    if (send.acked == 0) {
        out << "  ack latency  none: nothing was acknowledged\n";
    } else {
        out << "  ack latency  p50 " << milliseconds(send.latency.p50) << " ms, p90 " << milliseconds(send.latency.p90)
            << " ms, p99 " << milliseconds(send.latency.p99) << " ms, max " << milliseconds(send.latency.max) << " ms\n";
    }
    if (verified) {
        out << "  consistency  ";
        if (consistencyTime) out << formatDuration(*consistencyTime) << " from the last ack to full consistency\n";
        else out << "not reached\n";
        for (const VerifyResult& result : verification) {
            out << "  verify       " << result.origin << ": " << result.matchedRockets << "/" << result.expectedRockets
                << " rockets match, GET /rockets lists " << result.listedRockets;
            if (result.totalCount) out << " (X-Total-Count " << *result.totalCount << ")";
            out << '\n';
            for (const std::string& error : result.errors) out << "    error: " << error << '\n';
            std::size_t shown = 0;
            for (const RocketMismatch& mismatch : result.mismatches) {
                if (shown++ == maxMismatches) {
                    out << "    ... and " << result.mismatches.size() - maxMismatches << " more mismatches\n";
                    break;
                }
                out << "    " << mismatch.channel << ": " << mismatch.problem << '\n';
                for (const FieldDiff& diff : mismatch.diffs)
                    out << "      " << diff.field << ": expected " << diff.expected << ", got " << diff.actual << '\n';
            }
        }
    }
    if (send.failed > 0)
        out << "\nFAIL: " << send.failed << " message(s) were not acknowledged within --retry-for\n";
    if (verified) out << (succeeded() ? "\nPASS\n" : "\nFAIL\n");
    out.flush();
}

std::string Report::toJson() const {
    std::string out = "{";
    appendJsonKey(out, "result");
    appendJsonString(out, succeeded() ? (verified ? "PASS" : "OK") : "FAIL");
    appendJsonKey(out, "targets");
    out += '[';
    for (std::size_t i = 0; i < targets.size(); ++i) {
        if (i > 0) out += ',';
        appendJsonString(out, targets[i]);
    }
    out += ']';
    appendJsonKey(out, "seed");
    out += std::to_string(seed);
    appendJsonKey(out, "rockets");
    out += std::to_string(rockets);
    appendJsonKey(out, "concurrency");
    out += std::to_string(concurrency);
    appendJsonKey(out, "keepAlive");
    out += keepAlive ? "true" : "false";
    appendJsonKey(out, "messages");
    out += std::to_string(distinctMessages);
    appendJsonKey(out, "injectedDuplicates");
    out += std::to_string(injectedDuplicates);
    appendJsonKey(out, "planned");
    out += std::to_string(send.planned);
    appendJsonKey(out, "sent");
    out += std::to_string(send.acked);
    appendJsonKey(out, "failed");
    out += std::to_string(send.failed);
    appendJsonKey(out, "unsent");
    out += std::to_string(send.unsent);
    appendJsonKey(out, "retries");
    out += std::to_string(send.retries);
    appendJsonKey(out, "serverDuplicates");
    out += std::to_string(send.serverDuplicates);
    appendJsonKey(out, "serverConflicts");
    out += std::to_string(send.serverConflicts);
    appendJsonKey(out, "statusCodes");
    out += '{';
    for (const auto& [outcome, count] : send.outcomes) {
        appendJsonKey(out, outcome);
        out += std::to_string(count);
    }
    out += '}';
    appendJsonKey(out, "elapsedSeconds");
    out += fixed(std::chrono::duration<double>(send.elapsed).count(), 6);
    appendJsonKey(out, "throughputPerSecond");
    out += fixed(send.throughput(), 3);
    appendJsonKey(out, "latencyMs");
    if (send.acked == 0) {
        out += "null";  // no acknowledged request, no latency: zeros would read as "instant"
    } else {
        out += '{';
        appendJsonKey(out, "p50");
        out += milliseconds(send.latency.p50);
        appendJsonKey(out, "p90");
        out += milliseconds(send.latency.p90);
        appendJsonKey(out, "p99");
        out += milliseconds(send.latency.p99);
        appendJsonKey(out, "max");
        out += milliseconds(send.latency.max);
        out += '}';
    }
    appendJsonKey(out, "verified");
    out += verified ? "true" : "false";
    appendJsonKey(out, "consistencySeconds");
    out += consistencyTime ? fixed(std::chrono::duration<double>(*consistencyTime).count(), 6) : "null";
    appendJsonKey(out, "verification");
    out += '[';
    for (std::size_t i = 0; i < verification.size(); ++i) {
        const VerifyResult& result = verification[i];
        if (i > 0) out += ',';
        out += '{';
        appendJsonKey(out, "origin");
        appendJsonString(out, result.origin);
        appendJsonKey(out, "passed");
        out += result.passed() ? "true" : "false";
        appendJsonKey(out, "expectedRockets");
        out += std::to_string(result.expectedRockets);
        appendJsonKey(out, "matchedRockets");
        out += std::to_string(result.matchedRockets);
        appendJsonKey(out, "listedRockets");
        out += std::to_string(result.listedRockets);
        appendJsonKey(out, "totalCount");
        out += result.totalCount ? std::to_string(*result.totalCount) : "null";
        appendJsonKey(out, "errors");
        out += '[';
        for (std::size_t e = 0; e < result.errors.size(); ++e) {
            if (e > 0) out += ',';
            appendJsonString(out, result.errors[e]);
        }
        out += ']';
        appendJsonKey(out, "mismatches");
        out += '[';
        for (std::size_t m = 0; m < result.mismatches.size(); ++m) {
            const RocketMismatch& mismatch = result.mismatches[m];
            if (m > 0) out += ',';
            out += '{';
            appendJsonKey(out, "channel");
            appendJsonString(out, mismatch.channel);
            appendJsonKey(out, "problem");
            appendJsonString(out, mismatch.problem);
            appendJsonKey(out, "diffs");
            out += '[';
            for (std::size_t d = 0; d < mismatch.diffs.size(); ++d) {
                const FieldDiff& diff = mismatch.diffs[d];
                if (d > 0) out += ',';
                out += '{';
                appendJsonKey(out, "field");
                appendJsonString(out, diff.field);
                appendJsonKey(out, "expected");
                appendJsonString(out, diff.expected);
                appendJsonKey(out, "actual");
                appendJsonString(out, diff.actual);
                out += '}';
            }
            out += "]}";
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

}  // namespace rockets::sim
