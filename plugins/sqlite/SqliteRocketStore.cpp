#include "SqliteRocketStore.h"

#include "ReadTransaction.h"
#include "RocketTable.h"

namespace rockets::sqlite {

SqliteRocketStore::SqliteRocketStore(Writer& writer, ReaderPool& readers, std::string path)
    : writer_(writer), readers_(readers), path_(std::move(path)) {}

std::optional<Rocket> SqliteRocketStore::get(const std::string& channel) {
    return readers_.run("reading rocket from " + path_,
                        [&](Connection& connection) { return RocketTable::get(connection, channel); });
}

std::vector<std::optional<Rocket>> SqliteRocketStore::getMany(const std::vector<std::string>& channels) {
    if (channels.empty()) return {};
    return readers_.run("reading rockets from " + path_, [&](Connection& connection) {
        ReadTransaction transaction(connection);
        std::vector<std::optional<Rocket>> rockets;
        rockets.reserve(channels.size());
        for (const std::string& channel : channels) rockets.push_back(RocketTable::get(connection, channel));
        transaction.commit();
        return rockets;
    });
}

RocketPage SqliteRocketStore::list(const RocketQuery& query) {
    return readers_.run("listing rockets from " + path_,
                        [&](Connection& connection) { return RocketTable::list(connection, query, statuses_); });
}

bool SqliteRocketStore::compareAndSet(const Rocket& rocket, std::int64_t expectedVersion) {
    return writer_.compareAndSetMany({RocketWrite{rocket, expectedVersion}}).front();
}

std::vector<bool> SqliteRocketStore::compareAndSetMany(const std::vector<RocketWrite>& writes) {
    return writer_.compareAndSetMany(writes);
}

std::vector<std::pair<std::string, std::int64_t>> SqliteRocketStore::versions() {
    return readers_.run("listing rocket versions from " + path_,
                        [&](Connection& connection) { return RocketTable::versions(connection); });
}

}  // namespace rockets::sqlite
