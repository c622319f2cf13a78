#include "rockets/sim/LaunchCommand.h"
#include "rockets/sim/LaunchOptionParser.h"
#include "rockets/sim/UsageError.h"
#include "rockets/sim/Version.h"
#include "rockets/sim/WatchCommand.h"
#include "rockets/sim/WatchOptionParser.h"

#include <Poco/Exception.h>

#include <csignal>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr int kUsageExit = 2;

const char* const kUsage =
    "rockets-sim: an open load generator and verifier for the rockets service\n"
    "\n"
    "Usage:\n"
    "  rockets-sim launch URL[,URL...] [flags]   send rocket telemetry to URL (see launch --help)\n"
    "  rockets-sim watch URL [flags]             read change streams (GET /changes) and count their\n"
    "                                            events (see watch --help)\n"
    "  rockets-sim help                          show this help and the flags of every command\n"
    "  rockets-sim --version                     print the version and git revision\n"
    "\n"
    "Example (validate a running server):\n"
    "  rockets-sim launch http://127.0.0.1:8088/messages --verify\n"
    "Example (20 readers of the change stream, one thread, until Ctrl-C):\n"
    "  rockets-sim watch http://127.0.0.1:8088/changes --streams=20\n"
    "\n";

/// Runs one command: its options from `args`, then its help or the command itself.
template <class OptionParser, class Command>
int runCommand(const std::vector<std::string>& args) {
    auto options = OptionParser::parse(args);
    if (options.help) {
        std::cout << OptionParser::help();
        return 0;
    }
    return Command(std::move(options), std::cout, std::cerr).run();
}

}  // namespace

int main(int argc, char** argv) {
    // A server that drops a connection mid-write must not kill the sender.
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage << "error: missing command\n";
        return kUsageExit;
    }
    const std::string command = args.front();
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage << rockets::sim::LaunchOptionParser::help() << "\n"
                  << rockets::sim::WatchOptionParser::help();
        return 0;
    }
    if (command == "--version" || command == "version") {
        std::cout << rockets::sim::versionLine() << '\n';
        return 0;
    }
    if (command != "launch" && command != "watch") {
        std::cerr << "error: unknown command '" << command << "' (try rockets-sim help)\n";
        return kUsageExit;
    }
    try {
        const std::vector<std::string> rest(args.begin() + 1, args.end());
        using namespace rockets::sim;
        return command == "launch" ? runCommand<LaunchOptionParser, LaunchCommand>(rest)
                                   : runCommand<WatchOptionParser, WatchCommand>(rest);
    } catch (const rockets::sim::UsageError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return kUsageExit;
    } catch (const Poco::Exception& e) {
        std::cerr << "error: " << e.displayText() << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
