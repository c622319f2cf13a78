#include "RocketTable.h"

#include "rockets/StoreErrors.h"

#include <Poco/Data/Statement.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace rockets::sqlite::RocketTable {

using namespace Poco::Data::Keywords;

namespace {

// The stored status is ordered like the API's names ("ACTIVE" < "EXPLODED"), so
// ORDER BY status matches rocketLess.
Poco::Int64 statusCode(RocketStatus status) {
    switch (status) {
    case RocketStatus::Unlaunched: return 0;
    case RocketStatus::Active: return 1;
    case RocketStatus::Exploded: return 2;
    }
    return 0;
}

RocketStatus statusFromCode(Poco::Int64 code) {
    switch (code) {
    case 0: return RocketStatus::Unlaunched;
    case 1: return RocketStatus::Active;
    case 2: return RocketStatus::Exploded;
    }
    throw StoreCorruptException("unknown rocket status " + std::to_string(code) + " in the rockets table");
}

const char* columnOf(SortField field) {
    switch (field) {
    case SortField::Channel: return "channel";
    case SortField::Type: return "type";
    case SortField::Mission: return "mission";
    case SortField::Speed: return "speed";
    case SortField::Status: return "status";
    case SortField::LaunchedAt: return "launchedAt";
    case SortField::UpdatedAt: return "updatedAt";
    case SortField::LastMessageNumber: return "lastMessageNumber";
    }
    return "channel";
}

constexpr const char* kColumns =
    "SELECT channel, type, speed, mission, status, reason IS NULL, coalesce(reason, ''), launchedAt, updatedAt,"
    " lastMessageNumber FROM rockets";

/// Column vectors of a rockets query (NULL reasons arrive as a flag plus '').
struct RocketRows {
    std::vector<std::string> channel, type, mission, reason, launchedAt, updatedAt;
    std::vector<Poco::Int64> speed, status, reasonIsNull, lastMessageNumber;

    void into(Poco::Data::Statement& statement) {
        statement, Poco::Data::Keywords::into(channel), Poco::Data::Keywords::into(type),
            Poco::Data::Keywords::into(speed), Poco::Data::Keywords::into(mission),
            Poco::Data::Keywords::into(status), Poco::Data::Keywords::into(reasonIsNull),
            Poco::Data::Keywords::into(reason), Poco::Data::Keywords::into(launchedAt),
            Poco::Data::Keywords::into(updatedAt), Poco::Data::Keywords::into(lastMessageNumber);
    }

