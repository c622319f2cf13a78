#include "ReadAhead.h"

namespace rockets::redis {

ReadAhead::Entry& ReadAhead::entry(const std::string& channel) {
    if (entries_.size() >= kMaxChannels && !entries_.contains(channel)) {
        entries_.clear();
        ++epoch_;
    }
    return entries_[channel];
}

ReadAhead::Mark ReadAhead::mark(const std::string& channel) {
    std::lock_guard lock(mutex_);
    return {epoch_, entry(channel).appends};
}

void ReadAhead::appended(const std::string& channel) {
    std::lock_guard lock(mutex_);
    Entry& e = entry(channel);
    ++e.appends;
    e.page.reset();
}

void ReadAhead::put(const std::string& channel, Page page, Mark mark) {
    std::lock_guard lock(mutex_);
    if (mark.epoch != epoch_) return;
    Entry& e = entry(channel);
    if (e.appends != mark.appends) return;  // an append was answered since the read was sent
    e.page = std::move(page);
}

std::optional<std::vector<Message>> ReadAhead::take(const EventRange& range) {
    Page page;
    {
        std::lock_guard lock(mutex_);
        auto found = entries_.find(range.channel);
        if (found == entries_.end() || !found->second.page) return std::nullopt;
        page = std::move(*found->second.page);
        found->second.page.reset();
    }
    if (page.fromNumber != range.fromNumber) return std::nullopt;
    if (!page.complete && page.messages.size() < range.max) return std::nullopt;  // more may follow
    if (page.messages.size() > range.max) page.messages.resize(range.max);
    return std::move(page.messages);
}

}  // namespace rockets::redis
