#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/ServerApplication.h>

#include <string>

namespace rockets::server {

/// The rockets-server daemon: options and configuration (DESIGN §5), plugin
/// loading, the Service, and graceful shutdown on SIGTERM/SIGINT.
class RocketsServer final : public Poco::Util::ServerApplication {
public:
    /// `startDirectory` is the working directory at process start, captured before
    /// `--daemon` changes it to "/" (relative paths on the command line use it).
    explicit RocketsServer(std::string startDirectory);

protected:
    void initialize(Poco::Util::Application& self) override;
    void uninitialize() override;
    void defineOptions(Poco::Util::OptionSet& options) override;
    int main(const std::vector<std::string>& args) override;

private:
    void handleHelp(const std::string& name, const std::string& value);
    void handleConfig(const std::string& name, const std::string& value);
    void handleDefine(const std::string& name, const std::string& value);
    void handlePort(const std::string& name, const std::string& value);
    void handlePortFile(const std::string& name, const std::string& value);
    void displayHelp();
    /// Makes rockets.sqlite.path absolute against the config file's folder.
    void resolvePaths();

    std::string startDirectory_;
    std::string configFile_;
    /// Absolute (resolved before --daemon changes to "/"); empty: no port file.
    std::string portFile_;
    bool helpRequested_ = false;
    Poco::AutoPtr<Poco::Util::MapConfiguration> overrides_;
};

}  // namespace rockets::server