    std::vector<Rocket> rockets() {
        std::vector<Rocket> result(channel.size());
        for (std::size_t i = 0; i < result.size(); ++i) {
            Rocket& r = result[i];
            r.channel = std::move(channel[i]);
            r.type = std::move(type[i]);
            r.speed = speed[i];
            r.mission = std::move(mission[i]);
            r.status = statusFromCode(status[i]);
            if (!reasonIsNull[i]) r.reason = std::move(reason[i]);
            r.launchedAt = std::move(launchedAt[i]);
            r.updatedAt = std::move(updatedAt[i]);
            r.lastMessageNumber = lastMessageNumber[i];
        }
        return result;
    }
};

constexpr const char* kGetRocket =
    "SELECT channel, type, speed, mission, status, reason IS NULL, coalesce(reason, ''), launchedAt, updatedAt,"
    " lastMessageNumber FROM rockets WHERE channel = ?";

constexpr const char* kInsertRocket =
    "INSERT INTO rockets (type, speed, mission, status, reason, launchedAt, updatedAt, lastMessageNumber, channel)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (channel) DO UPDATE SET type = excluded.type, speed = excluded.speed,"
    " mission = excluded.mission, status = excluded.status, reason = excluded.reason,"
    " launchedAt = excluded.launchedAt, updatedAt = excluded.updatedAt,"
    " lastMessageNumber = excluded.lastMessageNumber"
    " WHERE rockets.lastMessageNumber = 0";

// The usual update (a speed change) moves only these columns: SQLite rewrites the
// index entries of every column in the SET list, changed or not, so the full update
// below would rewrite all seven indexes for every message.
constexpr const char* kUpdateMoving =
    "UPDATE rockets SET speed = ?, updatedAt = ?, lastMessageNumber = ? WHERE channel = ? AND lastMessageNumber = ?"
    " AND type = ? AND mission = ? AND status = ? AND reason IS ? AND launchedAt = ?";

constexpr const char* kUpdateRocket =
    "UPDATE rockets SET type = ?, speed = ?, mission = ?, status = ?, reason = ?, launchedAt = ?,"
    " updatedAt = ?, lastMessageNumber = ? WHERE channel = ? AND lastMessageNumber = ?";

/// A row of kGetRocket (kColumns' column order).
Rocket rocketFromRow(const PreparedStatement::Execution& row) {
    Rocket r;
    r.channel = row.text(0);
    r.type = row.text(1);
    r.speed = row.int64(2);
    r.mission = row.text(3);
    r.status = statusFromCode(row.int64(4));
    if (!row.int64(5)) r.reason = row.text(6);
    r.launchedAt = row.text(7);
    r.updatedAt = row.text(8);
    r.lastMessageNumber = row.int64(9);
    return r;
}

Poco::Int64 clampToInt64(std::size_t value) {
    return value > static_cast<std::size_t>(std::numeric_limits<Poco::Int64>::max())
               ? std::numeric_limits<Poco::Int64>::max()
               : static_cast<Poco::Int64>(value);
}

/// Whether a page of `query` that matches `total` rockets is cheaper read along its sort
/// field's index, checking the filters row by row and stopping when the page is full,
/// than through a filter's index (SQLite's own plan for a filtered query: every match
/// read, then sorted). Along the sort the page costs about (offset + limit) × visible /
/// total rows, through the filter `total` rows and a sort, so the walk pays when
/// (offset + limit) × visible < total². At 100,000 rockets `status=ACTIVE` (97 % of
/// them) sorted by speed took 72 ms through the status index and 1 ms along the speed
/// index; `status=EXPLODED` (3 %) stays with its index. Unfiltered queries always walk
/// the sort; so do none whose filter fixes the sort field (one value: the filter's
/// index is the sort's).
bool alongTheSort(Poco::Data::Session& session, const RocketQuery& query, Poco::Int64 total,
                  StatusCounts& statuses) {
    if (!query.status && !query.type && !query.mission) return true;
    if (filterFixesSort(query)) return false;
    const double wanted = static_cast<double>(query.offset) + static_cast<double>(query.limit);
    if (static_cast<double>(total) <= wanted) return false;  // the filter's index reads no more than the page
    const auto counts = statuses.get(session);
    const double visible = static_cast<double>(counts[1] + counts[2]);
    return wanted * visible < static_cast<double>(total) * static_cast<double>(total);
}

/// `query`'s filters as a WHERE clause over the launched rockets, its parameters in
/// bindFilters' order. Only the terms on column `readBy` may use that column's index;
/// the others carry SQLite's unary +, which keeps a term off every index. `readBy`
/// nullptr leaves SQLite the choice of index; "" allows none (the page read along the
/// sort field's index).
std::string whereClause(const RocketQuery& query, const char* readBy) {
    auto term = [readBy](const char* column, const char* condition) {
        const bool indexed = readBy == nullptr || std::string_view(readBy) == column;
        return std::string(indexed ? "" : "+") + column + condition;
    };
    std::string where = " WHERE " + term("status", " > 0");
    if (query.status) where += " AND " + term("status", " = ?");
    if (query.type) where += " AND " + term("type", " = ?");
    if (query.mission) where += " AND " + term("mission", " = ?");
    return where;
}

/// What countMatches found: the matches, and for a query filtered on exactly one of
/// type and mission, how many rockets of any status that filter's index holds.
struct MatchCount {
    Poco::Int64 matches = 0;
    std::optional<Poco::Int64> fieldIndex;
};

/// The number of rockets that match `query`'s filters (bound by `bindFilters`). A type
/// or a mission filter alone has a cheaper way than SQLite's:
/// SQLite reads each match's row for its status (`status > 0 AND type = ?`: 9,400 row
/// look-ups, 14 ms at 100,000 rockets; `status = 1 AND type = ?` went through the
/// status index, 92,000 look-ups, 69 ms). The filter's index alone counts all its
/// rockets without reading a row (~1 ms), and only those of the statuses the query
/// excludes (the unlaunched ones; with a status filter, the other two) need their rows
/// read. Of the three ways (every match of the filter's index, every rocket of the
/// status asked for, the excluded statuses' rockets) this reads the fewest rows, by
/// `statuses`' counts. The subtraction relies on codes 0-2 being the only ones stored
/// (statusFromCode reports any other as corruption when it is read).
MatchCount countMatches(Poco::Data::Session& session, const RocketQuery& query,
                        const std::function<void(Poco::Data::Statement&)>& bindFilters, StatusCounts& statuses) {
    MatchCount count;
    Poco::Int64& total = count.matches;
    const bool oneField = query.type.has_value() != query.mission.has_value();
    if (!oneField || query.status == RocketStatus::Unlaunched) {
        Poco::Data::Statement statement(session);
        statement << "SELECT count(*) FROM rockets" + whereClause(query, nullptr);
        bindFilters(statement);
        statement, into(total);
        statement.execute();
        return count;
    }
    const std::string field = query.type ? "type" : "mission";
    const std::string& value = query.type ? *query.type : *query.mission;
    Poco::Int64& indexed = count.fieldIndex.emplace(0);
    session << "SELECT count(*) FROM rockets WHERE " + field + " = ?", useRef(value), into(indexed), now;
    if (indexed == 0) return count;

    const auto counts = statuses.get(session);
    const std::int64_t wanted = query.status ? statusCode(*query.status) : 0;
    std::string excluded;  // the status codes the query leaves out, as an IN list
    std::int64_t excludedRows = 0;
    for (std::int64_t code = 0; code < static_cast<std::int64_t>(counts.size()); ++code) {
        if (query.status ? code == wanted : code > 0) continue;
        excluded += (excluded.empty() ? "" : ", ") + std::to_string(code);
        excludedRows += counts[static_cast<std::size_t>(code)];
    }
    const std::int64_t statusRows = query.status ? counts[static_cast<std::size_t>(wanted)]
                                               : std::numeric_limits<std::int64_t>::max();
    Poco::Int64 status = wanted;
    if (excludedRows < indexed && excludedRows < statusRows) {
        Poco::Int64 hidden = 0;
        session << "SELECT count(*) FROM rockets WHERE status IN (" + excluded + ") AND +" + field + " = ?",
            useRef(value), into(hidden), now;
        total = indexed - hidden;
        return count;
    }
    if (statusRows < indexed) {
        session << "SELECT count(*) FROM rockets WHERE status = ? AND +" + field + " = ?", use(status), useRef(value),
            into(total), now;
    } else if (query.status) {
        session << "SELECT count(*) FROM rockets WHERE +status = ? AND " + field + " = ?", use(status), useRef(value),
            into(total), now;
    } else {
        session << "SELECT count(*) FROM rockets WHERE +status > 0 AND " + field + " = ?", useRef(value), into(total),
            now;
    }
    return count;
}

/// The column whose index a filtered page not read along the sort goes through, for a
/// status filter with one type or mission filter (both index sizes are known by then:
/// `count` and `statuses`); any other set of filters leaves SQLite the choice (nullptr).
/// Without statistics SQLite took the status index for `status=ACTIVE&type=X`: 92,000
/// row look-ups for 9,400 matches, 98-110 ms with `limit=1000` at 100,000 rockets. The
/// index holding fewer rockets is read, all of it, and its matches sorted; but when a
/// filter fixes the sort (`sort=status&status=ACTIVE&type=X`), that filter's index holds
/// the matches in the page's order, and read in order it stops at the page's end, after
/// about (offset + limit) × its size / matches rows, unsorted.
const char* readThrough(Poco::Data::Session& session, const RocketQuery& query, const MatchCount& count,
                        StatusCounts& statuses) {
    if (!count.fieldIndex) return nullptr;
    const char* field = query.type ? "type" : "mission";
    if (!query.status) return field;
    const auto counts = statuses.get(session);
    const double statusRows = static_cast<double>(counts[static_cast<std::size_t>(statusCode(*query.status))]);
    const double fieldRows = static_cast<double>(*count.fieldIndex);
    if (!filterFixesSort(query)) return statusRows < fieldRows ? "status" : field;
    const bool statusFixes = query.sort == SortField::Status;
    const double matches = static_cast<double>(count.matches);
    const double wanted = std::min(static_cast<double>(query.offset) + static_cast<double>(query.limit), matches);
    const double inOrder = wanted * (statusFixes ? statusRows : fieldRows) / matches;
    const bool fixedIndex = inOrder <= (statusFixes ? fieldRows : statusRows);
    return fixedIndex == statusFixes ? "status" : field;
}

/// Descending pages of type, mission and status read along the sort, run by run.
///
/// Those values repeat across many rockets (scenario 4: ten types over 100,000
/// rockets). For `ORDER BY type DESC, channel ASC` SQLite walks rockets_by_type
/// backwards but has to sort each run of equal types by channel before it can return
/// the run's first row: the first page of sort=type&order=desc read and sorted some
/// 10,000 rows (47 ms), against 7 ms for an ascending page. Here each run is read on
/// its own, forwards along (value, channel), which is already the page's order, and
/// only as far as the page needs; the next value down is one index seek.
/// docs/decisions/2026-11-26-sqlite-backend.md, sixteenth-session amendment.
class DescendingRuns {
public:
    /// Runs walked before the rest of the page is read with one statement: with many
    /// distinct values (runs of one or two rockets) two statements per run cost more
    /// than SQLite's sort of short ties.
    static constexpr int kMaxRuns = 32;

