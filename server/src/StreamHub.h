#pragma once

#include "rockets/Rocket.h"

#include <Poco/Net/StreamSocket.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace rockets::server {

/// The filters of GET /changes (those of GET /rockets); unset means "any".
struct StreamFilter {
    std::optional<RocketStatus> status;
    std::optional<std::string> type;
    std::optional<std::string> mission;
    /// Not a filter but how changes are sent: every change (`every=true`) instead of,
    /// within one flush, the newest per rocket.
    bool everyChange = false;

    /// True when `rocket` is visible and passes every filter.
    bool matches(const Rocket& rocket) const;
    /// True when no filter is set (every visible rocket matches).
    bool passesEverything() const;
};

/// Fans applied changes out to the GET /changes streams (Server-Sent Events).
///
/// publish() is called on the thread that observed the change (a consumer worker or
/// the backend's feed thread): it only appends the change to a bounded ring of recent
/// changes and wakes the writer, whatever the number of streams, so readers can never
/// slow the consumer. Each stream has a cursor into the ring; a stream whose cursor
/// the ring has left behind (its changes were overwritten before the writer took
/// them) is told to resync instead of anything growing.
///
/// One writer thread owns every stream's socket (non-blocking): it takes each
/// stream's changes from the ring, formats them, writes what the socket takes, keeps
/// the rest for later (up to 1 MiB, then a resync), sends heartbeats, and
/// drops streams whose peer closed. Streams therefore never hold an HTTP worker
/// thread. It writes at most once per Options::flushInterval, so each send carries
/// every change of the interval; of several changes of one rocket in an interval a
/// stream gets only the newest, the rocket's state by then (as the consumer already
/// folds the messages of one projection write into one change), unless it asked for
/// every change (StreamFilter::everyChange). Changes further apart arrive one by one.
/// Ids stay increasing on a stream, and a client that applies every event ends with
/// the state GET /rockets serves.
///
/// Event ids are "<epoch>-<sequence>": the epoch changes with every process start, so a
/// Last-Event-ID from another process (or instance) is recognised and answered with
/// `event: resync` instead of a wrong resume.
class StreamHub {
public:
    struct Options {
        std::size_t maxStreams = 100;
        /// The ring of recent changes, from which every stream is filled and
        /// Last-Event-ID resumes are replayed: 4096 per flush interval covers 80,000
        /// changes a second (3× the memory backend's peak in bench/RESULTS.md).
        std::size_t recentChanges = 4096;
        std::chrono::milliseconds heartbeat{15000};
        /// Changes are written at most this often: in a busy run each reader (and the
        /// writer thread) then wakes once per interval instead of once per change. The
        /// first change after a quiet interval goes out at once. 50 ms (20 updates a
        /// second, below what a dashboard shows distinctly): against 10 ms it halved what
        /// 20 streams cost the server and their readers (bench/PROFILE.md, scenario 5).
        std::chrono::milliseconds flushInterval{50};
        /// Called by reserve() once it took a slot, before the handler takes its
        /// position: where changes come from a shared feed, it returns once the feed is
        /// subscribed (SharedFeed::hold).
        std::function<void()> onReserve;
        /// Called when the last slot is freed (a stream closed or a reservation was
        /// released and none is left), outside the hub's lock; not at destruction.
        std::function<void()> onIdle;
    };

    explicit StreamHub(Options options);
    /// Closes every stream and joins the writer thread.
    ~StreamHub();
    StreamHub(const StreamHub&) = delete;
    StreamHub& operator=(const StreamHub&) = delete;

    /// An applied change: `rocket` is the new state; `before` the previous one when the
    /// observer knows it (a shared feed from other instances does not).
    void publish(const Rocket& rocket, const std::optional<Rocket>& before = std::nullopt);

    /// Changes may have been missed (the shared feed was interrupted): every stream is
    /// told to resync, and so is every later resume from an id up to now (the ring
    /// lacks what the feed did not deliver).
    void lost();

