#include "SqliteEventStore.h"

#include "Schema.h"
#include "SqliteErrors.h"

#include "rockets/Codec.h"
#include "rockets/StoreErrors.h"

#include <Poco/Data/Statement.h>

#include <limits>

namespace rockets::sqlite {

using namespace Poco::Data::Keywords;

SqliteEventStore::~SqliteEventStore() {
    // The writer commits what is queued before the sessions' factory goes away.
    writer_.reset();
    readers_.reset();
}

void SqliteEventStore::open(const Poco::Util::AbstractConfiguration& config) {
    sessions_ = std::make_unique<SessionFactory>(SqliteSettings::fromConfig(config));
    const std::string& path = sessions_->settings().path;
    std::unique_ptr<Poco::Data::Session> session;
    try {
        session = sessions_->open(SessionRole::Writer);
    } catch (...) {
        rethrowAsStoreError("opening " + path);
    }
    Schema::ensure(*session, path);
    readers_ = std::make_unique<ReaderPool>(*sessions_);
    writer_ = std::make_unique<BatchWriter>(*sessions_, std::move(session));
}

AppendResult SqliteEventStore::append(const Message& message) { return writer_->append(message); }

std::vector<Message> SqliteEventStore::read(const std::string& channel, std::int64_t fromNumber, std::size_t max) {
    return readers_->run("reading events of " + sessions_->settings().path, [&](Poco::Data::Session& session) {
        Poco::Int64 from = fromNumber;
        Poco::Int64 limit = max > static_cast<std::size_t>(std::numeric_limits<Poco::Int64>::max())
                                ? std::numeric_limits<Poco::Int64>::max()
                                : static_cast<Poco::Int64>(max);
        std::vector<Poco::Int64> numbers;
        std::vector<std::string> types;
        std::vector<std::string> payloads;
        std::vector<std::string> times;
        session << "SELECT number, type, payload, time FROM events"
                   " WHERE channel = ? AND number >= ? ORDER BY number LIMIT ?",
            useRef(channel), use(from), use(limit), into(numbers), into(types), into(payloads), into(times), now;

        std::vector<Message> messages;
        messages.reserve(numbers.size());
        for (std::size_t i = 0; i < numbers.size(); ++i) {
            const auto type = messageTypeFromString(types[i]);
            auto payload = type ? decodePayload(*type, payloads[i]) : std::nullopt;
            if (!payload) {
                throw StoreCorruptException("event " + std::to_string(numbers[i]) + " of channel " + channel +
                                            " has an unreadable payload");
            }
            messages.push_back(Message{channel, numbers[i], std::move(times[i]), std::move(*payload)});
        }
        return messages;
    });
}

std::vector<ChannelHead> SqliteEventStore::heads() {
    return readers_->run("listing channels of " + sessions_->settings().path, [&](Poco::Data::Session& session) {
        // A skip scan over the primary key: one index seek per channel instead of
        // reading every event (GROUP BY would), as the sweep runs every second.
        std::vector<std::string> channels;
        std::vector<Poco::Int64> highest;
        session << "WITH RECURSIVE c(channel) AS ("
                   " SELECT min(channel) FROM events"
                   " UNION ALL"
                   " SELECT (SELECT min(channel) FROM events WHERE channel > c.channel) FROM c"
                   " WHERE c.channel IS NOT NULL)"
                   " SELECT channel, (SELECT max(number) FROM events e WHERE e.channel = c.channel)"
                   " FROM c WHERE channel IS NOT NULL",
            into(channels), into(highest), now;
        std::vector<ChannelHead> heads;
        heads.reserve(channels.size());
        for (std::size_t i = 0; i < channels.size(); ++i) heads.push_back(ChannelHead{channels[i], highest[i]});
        return heads;
    });
}

}  // namespace rockets::sqlite
