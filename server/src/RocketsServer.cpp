#include "RocketsServer.h"

#include "Service.h"
#include "Settings.h"

#include "rockets/PluginLoader.h"
#include "rockets/Stores.h"
#include "rockets/StoreErrors.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/LoggingSubsystem.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <iostream>
#include <optional>

namespace rockets::server {

using Poco::Util::Application;
using Poco::Util::Option;
using Poco::Util::OptionCallback;

namespace {
/// Command-line overrides win over the configuration file.
constexpr int kOverridePriority = Application::PRIO_APPLICATION - 100;

std::string absoluteFrom(const std::string& base, const std::string& path) {
    Poco::Path p(path);
    if (p.isAbsolute()) return p.toString();
    return Poco::Path(Poco::Path(base).makeDirectory(), p).toString();
}

/// `--port-file`: the bound port, written once the server listens and removed when
/// it stops. Written to a temporary name and renamed, so a reader never sees a
/// partial number.
class PortFile {
public:
    PortFile(std::string path, int port) : path_(std::move(path)) {
        if (path_.empty()) return;
        const std::string temporary = path_ + ".tmp-" + std::to_string(Poco::Process::id());
        {
            Poco::FileOutputStream out(temporary);
            out << port << '\n';
            out.close();
            if (!out.good()) throw Poco::WriteFileException("cannot write the port file", temporary);
        }
        Poco::File(temporary).renameTo(path_);
    }
    ~PortFile() {
        try {
            if (!path_.empty()) Poco::File(path_).remove();
        } catch (const Poco::Exception&) {
            // Already gone: nothing to tidy.
        }
    }
    PortFile(const PortFile&) = delete;
    PortFile& operator=(const PortFile&) = delete;

private:
    std::string path_;
};
}  // namespace

RocketsServer::RocketsServer(std::string startDirectory)
    : startDirectory_(std::move(startDirectory)), overrides_(new Poco::Util::MapConfiguration) {
    addSubsystem(new Poco::Util::LoggingSubsystem);
    setUnixOptions(true);
}

void RocketsServer::initialize(Application& self) {
    if (!configFile_.empty()) loadConfiguration(configFile_);
    config().add(overrides_, kOverridePriority, true);
    resolvePaths();
    ServerApplication::initialize(self);
}

void RocketsServer::uninitialize() { ServerApplication::uninitialize(); }

void RocketsServer::resolvePaths() {
    const std::string base = configFile_.empty() ? startDirectory_ : Poco::Path(configFile_).parent().toString();
    const std::string path = config().getString("rockets.sqlite.path", "rockets.db");
    overrides_->setString("rockets.sqlite.path", absoluteFrom(base, path));
    if (config().has("rockets.plugins.dir")) {
        overrides_->setString("rockets.plugins.dir", absoluteFrom(base, config().getString("rockets.plugins.dir")));
    }
}

void RocketsServer::defineOptions(Poco::Util::OptionSet& options) {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "show this help and exit")
                          .required(false).repeatable(false)
                          .callback(OptionCallback<RocketsServer>(this, &RocketsServer::handleHelp)));
    options.addOption(Option("config", "c", "load configuration from FILE (a .properties file)")
                          .required(false).repeatable(false).argument("FILE")
                          .callback(OptionCallback<RocketsServer>(this, &RocketsServer::handleConfig)));
    options.addOption(Option("define", "D", "set a configuration key, overriding the file (repeatable)")
                          .required(false).repeatable(true).argument("key=value")
                          .callback(OptionCallback<RocketsServer>(this, &RocketsServer::handleDefine)));
    options.addOption(Option("port", "p", "listen on port N (same as -D rockets.http.port=N)")
                          .required(false).repeatable(false).argument("N")
                          .validator(new Poco::Util::IntValidator(0, 65535))
                          .callback(OptionCallback<RocketsServer>(this, &RocketsServer::handlePort)));
    options.addOption(Option("port-file", "", "once listening, write the bound port to FILE (for --port=0); "
                                              "removed on stop")
                          .required(false).repeatable(false).argument("FILE")
                          .callback(OptionCallback<RocketsServer>(this, &RocketsServer::handlePortFile)));
}

void RocketsServer::handleHelp(const std::string&, const std::string&) {
    helpRequested_ = true;
    displayHelp();
    stopOptionsProcessing();
}

