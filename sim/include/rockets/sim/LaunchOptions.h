#pragma once

#include "rockets/sim/SendPlan.h"
#include "rockets/sim/Sender.h"
#include "rockets/sim/Target.h"
#include "rockets/sim/TrafficGenerator.h"
#include "rockets/sim/Verifier.h"

#include <string>
#include <vector>

namespace rockets::sim {

/// How progress is shown while sending.
enum class ProgressMode {
    Auto,   ///< a bar when stderr is a terminal, plain lines otherwise
    Bar,
    Lines,
    None,
};

/// Everything `rockets-sim launch` was asked to do.
struct LaunchOptions {
    std::vector<Target> targets;
    GeneratorSettings generator;
    ChaosSettings chaos;
    SenderSettings sender;
    VerifierSettings verifier;
    bool verify = false;
    std::string channelsFrom;  ///< replay this stream file instead of generating
    std::string dump;          ///< write the stream to this file before sending
    std::string report;        ///< write the JSON report here
    ProgressMode progress = ProgressMode::Auto;
    bool help = false;         ///< --help: print the launch help and do nothing else
};

}  // namespace rockets::sim
