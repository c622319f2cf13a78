#include "ConnectionGeneration.h"

#include <Poco/Path.h>

namespace rockets::sqlite {

std::shared_ptr<ConnectionGeneration> ConnectionGeneration::forPath(const std::string& path) {
    static std::mutex registryMutex;
    static std::map<std::string, std::weak_ptr<ConnectionGeneration>> registry;
    std::lock_guard lock(registryMutex);
    auto& entry = registry[Poco::Path(path).absolute().toString()];
    auto shared = entry.lock();
    if (!shared) {
        shared = std::make_shared<ConnectionGeneration>();
        entry = shared;
    }
    return shared;
}

void ConnectionGeneration::advance() {
    // Listeners run under listenersMutex_, so unsubscribe() waits for a running one.
    std::lock_guard lock(listenersMutex_);
    generation_.fetch_add(1, std::memory_order_acq_rel);
    for (auto& [id, closeIdle] : listeners_) closeIdle();
}

std::uint64_t ConnectionGeneration::subscribe(std::function<void()> closeIdle) {
    std::lock_guard lock(listenersMutex_);
    const std::uint64_t id = nextListener_++;
    listeners_.emplace(id, std::move(closeIdle));
    return id;
}

void ConnectionGeneration::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(listenersMutex_);
    listeners_.erase(id);
}

}  // namespace rockets::sqlite
