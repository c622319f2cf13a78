#include "RocketsServer.h"

#include "ConfigKeys.h"
#include "Daemon.h"
#include "InstallLayout.h"
#include "LogFiles.h"
#include "RunFile.h"
#include "Service.h"
#include "Settings.h"
#include "Version.h"

#include "rockets/PluginLoader.h"
#include "rockets/StoreErrors.h"
#include "rockets/Stores.h"

#include <Poco/File.h>
#include <Poco/Net/NetException.h>
#include <Poco/Path.h>
#include <Poco/Process.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/IntValidator.h>
#include <Poco/Util/LoggingSubsystem.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <csignal>
#include <iostream>
#include <optional>
#include <cstring>
#include <sys/stat.h>

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
}  // namespace

RocketsServer::RocketsServer(std::string startDirectory)
    : startDirectory_(std::move(startDirectory)), overrides_(new Poco::Util::MapConfiguration) {
    addSubsystem(new Poco::Util::LoggingSubsystem);
    setUnixOptions(true);
}

int RocketsServer::launch(int argc, char** argv) {
    try {
        init(argc, argv);
    } catch (const Poco::Exception& e) {
        // Unknown option, missing argument, bad --define or --umask.
        return fail(EXIT_USAGE, e.displayText() + " (see --help)");
    }
    if (helpRequested_ || versionRequested_) return EXIT_OK;
    return run();
}

void RocketsServer::initialize(Application& self) {
    // Application::run() would only log what escapes from here: keep it for main().
    try {
        if (configFile_.empty()) {
            // An installed server started without --config reads its installed one.
            const std::string installed =
                InstallLayout::ofThisBuild().configFile(config().getString("application.dir"));
            if (Poco::File(installed).exists()) configFile_ = installed;
        }
        if (!configFile_.empty()) {
            try {
                loadConfiguration(configFile_);
            } catch (const Poco::Exception& e) {
                throw StartupError(EXIT_CONFIG,
                                   "cannot read the configuration file " + configFile_ + ": " + e.displayText());
            }
        }
        config().add(overrides_, kOverridePriority, true);
        resolvePaths();
        // Start-up and signal lines come from logger "rockets", like the service's own.
        if (!config().has("application.logger")) config().setString("application.logger", "rockets");
        try {
            Application::initialize(self);  // the logging subsystem reads logging.*
        } catch (const Poco::Exception& e) {
            throw StartupError(EXIT_CONFIG, "invalid logging configuration: " + e.displayText());
        }
    } catch (const StartupError& e) {
        initializeError_ = e;
    }
}

std::string RocketsServer::baseDirectory() const {
    return configFile_.empty() ? startDirectory_ : Poco::Path(configFile_).parent().toString();
}

void RocketsServer::resolvePaths() {
    struct PathKey {
        const char* key;
        const char* fallback;  ///< nullptr: no default here (the plugins' is the executable's)
    };
    for (const PathKey& path : {PathKey{"rockets.sqlite.path", "rockets.db"},
                                PathKey{"rockets.daemon.logFile", "rockets.log"},
                                PathKey{"rockets.plugins.dir", nullptr}}) {
        if (!path.fallback && !config().has(path.key)) continue;
        const std::string value = path.fallback ? config().getString(path.key, path.fallback)
                                                : config().getString(path.key);
        if (value.empty()) continue;  // the key's reader reports it
        // A -D path is a command-line path, like --config's: it resolves against the
        // start directory; a path from the file (or a default) against the file's folder.
        const std::string base = overrides_->has(path.key) ? startDirectory_ : baseDirectory();
        overrides_->setString(path.key, absoluteFrom(base, value));
    }
}

