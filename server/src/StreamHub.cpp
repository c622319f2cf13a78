#include "StreamHub.h"

#include "rockets/Codec.h"
#include "rockets/ThreadName.h"

#include <Poco/Logger.h>
#include <Poco/Random.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <poll.h>
#include <string_view>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>
#include <unordered_set>

namespace rockets::server {

namespace {

/// A stream's bytes not yet taken by its socket beyond this count as "behind".
constexpr std::size_t kMaxUnsentBytes = 1 << 20;

std::string randomEpoch() {
    Poco::Random random;
    random.seed();
    char text[9];
    std::snprintf(text, sizeof text, "%08x", random.next());
    return text;
}

/// Parses "<epoch>-<sequence>".
bool parseEventId(const std::string& id, std::string& epoch, std::uint64_t& sequence) {
    const auto dash = id.find('-');
    if (dash == std::string::npos || dash == 0 || dash + 1 == id.size()) return false;
    sequence = 0;
    for (std::size_t i = dash + 1; i < id.size(); ++i) {
        if (id[i] < '0' || id[i] > '9' || sequence > (UINT64_MAX - 9) / 10) return false;
        sequence = sequence * 10 + static_cast<std::uint64_t>(id[i] - '0');
    }
    epoch = id.substr(0, dash);
    return true;
}

}  // namespace

bool StreamFilter::matches(const Rocket& rocket) const {
    if (!rocket.visible()) return false;
    if (status && rocket.status != *status) return false;
    if (type && rocket.type != *type) return false;
    if (mission && rocket.mission != *mission) return false;
    return true;
}

bool StreamFilter::passesEverything() const { return !status && !type && !mission; }

struct StreamHub::Stream {
    Poco::Net::StreamSocket socket;
    int fd = -1;
    StreamFilter filter;
    /// The sequence of the last change taken for this stream (guarded by the hub's
    /// mutex): the writer takes the ring's changes after it at each flush.
    std::uint64_t cursor = 0;
    /// A resync must be sent before the changes taken with it (hub's mutex).
    Resync resync = kNoResync;
    // Writer thread only:
    std::string out;       ///< bytes formatted; out[sent..] not yet taken by the socket
    std::size_t sent = 0;  ///< bytes of `out` already written
    std::size_t unsent() const { return out.size() - sent; }
    std::chrono::steady_clock::time_point lastWrite;
    bool dead = false;
};

StreamHub::StreamHub(Options options) : options_(options), epoch_(randomEpoch()) {
    wakeFd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    writer_ = startNamedThread("stream-hub", [this] { run(); });
}

StreamHub::~StreamHub() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake();
    if (writer_.joinable()) writer_.join();
    if (wakeFd_ >= 0) ::close(wakeFd_);
}

void StreamHub::wake() {
    if (wakePending_.exchange(true)) return;  // the writer has not taken the last one yet
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(wakeFd_, &one, sizeof one);
}

std::string StreamHub::resyncBlock(Resync reason) {
    resyncs_[reason].fetch_add(1, std::memory_order_relaxed);
    return std::string("event: resync\ndata: {\"reason\":\"") + kResyncReasons[reason] + "\"}\n\n";
}

std::array<std::uint64_t, StreamHub::kResyncReasons.size()> StreamHub::resyncsSent() const {
    std::array<std::uint64_t, kResyncReasons.size()> sent{};
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = resyncs_[i].load(std::memory_order_relaxed);
    return sent;
}

bool StreamHub::wantedBy(const Stream& stream, const Change& change) const {
    // Sent when the rocket is in the filter before or after the change, so a client
    // also sees a rocket leave its view.
    return stream.filter.matches(change.rocket) || (change.before && stream.filter.matches(*change.before));
}

void StreamHub::publish(const Rocket& rocket, const std::optional<Rocket>& before) {
    if (!rocket.visible()) return;  // never shown by the API
    auto change = std::make_shared<Change>();
    change->rocket = rocket;
    {
        // Nothing per stream here: the writer takes each stream's share from the ring,
        // so what a change costs its publisher does not grow with the readers.
        std::lock_guard lock(mutex_);
        if (before) {
            change->before = before;
        } else if (auto seen = lastSeen_.find(rocket.channel); seen != lastSeen_.end()) {
            change->before = seen->second;
        }
        if (!before) {
            // Keep just the filtered fields of what a feed without `before` last said.
            Rocket& last = lastSeen_[rocket.channel];
            last.status = rocket.status;
            last.type = rocket.type;
            last.mission = rocket.mission;
        }
        change->sequence = ++sequence_;
        recent_.push_back(std::move(change));
        if (recent_.size() > options_.recentChanges) recent_.pop_front();
    }
    wake();
}

void StreamHub::lost() {
    {
        std::lock_guard lock(mutex_);
        for (auto& stream : streams_) {
            stream->cursor = sequence_;  // what is in the ring may have gaps
            stream->resync = kFeedLost;
        }
        lostAt_ = sequence_;  // and so would a replay to a stream that resumes later
        ++losses_;
        lastSeen_.clear();
    }
    wake();
}

