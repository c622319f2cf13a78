#include "SessionFactory.h"

#include <Poco/Data/SQLite/Connector.h>
#include <Poco/File.h>
#include <Poco/Path.h>

#include <map>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

/// One write lock per database path for the whole process.
std::shared_ptr<std::mutex> writeLockFor(const std::string& path) {
    static std::mutex registryMutex;
    static std::map<std::string, std::weak_ptr<std::mutex>> registry;
    std::lock_guard lock(registryMutex);
    auto& entry = registry[Poco::Path(path).absolute().toString()];
    auto shared = entry.lock();
    if (!shared) {
        shared = std::make_shared<std::mutex>();
        entry = shared;
    }
    return shared;
}

}  // namespace

SessionFactory::SessionFactory(SqliteSettings settings)
    : settings_(std::move(settings)),
      writeLock_(writeLockFor(settings_.path)),
      generation_(ConnectionGeneration::forPath(settings_.path)) {
    Poco::Data::SQLite::Connector::registerConnector();
}

SessionFactory::~SessionFactory() { Poco::Data::SQLite::Connector::unregisterConnector(); }

std::unique_ptr<Poco::Data::Session> SessionFactory::open(SessionRole role) const {
    Poco::Path parent = Poco::Path(settings_.path).parent();
    if (!parent.toString().empty()) Poco::File(parent).createDirectories();

    auto session = std::make_unique<Poco::Data::Session>(Poco::Data::SQLite::Connector::KEY, settings_.path);
    // Poco sets its own (long) busy timeout at open; ours is short so a locked
    // database turns into a prompt 503 rather than a hung request.
    *session << "PRAGMA busy_timeout = " + std::to_string(settings_.busyTimeout.count()), now;
    if (role == SessionRole::Writer) {
        *session << "PRAGMA synchronous = " + settings_.synchronous, now;
    } else if (role == SessionRole::ProjectionWriter) {
        // The projection is derived data: after a power loss it may roll back a few
        // commits, and the consumer's start-up pass re-applies them from the durable
        // event log. NORMAL in WAL mode never loses commits on a process crash, and
        // it spares the compare-and-set an fsync that would compete with the event
        // writer's group commit for the same write lock.
        *session << "PRAGMA synchronous = NORMAL", now;
    } else {
        *session << "PRAGMA query_only = 1", now;
    }
    return session;
}

std::unique_ptr<Connection> SessionFactory::connect(SessionRole role) const {
    const std::uint64_t generation = generation_->current();
    return std::make_unique<Connection>(open(role), generation);
}

}  // namespace rockets::sqlite