void RocketsServer::defineOptions(Poco::Util::OptionSet& options) {
    Application::defineOptions(options);
    auto callback = [this](void (RocketsServer::*handler)(const std::string&, const std::string&)) {
        return OptionCallback<RocketsServer>(this, handler);
    };
    options.addOption(Option("help", "h", "show this help and exit").callback(callback(&RocketsServer::handleHelp)));
    options.addOption(Option("version", "", "print the version and git revision and exit")
                          .callback(callback(&RocketsServer::handleVersion)));
    options.addOption(Option("config", "c", "load configuration from FILE (a .properties file); default: the "
                                            "installed one, when it exists (below)")
                          .argument("FILE")
                          .callback(callback(&RocketsServer::handleConfig)));
    options.addOption(Option("define", "D", "set a configuration key, overriding the file (repeatable)")
                          .repeatable(true)
                          .argument("key=value")
                          .callback(callback(&RocketsServer::handleDefine)));
    options.addOption(Option("port", "p", "listen on port N (same as -D rockets.http.port=N)")
                          .argument("N")
                          .validator(new Poco::Util::IntValidator(0, 65535))
                          .callback(callback(&RocketsServer::handlePort)));
    options.addOption(Option("port-file", "", "once listening, write the bound port to FILE (for --port=0); "
                                              "removed on stop")
                          .argument("FILE")
                          .callback(callback(&RocketsServer::handlePortFile)));
    options.addOption(Option("daemon", "", "run in the background once start-up succeeded; the log goes to "
                                           "rockets.daemon.logFile unless logging.* names a file or syslog")
                          .callback(callback(&RocketsServer::handleDaemon)));
    options.addOption(Option("pidfile", "", "once started, write the process id to FILE; removed on stop")
                          .argument("FILE")
                          .callback(callback(&RocketsServer::handlePidFile)));
    options.addOption(Option("umask", "", "set the umask (octal, e.g. 027; --daemon defaults to 027)")
                          .argument("MASK")
                          .callback(callback(&RocketsServer::handleUmask)));
}

void RocketsServer::handleHelp(const std::string&, const std::string&) {
    helpRequested_ = true;
    displayHelp();
    stopOptionsProcessing();
}