void StreamHub::closeAll() {
    {
        std::lock_guard lock(mutex_);
        closeAll_ = true;
    }
    wake();
}

StreamHub::Position StreamHub::position() {
    std::lock_guard lock(mutex_);
    return {sequence_, losses_};
}

bool StreamHub::reserve() {
    std::size_t current = open_.load();
    do {
        if (current >= options_.maxStreams) return false;
    } while (!open_.compare_exchange_weak(current, current + 1));
    if (options_.onReserve) options_.onReserve();
    return true;
}

bool StreamHub::freeSlots(std::size_t count) { return count > 0 && open_.fetch_sub(count) == count; }

void StreamHub::release() {
    if (freeSlots(1) && options_.onIdle) options_.onIdle();
}

void StreamHub::adopt(Poco::Net::StreamSocket socket, StreamFilter filter, const std::string& lastEventId,
                      std::vector<Rocket> snapshot, std::optional<Position> from) {
    auto stream = std::make_unique<Stream>();
    stream->socket = std::move(socket);
    stream->socket.setBlocking(false);
    stream->fd = stream->socket.impl()->sockfd();
    stream->filter = std::move(filter);
    stream->lastWrite = std::chrono::steady_clock::now();
    stream->out = "retry: 2000\n\n";
    for (const Rocket& rocket : snapshot) {
        if (!stream->filter.matches(rocket)) continue;
        stream->out += "event: rocket\ndata: ";
        appendRocketJson(stream->out, rocket);
        stream->out += "\n\n";
    }
    {
        std::lock_guard lock(mutex_);
        stream->cursor = sequence_;
        if (from) {
            // A ring that has since left `from` behind makes the writer ask for a resync.
            stream->cursor = from->sequence;
            if (from->losses != losses_) stream->resync = kFeedLost;  // lost while the snapshot was read
        }
        if (!lastEventId.empty()) {
            std::string epoch;
            std::uint64_t after = 0;
            if (!parseEventId(lastEventId, epoch, after) || epoch != epoch_) {
                stream->resync = kRestart;
            } else if (after > sequence_ ||
                       (after < sequence_ && (recent_.empty() || recent_.front()->sequence > after + 1))) {
                stream->resync = kTooOld;
            } else if (lostAt_ && after <= *lostAt_) {
                stream->resync = kFeedLost;  // the feed was lost after this id: the ring has gaps
            } else {
                stream->cursor = after;  // the ring has every change after it
            }
        }
        if (!stopping_) streams_.push_back(std::move(stream));
    }
    if (stream) {
        freeSlots(1);  // the hub is being destroyed: the stream is not taken
        return;
    }
    wake();
}

const std::string& StreamHub::textOf(Change& change) {
    if (change.text.empty()) {
        change.text = "id: " + epoch_ + "-" + std::to_string(change.sequence) + "\nevent: rocket\ndata: ";
        appendRocketJson(change.text, change.rocket);
        change.text += "\n\n";
    }
    return change.text;
}

void StreamHub::fill(Stream& stream, const std::vector<std::shared_ptr<Change>>& changes, std::size_t from,
                     const std::vector<bool>& newest) {
    // Of the changes after the stream's cursor, those it wants, and (unless it asked
    // for every change) of several of one rocket only the newest: the rocket's state as
    // it is now (coalescing).
    std::vector<Change*> chosen;
    if (stream.filter.everyChange) {
        for (std::size_t i = from; i < changes.size(); ++i) {
            if (wantedBy(stream, *changes[i])) chosen.push_back(changes[i].get());
        }
    } else if (stream.filter.passesEverything()) {
        // Every published change is visible, so it wants them all: the hub's newest
        // per rocket (computed once per flush) is its newest too.
        for (std::size_t i = from; i < changes.size(); ++i) {
            if (newest[i]) chosen.push_back(changes[i].get());
        }
    } else {
        std::unordered_set<std::string_view> seen;
        for (std::size_t i = changes.size(); i-- > from;) {
            Change& change = *changes[i];
            if (wantedBy(stream, change) && seen.insert(change.rocket.channel).second) chosen.push_back(&change);
        }
        std::reverse(chosen.begin(), chosen.end());
    }
    for (Change* change : chosen) {
        if (stream.unsent() > kMaxUnsentBytes) {
            // The peer does not read: drop what is buffered and have it reload; what
            // follows is newer than the resync, so it is still sent. An event the socket
            // took part of is finished first, or the peer would read a torn event.
            std::string kept;
            if (stream.sent > 0) {
                const auto end = stream.out.find("\n\n", stream.sent - 1);
                if (end != std::string::npos) kept.assign(stream.out, stream.sent, end + 2 - stream.sent);
            }
            stream.out = kept + resyncBlock(kBehind);
            stream.sent = 0;
        }
        stream.out += textOf(*change);
    }
}

