#include "rockets/sim/LaunchCommand.h"
#include "rockets/sim/LaunchOptionParser.h"
#include "rockets/sim/UsageError.h"
#include "rockets/sim/Version.h"

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
    "  rockets-sim help                          show this help and the launch flags\n"
    "  rockets-sim --version                     print the version and git revision\n"
    "\n"
    "Example (validate a running server):\n"
    "  rockets-sim launch http://127.0.0.1:8088/messages --verify\n"
    "\n";

}  // namespace

int main(int argc, char** argv) {
    // A server that drops a connection mid-write must not kill the sender.
    std::signal(SIGPIPE, SIG_IGN);
    std::vector<std::string> args(argv + 1, argv + argc);
    using rockets::sim::LaunchOptionParser;
    if (args.empty()) {
        std::cerr << kUsage << "error: missing command\n";
        return kUsageExit;
    }
    const std::string command = args.front();
    if (command == "help" || command == "--help" || command == "-h") {
        std::cout << kUsage << LaunchOptionParser::help();
        return 0;
    }
    if (command == "--version" || command == "version") {
        std::cout << rockets::sim::versionLine() << '\n';
        return 0;
    }
    if (command != "launch") {
        std::cerr << "error: unknown command '" << command << "' (try rockets-sim help)\n";
        return kUsageExit;
    }
    try {
        auto options = LaunchOptionParser::parse({args.begin() + 1, args.end()});
        if (options.help) {
            std::cout << LaunchOptionParser::help();
            return 0;
        }
        return rockets::sim::LaunchCommand(std::move(options), std::cout, std::cerr).run();
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
