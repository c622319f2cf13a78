#include "SharedFeed.h"

#include "rockets/ThreadName.h"

#include <Poco/Logger.h>

namespace rockets::server {

SharedFeed::SharedFeed(RocketStore& store, StreamHub& hub, std::chrono::milliseconds linger)
    : store_(store), hub_(hub), linger_(linger) {}

SharedFeed::~SharedFeed() { stop(); }

bool SharedFeed::subscribe() {
    StreamHub& hub = hub_;
    return store_.subscribe({[&hub](const Rocket& rocket) { hub.publish(rocket); }, [&hub] { hub.lost(); }});
}

bool SharedFeed::start() {
    std::lock_guard subscription(subscriptionMutex_);
    if (stopping_ || shared_) return shared_;
    shared_ = subscribe();
    if (!shared_) return false;
    subscribed_ = true;
    {
        // No stream is open yet, and none can resume across a restart (ids carry the
        // process's epoch): the subscription ends at once unless one opens first.
        std::lock_guard lock(mutex_);
        idleSince_ = Clock::now() - linger_;
    }
    thread_ = startNamedThread("feed-linger", [this] { run(); });
    return true;
}

void SharedFeed::hold() {
    std::lock_guard subscription(subscriptionMutex_);
    if (!shared_ || stopping_) return;
    heldForStreams_ = true;
    if (subscribed_) return;
    // Nothing published since the last unsubscription reached the hub, which was told
    // it lost the feed then; the stream about to open takes its position after this.
    if (subscribe()) {
        subscribed_ = true;
        Poco::Logger::get("rockets").information("change feed subscribed again: a change stream opened");
    } else {
        Poco::Logger::get("rockets").error("the rocket store no longer offers its change feed; "
                                           "change streams carry no changes");
    }
}

void SharedFeed::idle() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        idleSince_ = Clock::now();
    }
    wake_.notify_one();
}

void SharedFeed::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    std::lock_guard subscription(subscriptionMutex_);
    if (subscribed_) store_.subscribe({});
    subscribed_ = false;
}

bool SharedFeed::subscribed() const {
    std::lock_guard subscription(subscriptionMutex_);
    return subscribed_;
}

void SharedFeed::run() {
    while (true) {
        {
            std::unique_lock lock(mutex_);
            // Until stopped or a linger has passed since the streams were last all closed.
            while (!stopping_ && !(idleSince_ && Clock::now() >= *idleSince_ + linger_)) {
                if (idleSince_) {
                    wake_.wait_until(lock, *idleSince_ + linger_);
                } else {
                    wake_.wait(lock);
                }
            }
            if (stopping_) return;
            idleSince_.reset();
        }
        std::lock_guard subscription(subscriptionMutex_);
        // A stream reserved before this check keeps the feed (its close calls idle()
        // again); one reserved after it waits in hold() until this is done.
        if (!subscribed_ || hub_.streams() > 0) continue;
        store_.subscribe({});  // returns once the feed's thread delivers nothing more
        subscribed_ = false;
        hub_.lost();
        if (heldForStreams_) {  // not at start, where every process with a feed lets go
            Poco::Logger::get("rockets").information(
                "change feed unsubscribed: no change stream open for %d ms (subscribing again when one opens)",
                static_cast<int>(linger_.count()));
        }
    }
}

}  // namespace rockets::server
