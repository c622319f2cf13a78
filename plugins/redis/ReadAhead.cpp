#include "ReadAhead.h"

#include <algorithm>

namespace rockets::redis {

void ReadAhead::put(const std::string& channel, Page page) {
    std::lock_guard lock(mutex_);
    if (pages_.size() >= kMaxPages && !pages_.contains(channel)) pages_.clear();
    pages_.insert_or_assign(channel, std::move(page));
}

std::optional<std::vector<Message>> ReadAhead::take(const EventRange& range) {
    Page page;
    {
        std::lock_guard lock(mutex_);
        if (pages_.empty()) return std::nullopt;
        auto found = pages_.find(range.channel);
        if (found == pages_.end()) return std::nullopt;
        page = std::move(found->second);
        pages_.erase(found);
    }
    if (page.fromNumber != range.fromNumber) return std::nullopt;
    if (!page.complete && page.messages.size() < range.max) return std::nullopt;  // more may follow
    if (page.messages.size() > range.max) page.messages.resize(range.max);
    return std::move(page.messages);
}

}  // namespace rockets::redis