void StreamHub::run() {
    Poco::Logger& log = Poco::Logger::get("rockets.http");
    std::vector<pollfd> fds;
    auto lastFlush = std::chrono::steady_clock::now() - options_.flushInterval;
    while (true) {
        // At most one flush per interval: what arrives meanwhile goes out together.
        const auto due = lastFlush + options_.flushInterval;
        if (std::chrono::steady_clock::now() < due) std::this_thread::sleep_until(due);
        lastFlush = std::chrono::steady_clock::now();
        // Take the ring's changes after the oldest cursor, under the lock only briefly;
        // format outside it. changes[i] has sequence `from` + 1 + i.
        std::vector<Stream*> active;
        std::vector<std::pair<Resync, std::size_t>> starts;  ///< resync, first index
        std::vector<std::shared_ptr<Change>> changes;
        bool idle = false;  ///< the last stream closed in this iteration
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
            if (closeAll_) {
                // Safe: no stream pointer is held across iterations.
                idle = freeSlots(streams_.size());
                streams_.clear();
                closeAll_ = false;
            }
            const std::uint64_t first = recent_.empty() ? sequence_ + 1 : recent_.front()->sequence;
            std::uint64_t from = sequence_;
            for (auto& stream : streams_) {
                if (stream->cursor + 1 < first) {
                    // Changes it has not had left the ring: it reloads, then gets the rest.
                    stream->resync = kBehind;
                    stream->cursor = first - 1;
                }
                from = std::min(from, stream->cursor);
            }
            changes.assign(recent_.begin() + static_cast<std::ptrdiff_t>(from + 1 - first), recent_.end());
            for (auto& stream : streams_) {
                active.push_back(stream.get());
                starts.emplace_back(stream->resync, static_cast<std::size_t>(stream->cursor - from));
                stream->cursor = sequence_;
                stream->resync = kNoResync;
            }
        }
        std::vector<bool> newest(changes.size());
        {
            std::unordered_set<std::string_view> seen;
            seen.reserve(changes.size());
            for (std::size_t i = changes.size(); i-- > 0;) newest[i] = seen.insert(changes[i]->rocket.channel).second;
        }
        for (std::size_t i = 0; i < active.size(); ++i) {
            if (starts[i].first != kNoResync) active[i]->out += resyncBlock(starts[i].first);
            // Streams are only removed by this thread, so the pointers stay valid.
            fill(*active[i], changes, starts[i].second, newest);
        }
        const auto now = std::chrono::steady_clock::now();
        for (Stream* stream : active) {
            if (stream->unsent() == 0 && now - stream->lastWrite >= options_.heartbeat) stream->out += ": heartbeat\n\n";
            while (stream->unsent() > 0 && !stream->dead) {
                const ssize_t sent =
                    ::send(stream->fd, stream->out.data() + stream->sent, stream->unsent(), MSG_NOSIGNAL);
                if (sent > 0) {
                    stream->sent += static_cast<std::size_t>(sent);
                    stream->lastWrite = now;
                    if (stream->unsent() == 0) {
                        stream->out.clear();
                        stream->sent = 0;
                    }
                } else if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
                    break;
                } else if (sent < 0 && errno == EINTR) {
                    continue;
                } else {
                    stream->dead = true;
                }
            }
        }
        // Wait for new changes, a socket that can take more, a peer that closed, or the
        // next heartbeat.
        fds.clear();
        fds.push_back({wakeFd_, POLLIN, 0});
        auto nextHeartbeat = now + options_.heartbeat;
        for (Stream* stream : active) {
            if (stream->dead) continue;
            short events = POLLIN;  // a client sends nothing: readable means it closed
            if (stream->unsent() > 0) events |= POLLOUT;
            fds.push_back({stream->fd, events, 0});
            nextHeartbeat = std::min(nextHeartbeat, stream->lastWrite + options_.heartbeat);
        }
        const auto timeout =
            std::max<long long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(nextHeartbeat - now).count() + 1);
        const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::min<long long>(timeout, 60000)));
        if (ready > 0 && (fds[0].revents & POLLIN)) {
            std::uint64_t count;
            [[maybe_unused]] const auto drained = ::read(wakeFd_, &count, sizeof count);
            // Cleared after draining and before the next take: a change queued from now
            // on either is taken by it or writes the eventfd again.
            wakePending_.store(false);
        }
        std::size_t index = 1;
        for (Stream* stream : active) {
            if (stream->dead) continue;
            const pollfd& p = fds[index++];
            if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) {
                stream->dead = true;
            } else if (p.revents & POLLIN) {
                char scratch[512];
                const ssize_t got = ::recv(stream->fd, scratch, sizeof scratch, MSG_DONTWAIT);
                if (got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                    stream->dead = true;
                }
            }
        }
        // Drop closed streams.
        {
            std::lock_guard lock(mutex_);
            for (auto it = streams_.begin(); it != streams_.end();) {
                if ((*it)->dead) {
                    it = streams_.erase(it);
                    idle = freeSlots(1) || idle;
                } else {
                    ++it;
                }
            }
        }
        if (idle && options_.onIdle) options_.onIdle();
    }
    // Stopping: close every stream.
    std::lock_guard lock(mutex_);
    const std::size_t closed = streams_.size();
    streams_.clear();
    open_.fetch_sub(closed);
    if (closed > 0) log.information("closed " + std::to_string(closed) + " change streams");
}

}  // namespace rockets::server
