#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/MapConfiguration.h>

#include <optional>
#include <stdexcept>
#include <string>

namespace rockets::server {

/// The rockets-server daemon: options and configuration (DESIGN §5), plugin
/// loading, the Service, signals, and the documented exit codes:
/// 0 ok, 64 usage (EX_USAGE), 69 a store or the port unavailable (EX_UNAVAILABLE),
/// 70 internal error (EX_SOFTWARE), 78 configuration (EX_CONFIG). Every start-up
/// failure is one line on stderr, "rockets-server: <what>", before `--daemon`
/// detaches (see Daemon). A Poco Application rather than a ServerApplication:
/// ServerApplication forks before reading its configuration, which would hide those
/// failures from the shell that started it.
class RocketsServer final : public Poco::Util::Application {
public:
    /// `startDirectory` is the working directory at process start, captured before
    /// anything changes it (relative paths on the command line use it).
    explicit RocketsServer(std::string startDirectory);

    /// Parses the options, reads the configuration, starts, serves until SIGTERM,
    /// SIGINT or SIGQUIT (SIGHUP reopens the log files) and stops; returns the exit code.
    int launch(int argc, char** argv);

protected:
    void initialize(Poco::Util::Application& self) override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    /// A start-up failure: the exit code and the one line to print.
    struct StartupError : std::runtime_error {
        StartupError(int code, const std::string& what) : std::runtime_error(what), code(code) {}
        int code;
    };

    void handleHelp(const std::string& name, const std::string& value);
    void handleVersion(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleDefine(const std::string& name, const std::string& value);
    void handlePort(const std::string& name, const std::string& value);
    void handlePortFile(const std::string& name, const std::string& value);
    void handleDaemon(const std::string& name, const std::string& value);
    void handlePidFile(const std::string& name, const std::string& value);
    void handleUmask(const std::string& name, const std::string& value);
    void displayHelp();
    /// Makes rockets.sqlite.path, rockets.daemon.logFile and rockets.plugins.dir
    /// absolute: a value from the file against the file's folder (the start directory
    /// without one), a -D value against the start directory.
    void resolvePaths();
    std::string baseDirectory() const;
    /// Runs the started server until a termination signal; SIGHUP reopens the log files.
    void serveUntilTerminated();
    int fail(int code, const std::string& what) const;
    /// main() without its error reporting: throws StartupError.
    int serve(const std::vector<std::string>& args);

    std::string startDirectory_;
    std::string configFile_;
    /// Absolute (resolved at option parsing); empty: none.
    std::string portFile_;
    std::string pidFile_;
    bool helpRequested_ = false;
    bool versionRequested_ = false;
    bool daemon_ = false;
    bool umaskSet_ = false;
    /// What went wrong in initialize(), reported by main().
    std::optional<StartupError> initializeError_;
    Poco::AutoPtr<Poco::Util::MapConfiguration> overrides_;
};

}  // namespace rockets::server