void RocketsServer::handleVersion(const std::string&, const std::string&) {
    versionRequested_ = true;
    std::cout << versionLine() << '\n';
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

void RocketsServer::handleDaemon(const std::string&, const std::string&) {
    daemon_ = true;
    config().setBool("application.runAsDaemon", true);
    if (!umaskSet_) ::umask(027);  // the conventional daemon umask, unless --umask says otherwise
}

void RocketsServer::handlePidFile(const std::string&, const std::string& value) {
    pidFile_ = absoluteFrom(startDirectory_, value);
}

void RocketsServer::handleUmask(const std::string&, const std::string& value) {
    mode_t mask = 0;
    for (const char c : value) {
        if (c < '0' || c > '7' || value.size() > 4) {
            throw Poco::Util::InvalidArgumentException("--umask expects an octal mask, got '" + value + "'");
        }
        mask = static_cast<mode_t>(mask * 8 + static_cast<mode_t>(c - '0'));
    }
    ::umask(mask);
    umaskSet_ = true;
}

void RocketsServer::displayHelp() {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("[--config=FILE] [--define key=value]... [--port=N [--port-file=FILE]] [--daemon] [--pidfile=FILE]");
    help.setWidth(100);
    help.setHeader(
        "rockets-server ingests rocket telemetry on POST /messages, applies it per rocket in messageNumber "
        "order, and serves the state on GET /rockets and GET /rockets/{channel} (the whole API: "
        "GET /openapi.json, docs/openapi.json).");
    const char* keys = (
        "Configuration keys (defaults in parentheses; see config/rockets.properties). Any other rockets.* key\n"
        "is an error that names the nearest known key.\n"
        "  rockets.http.host (127.0.0.1)  rockets.http.port (8088)  rockets.http.maxThreads (64)\n"
        "  rockets.http.maxQueued (1024)  rockets.http.timeoutMs (10000)  rockets.http.maxBodyBytes (65536)\n"
        "  rockets.http.requestTimeoutMs (10000): a whole request, head and body, must arrive within it\n"
        "  rockets.http.idleTimeoutMs (10000): a keep-alive connection without a request is closed after it\n"
        "  rockets.http.maxConnections (10000): open client connections; beyond it new ones get 503\n"
        "  rockets.http.maxStreams (100): concurrent GET /changes streams; beyond it 503\n"
        "  rockets.http.streamHeartbeatMs (15000)  rockets.http.webhookToken (empty: off)\n"
        "  rockets.http.streamFeedLingerMs (30000): a shared change feed (redis) stays subscribed\n"
        "    this long after the last GET /changes stream closed\n"
        "  rockets.http.corsOrigins (empty: off): '*' or a comma list of origins whose pages may read the API\n"
        "  rockets.store.events / rockets.store.rockets (sqlite): memory, sqlite or redis\n"
        "  rockets.plugins.dir (../lib/rockets from the executable)\n"
        "  rockets.sqlite.path (rockets.db)  rockets.sqlite.synchronous (FULL)\n"
        "  rockets.sqlite.busyTimeoutMs (1000)\n"
        "  rockets.redis.host/port/socket/db/password/keyPrefix/timeoutMs\n"
        "  rockets.redis.reindexQuietMs (200): list indexes are brought up to date after this long without writes\n"
        "  rockets.consumer.workers (2)  rockets.consumer.sweepIntervalMs (1000)\n"
        "  rockets.limits.maxUnappliedPerChannel (10000)  rockets.limits.maxUnappliedTotal (1000000)\n"
        "  rockets.daemon.logFile (rockets.log): the log of --daemon\n"
        "Relative paths in the configuration file resolve against its folder (without a file: the working\n"
        "directory); relative paths given with -D, --config, --pidfile or --port-file against the working\n"
        "directory. Values may use ${system.env.NAME} (e.g. a password from the environment).\n"
        "Signals: SIGTERM, SIGINT or SIGQUIT stop the server gracefully; SIGHUP reopens the log files.\n"
        "Exit codes: 0 ok, 64 usage, 69 a store or the port unavailable, 70 internal error, 78 configuration.\n");
    help.format(std::cout);
    std::cout << '\n' << keys << "Default configuration file (read when it exists): "
              << InstallLayout::ofThisBuild().configFile(config().getString("application.dir")) << '\n';
}

int RocketsServer::fail(int code, const std::string& what) const {
    std::cerr << "rockets-server: " << what << std::endl;
    // Also in the log, unless the log is that same stderr.
    if (!LogFiles::rootWritesToConsole()) Poco::Logger::root().fatal(what);
    return code;
}

void RocketsServer::serveUntilTerminated() {
    sigset_t signals;
    sigemptyset(&signals);
    for (int signal : {SIGINT, SIGTERM, SIGQUIT, SIGHUP}) sigaddset(&signals, signal);
    while (true) {
        int signal = 0;
        if (sigwait(&signals, &signal) != 0) continue;
        if (signal != SIGHUP) {
            logger().information("%s: stopping", std::string(::strsignal(signal)));
            return;
        }
        LogFiles::reopen(config());
        logger().information("SIGHUP: reopened the log files");
    }
}

int RocketsServer::main(const std::vector<std::string>& args) {
    try {
        return serve(args);
    } catch (const StartupError& e) {
        return fail(e.code, e.what());
    } catch (const Poco::Exception& e) {
        return fail(EXIT_SOFTWARE, "internal error: " + e.displayText());
    } catch (const std::exception& e) {
        return fail(EXIT_SOFTWARE, std::string("internal error: ") + e.what());
    }
}

int RocketsServer::serve(const std::vector<std::string>& args) {
    if (initializeError_) throw *initializeError_;
    if (!args.empty()) throw StartupError(EXIT_USAGE, "unexpected argument '" + args.front() + "' (see --help)");
    if (const auto unknown = findUnknownKey(config())) {
        throw StartupError(EXIT_CONFIG, "unknown configuration key '" + unknown->key + "' (did you mean '" +
                                            unknown->nearest + "'? every key: --help)");
    }
    Settings settings;
    const std::string defaultPlugins = absoluteFrom(config().getString("application.dir"), "../lib/rockets");
    try {
        settings = Settings::fromConfig(config(), defaultPlugins);
    } catch (const Poco::Exception& e) {
        throw StartupError(EXIT_CONFIG, "invalid configuration: " + e.message());
    }
    std::optional<Daemon> daemon;
    if (daemon_) {
        const std::string logFile = config().getString("rockets.daemon.logFile");  // absolute: resolvePaths()
        try {
            // stderr is /dev/null once detached.
            LogFiles::redirectConsoleTo(logFile);
        } catch (const Poco::Exception& e) {
            throw StartupError(EXIT_CONFIG, "cannot open the log file " + logFile +
                                                " (rockets.daemon.logFile): " + e.displayText());
        }
        // Before any thread exists: the stores and the service start theirs in the child.
        daemon.emplace(Daemon::start());
    }

    // Declaration order is destruction order in reverse: the service (HTTP threads
    // and consumer) goes first, then the backends, then the plugin libraries.
    PluginLoader plugins(settings.pluginsDir);
    std::unique_ptr<Stores> stores;
    try {
        stores = std::make_unique<Stores>(plugins, settings.eventStore, settings.rocketStore);
    } catch (const Poco::Exception& e) {
        throw StartupError(EXIT_CONFIG, "rockets.store.events / rockets.store.rockets: " + e.message());
    }
    try {
        stores->open(config());
    } catch (const Poco::InvalidArgumentException& e) {
        throw StartupError(EXIT_CONFIG, "invalid configuration: " + e.message());
    } catch (const Poco::Exception& e) {
        throw StartupError(EXIT_UNAVAILABLE, "cannot open the stores: " + e.displayText());
    }
    // After the last configuration check: a failing start-up prints its one line only.
    logger().information("configuration: %s",
                         configFile_.empty() ? std::string("no file (defaults and -D)") : configFile_);
    for (const Stores::Member& member : stores->members()) {
        logger().information("store " + member.role + ": " + member.backend->describe() + " (plugin " +
                             plugins.pathFor(member.plugin) + ")");
    }
    logger().information("limits: %d connections, %d request threads, %z body bytes, %?d unapplied messages per "
                         "channel, %?d in total, %d change streams",
                         settings.maxConnections, settings.maxThreads, settings.maxBodyBytes,
                         settings.maxUnappliedPerChannel, settings.maxUnappliedTotal, settings.maxStreams);
    {
        Service service(settings, *stores);
        try {
            service.start();
        } catch (const Poco::Net::NetException& e) {
            throw StartupError(EXIT_UNAVAILABLE, "cannot listen on " + settings.host + ":" +
                                                     std::to_string(settings.port) + ": " + e.displayText());
        } catch (const StoreUnavailableException& e) {
            throw StartupError(EXIT_UNAVAILABLE, "cannot read the stores: " + e.displayText());
        } catch (const StoreCorruptException& e) {
            throw StartupError(EXIT_UNAVAILABLE, "cannot read the stores: " + e.displayText());
        } catch (const Poco::IOException& e) {
            throw StartupError(EXIT_UNAVAILABLE, "cannot start: " + e.displayText());
        }
        std::optional<RunFile> pidFile, portFile;
        try {
            pidFile.emplace(pidFile_, std::to_string(Poco::Process::id()));
            portFile.emplace(portFile_, std::to_string(service.port()));
        } catch (const Poco::Exception& e) {
            throw StartupError(EXIT_CONFIG, e.message());
        }
        logger().information("%s started (pid %?d)", versionLine(), Poco::Process::id());
        if (daemon) daemon->ready();
        serveUntilTerminated();
        portFile.reset();
        logger().information("stopping: finishing requests in flight and draining the consumer");
        service.stop();
    }
    stores.reset();
    logger().information("stopped");
    return EXIT_OK;
}

}  // namespace rockets::server