    /// Where the ring stands. A stream's handler takes it before it reads the snapshot
    /// and passes it to adopt(), so that changes applied while the snapshot is read are
    /// sent after it (a client applying them ends with the newest state either way).
    struct Position {
        std::uint64_t sequence = 0;
        std::uint64_t losses = 0;  ///< lost() calls so far
    };
    Position position();

    /// Reserves a stream slot; false when maxStreams are open. Pair with adopt() or
    /// release(). Runs Options::onReserve when it took one.
    bool reserve();
    void release();

    /// Takes over `socket`, on which the response head has been sent, as a stream with
    /// `filter`. Events after `lastEventId` are replayed when the ring still has them
    /// and the feed was not lost since; otherwise (or with an id of another epoch) the
    /// stream starts with a resync.
    /// `snapshot` rockets are sent first; without `lastEventId`, the events after `from`
    /// (the position taken before the snapshot was read; none: now) follow, and a feed
    /// lost since `from` asks for a resync. Consumes a slot taken with reserve().
    void adopt(Poco::Net::StreamSocket socket, StreamFilter filter, const std::string& lastEventId,
               std::vector<Rocket> snapshot, std::optional<Position> from = std::nullopt);

    /// Closes every open stream (at shutdown); new ones may still be adopted.
    void closeAll();

    /// Streams open now.
    std::size_t streams() const { return open_.load(); }
    /// Why an `event: resync` is sent; the index into kResyncReasons and resyncsSent().
    enum Resync : std::uint8_t { kRestart, kTooOld, kBehind, kFeedLost, kNoResync };
    /// The reasons as the event's data and the metric's label name them.
    static constexpr std::array<const char*, 4> kResyncReasons = {"restart", "too_old", "behind", "feed_lost"};
    /// How many resyncs were sent, per reason of kResyncReasons (since start).
    std::array<std::uint64_t, kResyncReasons.size()> resyncsSent() const;
    /// This process's epoch (the part of every id before '-').
    const std::string& epoch() const { return epoch_; }

private:
    struct Change {
        std::uint64_t sequence = 0;
        Rocket rocket;
        std::optional<Rocket> before;
        /// The `id:/event:/data:` block, built by the writer thread when first needed
        /// (only it reads or writes this).
        std::string text;
    };
    struct Stream;

    void run();
    void wake();
    /// The `event: resync` block for `reason`, counted.
    std::string resyncBlock(Resync reason);
    /// The SSE block of `change` (cached on it).
    const std::string& textOf(Change& change);
    /// Appends to `stream` its share of changes[from..]: what it wants, one per rocket
    /// (`newest[i]`: no later change of the same rocket in `changes`). Writer thread.
    void fill(Stream& stream, const std::vector<std::shared_ptr<Change>>& changes, std::size_t from,
              const std::vector<bool>& newest);
    bool wantedBy(const Stream& stream, const Change& change) const;
    /// Gives back `count` slots; true when none is left (then Options::onIdle is due,
    /// to be called once the hub's lock is released).
    bool freeSlots(std::size_t count);

    Options options_;
    std::string epoch_;
    std::atomic<std::size_t> open_{0};  ///< reserved or adopted slots
    std::array<std::atomic<std::uint64_t>, kResyncReasons.size()> resyncs_{};  ///< see resyncsSent()

    std::mutex mutex_;  ///< guards everything below
    std::uint64_t sequence_ = 0;
    /// sequence_ at the last lost(): a resume from an id up to it may lack changes.
    std::optional<std::uint64_t> lostAt_;
    std::uint64_t losses_ = 0;  ///< lost() calls so far
    std::deque<std::shared_ptr<Change>> recent_;
    /// Channel → (status, type, mission) last published, to tell when a change from a
    /// feed without `before` takes a rocket out of a stream's filter.
    std::unordered_map<std::string, Rocket> lastSeen_;
    std::vector<std::unique_ptr<Stream>> streams_;
    bool stopping_ = false;
    bool closeAll_ = false;

    int wakeFd_ = -1;  ///< eventfd the writer polls with the sockets
    /// Set by wake() until the writer drains wakeFd_: one write() per flush, not per change.
    std::atomic<bool> wakePending_{false};
    std::thread writer_;
};

}  // namespace rockets::server