void RocketsServer::handleConfig(const std::string&, const std::string& value) {
    configFile_ = absoluteFrom(startDirectory_, value);
}

void RocketsServer::handleDefine(const std::string&, const std::string& value) {
    const auto eq = value.find('=');
    if (eq == std::string::npos || eq == 0) {
        throw Poco::Util::InvalidArgumentException("--define expects key=value, got '" + value + "'");
    }
    overrides_->setString(value.substr(0, eq), value.substr(eq + 1));
}

void RocketsServer::handlePort(const std::string&, const std::string& value) {
    overrides_->setString("rockets.http.port", value);
}

void RocketsServer::handlePortFile(const std::string&, const std::string& value) {
    portFile_ = absoluteFrom(startDirectory_, value);
}

void RocketsServer::displayHelp() {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("[--config=FILE] [--define key=value]... [--port=N [--port-file=FILE]] [--daemon [--pidfile=FILE]]");
    help.setWidth(100);
    help.setHeader(
        "rockets-server ingests rocket telemetry on POST /messages, applies it per rocket in messageNumber "
        "order, and serves the state on GET /rockets and GET /rockets/{channel}.");
    const char* keys = (
        "Configuration keys (defaults in parentheses; see config/rockets.properties):\n"
        "  rockets.http.host (127.0.0.1)  rockets.http.port (8088)  rockets.http.maxThreads (64)\n"
        "  rockets.http.maxQueued (1024)  rockets.http.timeoutMs (10000)  rockets.http.maxBodyBytes (65536)\n"
        "  rockets.http.requestTimeoutMs (10000): a whole request, head and body, must arrive within it\n"
        "  rockets.http.idleTimeoutMs (10000): a keep-alive connection without a request is closed after it\n"
        "  rockets.http.maxConnections (10000): open client connections; beyond it new ones get 503\n"
        "  rockets.http.webhookToken (empty: off)\n"
        "  rockets.store.events / rockets.store.rockets (sqlite): memory, sqlite or redis\n"
        "  rockets.plugins.dir (../lib/rockets from the executable)\n"
        "  rockets.sqlite.path (rockets.db, relative to the config file)  rockets.sqlite.synchronous (FULL)\n"
        "  rockets.redis.host/port/socket/db/password/keyPrefix/timeoutMs\n"
        "  rockets.consumer.workers (2)  rockets.consumer.sweepIntervalMs (1000)\n"
        "Signals: SIGTERM or SIGINT stop the server gracefully.\n");
    help.format(std::cout);
    std::cout << '\n' << keys;
}

int RocketsServer::main(const std::vector<std::string>& args) {
    if (helpRequested_) return EXIT_OK;
    if (!args.empty()) {
        std::cerr << "unexpected argument '" << args.front() << "' (see --help)\n";
        return EXIT_USAGE;
    }
    Settings settings;
    const std::string defaultPlugins = absoluteFrom(config().getString("application.dir"), "../lib/rockets");
    try {
        settings = Settings::fromConfig(config(), defaultPlugins);
    } catch (const Poco::Exception& e) {
        logger().fatal("invalid configuration: " + e.message());
        return EXIT_CONFIG;
    }
    // Declaration order is destruction order in reverse: the service (HTTP threads
    // and consumer) goes first, then the backends, then the plugin libraries.
    PluginLoader plugins(settings.pluginsDir);
    std::unique_ptr<Stores> stores;
    try {
        stores = std::make_unique<Stores>(plugins, settings.eventStore, settings.rocketStore);
        stores->open(config());
    } catch (const Poco::Exception& e) {
        logger().fatal("cannot open the stores: " + e.displayText());
        return EXIT_UNAVAILABLE;
    }
    for (const Stores::Member& member : stores->members()) {
        logger().information("store " + member.role + ": " + member.backend->describe() + " (plugin " +
                             plugins.pathFor(member.plugin) + ")");
    }
    {
        Service service(settings, *stores);
        std::optional<PortFile> portFile;
        try {
            service.start();
            portFile.emplace(portFile_, service.port());
        } catch (const Poco::Exception& e) {
            logger().fatal("cannot start: " + e.displayText());
            return EXIT_SOFTWARE;
        }
        waitForTerminationRequest();
        portFile.reset();
        logger().information("stopping: finishing requests in flight and draining the consumer");
        service.stop();
    }
    stores.reset();
    logger().information("stopped");
    return EXIT_OK;
}

}  // namespace rockets::server