    /// Descending by type, mission or status (to be read along the sort: alongTheSort()).
    static bool suits(const RocketQuery& query) {
        return query.descending &&
               (query.sort == SortField::Type || query.sort == SortField::Mission || query.sort == SortField::Status);
    }

    static const DescendingRuns& of(SortField field) {
        static const DescendingRuns type("type"), mission("mission"), status("status");
        return field == SortField::Type ? type : field == SortField::Mission ? mission : status;
    }

    /// Reads the page of `query` (one that suits()) into `page`, passing over `skip`
    /// matching rockets first (and counting it down). Returns true when the page is
    /// complete or no rocket is left; false when it stopped after kMaxRuns runs, every
    /// rocket whose value is `below` or above read: the rest is below it.
    bool walk(Connection& connection, const RocketQuery& query, std::size_t& skip, std::vector<Rocket>& page,
              std::optional<std::string>& below) const {
        for (int runs = 0; page.size() < query.limit; ++runs) {
            if (runs == kMaxRuns) return false;
            {
                auto next = connection.prepared(below ? below_.c_str() : highest_.c_str()).run();
                if (below) bindValue(next, 1, *below);
                if (!next.step() || next.isNull(0)) return true;  // no value left
                below = numeric_ ? std::to_string(next.int64(0)) : next.text(0);
            }
            auto rows = connection.prepared(run_.c_str()).run();
            bindValue(rows, 1, *below);
            if (query.status) rows.bind(2, statusCode(*query.status));
            else rows.bindNull(2);
            if (query.type) rows.bind(3, *query.type);
            else rows.bindNull(3);
            if (query.mission) rows.bind(4, *query.mission);
            else rows.bindNull(4);
            rows.bind(5, clampToInt64(skip + (query.limit - page.size())));
            while (rows.step()) {
                if (skip > 0) --skip;  // before the page: stepped over, not decoded
                else page.push_back(rocketFromRow(rows));
            }
        }
        return true;
    }

private:
    explicit DescendingRuns(const char* column)
        : numeric_(std::string_view(column) == "status"),
          highest_(std::string("SELECT max(") + column + ") FROM rockets"),
          below_(highest_ + " WHERE " + column + " < ?"),
          run_(std::string(kColumns) + " WHERE " + column +
               " = ? AND status > 0 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR type = ?3)"
               " AND (?4 IS NULL OR mission = ?4) ORDER BY channel ASC LIMIT ?5") {}

