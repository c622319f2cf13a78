#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace rockets::sqlite {

/// The age of this process's connections to one database file, shared by every
/// SessionFactory of that path. SQLite's unix VFS shares per-file state among all
/// connections of a process (the WAL-index shm mapping and spare descriptors), so
/// a connection opened while the file was read-only keeps every later connection
/// read-only until all of them have closed. A write that meets a read-only file
/// therefore advances the generation: each holder closes its idle connections at
/// once (through the listener it subscribed) and any connection in use of an older
/// generation when it is handed back, so the next writer opens the file afresh.
class ConnectionGeneration {
public:
    /// The generation of `path` (made absolute) for this process.
    static std::shared_ptr<ConnectionGeneration> forPath(const std::string& path);

    /// The current generation; a connection opened now belongs to it.
    std::uint64_t current() const { return generation_.load(std::memory_order_acquire); }

    /// Starts a new generation and runs every listener (on the calling thread).
    /// Call without holding any lock a listener takes.
    void advance();

    /// Runs `closeIdle` on every advance until unsubscribed; it must close the
    /// holder's idle connections or make their owner close them promptly.
    std::uint64_t subscribe(std::function<void()> closeIdle);
    /// Stops the listener; returns once it is not running.
    void unsubscribe(std::uint64_t id);

private:
    std::atomic<std::uint64_t> generation_{0};
    std::mutex listenersMutex_;
    std::map<std::uint64_t, std::function<void()>> listeners_;
    std::uint64_t nextListener_ = 0;
};

/// Subscribes for its lifetime.
class GenerationListener {
public:
    GenerationListener(std::shared_ptr<ConnectionGeneration> generation, std::function<void()> closeIdle)
        : generation_(std::move(generation)), id_(generation_->subscribe(std::move(closeIdle))) {}
    ~GenerationListener() { generation_->unsubscribe(id_); }
    GenerationListener(const GenerationListener&) = delete;
    GenerationListener& operator=(const GenerationListener&) = delete;

private:
    std::shared_ptr<ConnectionGeneration> generation_;
    std::uint64_t id_;
};

}  // namespace rockets::sqlite
