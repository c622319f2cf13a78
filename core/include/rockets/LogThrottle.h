#pragma once

#include "rockets/Export.h"

#include <Poco/Logger.h>

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace rockets {

/// Keeps a repeating warning from flooding the log: a message with a given key is
/// logged at most once per interval; the rest are counted and reported with the next
/// one logged, or by flush() once the interval is over:
/// "<message> (repeated 412 times in 10 s)". Thread-safe.
class ROCKETS_CORE_API LogThrottle {
public:
    using Clock = std::chrono::steady_clock;

    explicit LogThrottle(Poco::Logger& logger, std::chrono::seconds interval = std::chrono::seconds(10));

    /// Logs `text` at `priority` unless a message with `key` was logged less than an
    /// interval ago. Returns whether it was logged.
    bool log(Poco::Message::Priority priority, const std::string& key, const std::string& text);

    /// Reports keys whose interval is over and that had suppressed messages.
    void flush();

private:
    struct Slot {
        Clock::time_point windowStart;
        std::size_t suppressed = 0;
        Poco::Message::Priority priority = Poco::Message::PRIO_WARNING;
        std::string lastText;
    };

    void report(Slot& slot, Clock::time_point now);

    Poco::Logger& logger_;
    std::chrono::seconds interval_;
    std::mutex mutex_;
    std::unordered_map<std::string, Slot> slots_;
};

}  // namespace rockets