    /// Binds a value as its column stores it (status is an integer, which `below`
    /// holds as the decimal text walk() wrote).
    void bindValue(PreparedStatement::Execution& execution, int index, const std::string& value) const {
        if (numeric_) execution.bind(index, Poco::Int64{std::stoll(value)});
        else execution.bind(index, value);
    }

    bool numeric_;
    std::string highest_;  ///< the highest value
    std::string below_;    ///< the highest value below one
    std::string run_;      ///< the matching rockets of one value, in channel order
};

}  // namespace

std::array<std::int64_t, 3> StatusCounts::get(Poco::Data::Session& session) {
    const auto asked = std::chrono::steady_clock::now();
    {
        std::lock_guard lock(mutex_);
        if (countedAt_ && asked - *countedAt_ < kMaxAge) return counts_;
    }
    // Each count reads only the status index; three of them took 8 ms at 100,000
    // rockets, a GROUP BY over the same index 25 ms.
    std::array<Poco::Int64, 3> counted{};
    session << "SELECT (SELECT count(*) FROM rockets WHERE status = 0), (SELECT count(*) FROM rockets WHERE status = 1),"
               " (SELECT count(*) FROM rockets WHERE status = 2)",
        into(counted[0]), into(counted[1]), into(counted[2]), now;
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] = counted[i];
    countedAt_ = asked;
    return counts_;
}

std::optional<Rocket> get(Connection& connection, const std::string& channel) {
    auto select = connection.prepared(kGetRocket).run();
    select.bind(1, channel);
    if (!select.step()) return std::nullopt;
    return rocketFromRow(select);
}

