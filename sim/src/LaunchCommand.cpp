#include "rockets/sim/LaunchCommand.h"

#include "rockets/sim/ExpectedState.h"
#include "rockets/sim/ProgressReporter.h"
#include "rockets/sim/ReportJson.h"
#include "rockets/sim/SendPlan.h"
#include "rockets/sim/Sender.h"
#include "rockets/sim/StreamFile.h"
#include "rockets/sim/TrafficGenerator.h"
#include "rockets/sim/Verifier.h"

#include <memory>
#include <set>
#include <unistd.h>

namespace rockets::sim {

LaunchCommand::LaunchCommand(LaunchOptions options, std::ostream& out, std::ostream& err)
    : options_(std::move(options)), out_(out), err_(err) {}

int LaunchCommand::run() {
    SendPlan plan;
    if (!options_.channelsFrom.empty()) {
        plan.sends = StreamFile::read(options_.channelsFrom);
    } else {
        plan = SendPlan::build(TrafficGenerator(options_.generator).generate(), options_.chaos);
    }
    if (!options_.dump.empty()) StreamFile::write(options_.dump, plan.sends);
    const ExpectedState expected = ExpectedState::fromSends(plan.sends);
    if (expected.conflicts() > 0)
        err_ << "warning: the stream sends " << expected.conflicts()
             << " key(s) again with a different payload; which one the server keeps depends on timing\n";

    std::set<std::string> channels;
    for (const Message& message : plan.sends) channels.insert(message.channel);
    report_ = Report{};
    for (const Target& target : options_.targets) report_.targets.push_back(target.url);
    report_.seed = options_.generator.seed;
    report_.rockets = channels.size();
    report_.distinctMessages = expected.distinctMessages();
    report_.injectedDuplicates = plan.duplicates;
    report_.concurrency = options_.sender.concurrency;
    report_.keepAlive = options_.sender.keepAlive;

    out_ << "rockets-sim: sending " << plan.sends.size() << " messages on " << channels.size() << " channels to";
    for (const Target& target : options_.targets) out_ << ' ' << target.url;
    out_ << std::endl;

    LiveCounters live;
    std::unique_ptr<ProgressReporter> progress;
    ProgressMode mode = options_.progress;
    if (mode == ProgressMode::Auto) mode = ::isatty(STDERR_FILENO) ? ProgressMode::Bar : ProgressMode::Lines;
    if (mode != ProgressMode::None) {
        progress = std::make_unique<ProgressReporter>(
            err_, mode == ProgressMode::Bar ? ProgressReporter::Style::Bar : ProgressReporter::Style::Lines,
            plan.sends.size(), live);
        progress->start();
    }
    report_.send = Sender(options_.targets, options_.sender).run(plan.sends, live);
    if (progress) progress->stop();

    if (options_.verify) {
        report_.verified = true;
        if (report_.send.failed == 0 && report_.send.unsent == 0) {
            const auto verifyStarted = std::chrono::steady_clock::now();
            const auto since = report_.send.acked > 0 ? report_.send.lastAck : verifyStarted;
            std::set<std::string> origins;
            bool allConsistent = true;
            std::chrono::steady_clock::time_point consistentAt = since;
            for (const Target& target : options_.targets) {
                if (!origins.insert(target.origin() + target.apiPrefix).second) continue;
                out_ << "verifying " << expected.rockets().size() << " rockets at " << target.origin() << " ..."
                     << std::endl;
                VerifyResult result = Verifier(target, options_.verifier).verify(expected.rockets());
                if (result.consistentAt) consistentAt = std::max(consistentAt, *result.consistentAt);
                else allConsistent = false;
                report_.verification.push_back(std::move(result));
            }
            if (allConsistent)
                report_.consistencyTime =
                    std::chrono::duration_cast<std::chrono::nanoseconds>(consistentAt - since);
        }
    }

    report_.writeText(out_);
    if (!options_.report.empty()) writeReportFile(options_.report, report_.toJson());
    return report_.succeeded() ? 0 : 1;
}

}  // namespace rockets::sim
