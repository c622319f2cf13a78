#include "SqliteBackend.h"

#include "ReadTransaction.h"
#include "Schema.h"
#include "SqliteErrors.h"

#include "rockets/StoreErrors.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

namespace rockets::sqlite {

namespace {
constexpr const char* kReadProbe = "SELECT count(*) FROM meta";
}  // namespace

SqliteBackend::~SqliteBackend() = default;

void SqliteBackend::open(const Poco::Util::AbstractConfiguration& config) {
    settings_ = SqliteSettings::fromConfig(config);
    const std::string& path = settings_.path;
    sessions_ = std::make_unique<SessionFactory>(settings_);
    files_ = std::make_unique<DatabaseFiles>(path);
    for (const std::string& line : files_->repairWorkingFiles()) Poco::Logger::get("rockets.sqlite").warning(line);
    std::unique_ptr<Connection> connection;
    try {
        connection = sessions_->create();
    } catch (...) {
        rethrowAsStoreError("opening " + path);
    }
    const std::uint16_t epoch = Schema::ensure(connection->session(), path);
    files_->remember();
    readers_ = std::make_unique<ReaderPool>(*sessions_, [files = files_.get()] {
        // A new connection to a path whose file is gone would create an empty database.
        if (files->lost()) throw StoreUnavailableException(files->lostReason());
    });
    writer_ = std::make_unique<Writer>(*sessions_, *files_, *readers_, std::move(connection));
    events_ = std::make_unique<SqliteEventStore>(*writer_, *readers_, path, epoch);
    rockets_ = std::make_unique<SqliteRocketStore>(*writer_, *readers_, path);
}

StoreHealth SqliteBackend::health() {
    try {
        if (auto lost = files_->check()) return {false, *lost};
        if (auto failure = writer_->probe()) return {false, *failure};
        readers_->run("reading " + settings_.path,
                      [](Connection& connection) { connection.prepared(kReadProbe).run().step(); });
        return {};
    } catch (const Poco::Exception& e) {
        return {false, e.message().empty() ? e.displayText() : e.message()};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

std::string SqliteBackend::describe() const {
    return "sqlite " + settings_.path + ", synchronous=" + settings_.synchronous;
}

}  // namespace rockets::sqlite
