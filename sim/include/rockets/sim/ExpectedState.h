#pragma once

#include "rockets/Message.h"
#include "rockets/Rocket.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace rockets::sim {

/// What a correct server holds after receiving `sends` in any order: for every
/// channel, the core fold (rockets::apply) over its messages 1, 2, ... up to the
/// first gap, exactly as the ordering consumer applies them.
class ExpectedState {
public:
    /// For each key (channel, number) the first send counts, like the server keeps
    /// the first stored message; later sends of the key are duplicates or conflicts.
    static ExpectedState fromSends(const std::vector<Message>& sends);

    /// The rockets the API should show (launched ones), by channel.
    const std::map<std::string, Rocket>& rockets() const { return rockets_; }

    /// Distinct (channel, number) keys among the sends.
    std::size_t distinctMessages() const { return distinct_; }

    /// Keys sent again with a different type or payload (the server answers
    /// "conflict"). Under concurrency which one is first is not decided by the sim,
    /// so a stream with conflicts cannot be verified reliably; generated streams
    /// have none.
    std::size_t conflicts() const { return conflicts_; }

private:
    std::map<std::string, Rocket> rockets_;
    std::size_t distinct_ = 0;
    std::size_t conflicts_ = 0;
};

}  // namespace rockets::sim