bool writeIfVersion(Connection& connection, const Rocket& rocket, std::int64_t expectedVersion) {
    if (expectedVersion != 0) {
        PreparedStatement& moving = connection.prepared(kUpdateMoving);
        {
            auto execution = moving.run();
            execution.bind(1, Poco::Int64{rocket.speed}).bind(2, rocket.updatedAt);
            execution.bind(3, Poco::Int64{rocket.lastMessageNumber}).bind(4, rocket.channel);
            execution.bind(5, Poco::Int64{expectedVersion}).bind(6, rocket.type).bind(7, rocket.mission);
            execution.bind(8, statusCode(rocket.status));
            if (rocket.reason) execution.bind(9, *rocket.reason);
            else execution.bindNull(9);
            execution.bind(10, rocket.launchedAt);
            execution.step();
        }
        if (moving.changes() == 1) return true;
        // Another column changed too, or the version is not the expected one.
    }
    // An absent rocket has version 0. Both statements have the same parameters 1-9.
    PreparedStatement& write = connection.prepared(expectedVersion == 0 ? kInsertRocket : kUpdateRocket);
    {
        auto execution = write.run();
        execution.bind(1, rocket.type).bind(2, Poco::Int64{rocket.speed}).bind(3, rocket.mission);
        execution.bind(4, statusCode(rocket.status));
        if (rocket.reason) execution.bind(5, *rocket.reason);
        else execution.bindNull(5);
        execution.bind(6, rocket.launchedAt).bind(7, rocket.updatedAt).bind(8, Poco::Int64{rocket.lastMessageNumber});
        execution.bind(9, rocket.channel);
        if (expectedVersion != 0) execution.bind(10, Poco::Int64{expectedVersion});
        execution.step();
    }
    return write.changes() == 1;
}

RocketPage list(Connection& connection, const RocketQuery& query, StatusCounts& statuses) {
    Poco::Int64 status = query.status ? statusCode(*query.status) : 0;
    auto bindFilters = [&](Poco::Data::Statement& statement) {
        if (query.status) statement, use(status);
        if (query.type) statement, useRef(*query.type);
        if (query.mission) statement, useRef(*query.mission);
    };
    const char* direction = query.descending ? " DESC" : " ASC";
    const char* column = columnOf(query.sort);
    std::string order = std::string(" ORDER BY ") + column + direction;
    if (query.sort != SortField::Channel) order += ", channel ASC";

    Poco::Data::Session& session = connection.session();
    RocketPage page;
    Poco::Int64 total = 0;
    // One read transaction: the total and the page come from the same snapshot. A
    // failure leaves it open, and the reader pool closes the connection.
    session << "BEGIN", now;
    const MatchCount count = countMatches(session, query, bindFilters, statuses);
    total = count.matches;

    // Nothing to read past the last match. Along the sort where that pays, descending
    // type, mission and status run by run; what is left of the page (all of it
    // otherwise) with one statement, below the last value walked.
    std::size_t skip = query.offset;
    std::optional<std::string> below;
    bool done = static_cast<std::size_t>(total) <= query.offset;
    const bool onSort = !done && alongTheSort(session, query, total, statuses);
    if (onSort && DescendingRuns::suits(query)) {
        done = DescendingRuns::of(query.sort).walk(connection, query, skip, page.rockets, below);
    }
    if (!done) {
        std::string belowText = below.value_or(std::string());
        Poco::Int64 belowNumber = below && query.sort == SortField::Status ? std::stoll(*below) : 0;
        Poco::Int64 limit = clampToInt64(query.limit - page.rockets.size());
        Poco::Int64 offset = clampToInt64(skip);
        RocketRows rows;
        Poco::Data::Statement select(session);
        // Along the sort no filter's index may be used; otherwise the narrowest one.
        select << kColumns + whereClause(query, onSort ? "" : readThrough(session, query, count, statuses)) +
                      (below ? std::string(" AND ") + column + " < ?" : std::string()) + order + " LIMIT ? OFFSET ?";
        bindFilters(select);
        if (below && query.sort == SortField::Status) select, use(belowNumber);
        else if (below) select, useRef(belowText);
        select, use(limit), use(offset);
        rows.into(select);
        select.execute();
        std::vector<Rocket> rest = rows.rockets();
        page.rockets.insert(page.rockets.end(), std::make_move_iterator(rest.begin()),
                            std::make_move_iterator(rest.end()));
    }
    session << "COMMIT", now;
    page.total = static_cast<std::size_t>(total);
    return page;
}

std::vector<std::pair<std::string, std::int64_t>> versions(Connection& connection) {
    std::vector<std::string> channels;
    std::vector<Poco::Int64> numbers;
    connection.session() << "SELECT channel, lastMessageNumber FROM rockets", into(channels), into(numbers), now;
    std::vector<std::pair<std::string, std::int64_t>> result;
    result.reserve(channels.size());
    for (std::size_t i = 0; i < channels.size(); ++i) result.emplace_back(channels[i], numbers[i]);
    return result;
}

}  // namespace rockets::sqlite::RocketTable
