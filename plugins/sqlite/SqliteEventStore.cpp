#include "SqliteEventStore.h"

#include "Schema.h"
#include "SqliteErrors.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Data/Statement.h>

#include <limits>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

namespace {

constexpr const char* kReadEvents =
    "SELECT number, type, payload, time FROM events WHERE channel = ? AND number >= ? ORDER BY number LIMIT ?";

}  // namespace

SqliteEventStore::~SqliteEventStore() {
    // The writer commits what is queued before the sessions' factory goes away.
    writer_.reset();
    readers_.reset();
}

void SqliteEventStore::open(const Poco::Util::AbstractConfiguration& config) {
    sessions_ = std::make_unique<SessionFactory>(SqliteSettings::fromConfig(config));
    const std::string& path = sessions_->settings().path;
    std::unique_ptr<Connection> connection;
    try {
        connection = sessions_->connect(SessionRole::Writer);
    } catch (...) {
        rethrowAsStoreError("opening " + path);
    }
    Schema::ensure(connection->session(), path);
    readers_ = std::make_unique<ReaderPool>(*sessions_);
    writer_ = std::make_unique<BatchWriter>(*sessions_, std::move(connection));
}

AppendResult SqliteEventStore::append(const Message& message) { return writer_->append(message); }

std::vector<Message> SqliteEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    return readers_->run("reading events of " + sessions_->settings().path, [&](Connection& connection) {
        const Poco::Int64 limit = max > static_cast<std::size_t>(std::numeric_limits<Poco::Int64>::max())
                                      ? std::numeric_limits<Poco::Int64>::max()
                                      : static_cast<Poco::Int64>(max);
        // One range seek on the primary key (channel, number), rows in key order.
        auto select = connection.prepared(kReadEvents).run();
        select.bind(1, channel).bind(2, Poco::Int64{fromNumber}).bind(3, limit);
        std::vector<Message> messages;
        while (select.step()) {
            const Poco::Int64 number = select.int64(0);
            const auto type = messageTypeFromString(select.view(1));
            auto payload = type ? decodePayload(*type, select.view(2)) : std::nullopt;
            if (!payload) {
                throw StoreCorruptException("event " + std::to_string(number) + " of channel " + channel +
                                            " has an unreadable payload");
            }
            messages.push_back(Message{channel, number, select.text(3), std::move(*payload)});
        }
        return messages;
    });
}

ChangedChannels SqliteEventStore::changedSince(std::uint64_t) {
    // Interim: every channel, every time (the cursor is not kept yet).
    return readers_->run("listing channels of " + sessions_->settings().path, [&](Connection& connection) {
        Poco::Data::Session& session = connection.session();
        // A skip scan over the primary key: one index seek per channel instead of
        // reading every event (GROUP BY would).
        std::vector<std::string> channels;
        std::vector<Poco::Int64> highest;
        std::vector<Poco::Int64> counts;
        session << "WITH RECURSIVE c(channel) AS ("
                   " SELECT min(channel) FROM events"
                   " UNION ALL"
                   " SELECT (SELECT min(channel) FROM events WHERE channel > c.channel) FROM c"
                   " WHERE c.channel IS NOT NULL)"
                   " SELECT channel, (SELECT max(number) FROM events e WHERE e.channel = c.channel),"
                   " (SELECT count(*) FROM events e WHERE e.channel = c.channel)"
                   " FROM c WHERE channel IS NOT NULL",
            into(channels), into(highest), into(counts), now;
        ChangedChannels changed;
        changed.cursor = 1;
        changed.channels.reserve(channels.size());
        for (std::size_t i = 0; i < channels.size(); ++i) {
            changed.channels.push_back(ChannelHead{channels[i], highest[i], counts[i]});
        }
        return changed;
    });
}

}  // namespace rockets::sqlite
