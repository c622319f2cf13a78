#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>

namespace rockets::sqlite {

/// Lets the writer hold this process's readers back for a moment. A WAL can only
/// start over when no reader still reads an older snapshot; with readers that keep
/// coming (the consumer, GET requests) there always is one, and the WAL grows until
/// the disk is full. Before the writer's RESTART checkpoint it closes the gate: the
/// readers inside finish (milliseconds), new ones wait until it opens again.
/// enter() and leave() cost two atomic operations while the gate is open.
class ReadGate {
public:
    /// Waits while the gate is closed, then counts the caller in.
    void enter();
    void leave();

    /// Closes the gate and waits until every reader inside has left.
    void close();
    void open();

private:
    std::atomic<int> inside_{0};
    std::atomic<bool> closed_{false};
    std::mutex mutex_;
    std::condition_variable changed_;
};

/// enter() / leave() for a scope.
class ReadGateEntry {
public:
    explicit ReadGateEntry(ReadGate& gate) : gate_(gate) { gate_.enter(); }
    ~ReadGateEntry() { gate_.leave(); }
    ReadGateEntry(const ReadGateEntry&) = delete;
    ReadGateEntry& operator=(const ReadGateEntry&) = delete;

private:
    ReadGate& gate_;
};

}  // namespace rockets::sqlite
