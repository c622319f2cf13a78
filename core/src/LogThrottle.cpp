#include "rockets/LogThrottle.h"

namespace rockets {

LogThrottle::LogThrottle(Poco::Logger& logger, std::chrono::seconds interval) : logger_(logger), interval_(interval) {}

void LogThrottle::report(Slot& slot, Clock::time_point now) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now - slot.windowStart).count();
    logger_.log(Poco::Message(logger_.name(),
                              slot.lastText + " (repeated " + std::to_string(slot.suppressed) + " times in " +
                                  std::to_string(seconds) + " s)",
                              slot.priority));
    slot.suppressed = 0;
}

bool LogThrottle::log(Poco::Message::Priority priority, const std::string& key, const std::string& text) {
    if (!logger_.is(priority)) return false;
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    auto [it, fresh] = slots_.try_emplace(key);
    Slot& slot = it->second;
    if (!fresh && now - slot.windowStart < interval_) {
        ++slot.suppressed;
        slot.priority = priority;
        slot.lastText = text;
        return false;
    }
    if (slot.suppressed > 0) report(slot, now);
    slot.windowStart = now;
    logger_.log(Poco::Message(logger_.name(), text, priority));
    return true;
}

void LogThrottle::flush() {
    const auto now = Clock::now();
    std::lock_guard lock(mutex_);
    for (auto it = slots_.begin(); it != slots_.end();) {
        Slot& slot = it->second;
        if (now - slot.windowStart < interval_) {
            ++it;
            continue;
        }
        if (slot.suppressed > 0) report(slot, now);
        it = slots_.erase(it);  // a quiet key is forgotten: the map stays bounded by live keys
    }
}

}  // namespace rockets
