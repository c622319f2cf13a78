#include "ReadAhead.h"

namespace rockets::redis {

void ReadAhead::put(std::vector<Page> pages) {
    std::lock_guard lock(mutex_);
    if (pages.empty()) {
        pages_.erase(std::this_thread::get_id());
        return;
    }
    if (pages_.size() >= kMaxThreads) pages_.clear();
    pages_[std::this_thread::get_id()] = std::move(pages);
}

std::vector<ReadAhead::Page> ReadAhead::take() {
    std::vector<Page> pages;
    std::lock_guard lock(mutex_);
    if (pages_.empty()) return pages;
    auto found = pages_.find(std::this_thread::get_id());
    if (found == pages_.end()) return pages;
    pages = std::move(found->second);
    pages_.erase(found);
    return pages;
}

}  // namespace rockets::redis
