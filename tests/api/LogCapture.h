#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Logger.h>
#include <Poco/Message.h>
#include <Poco/SplitterChannel.h>

#include <mutex>
#include <string>
#include <vector>

namespace rockets::test {

/// Collects the text of every message logged to it. Thread-safe.
class CapturingChannel final : public Poco::Channel {
public:
    void log(const Poco::Message& message) override {
        std::lock_guard lock(mutex_);
        texts_.push_back(message.getText());
    }
    std::vector<std::string> texts() const {
        std::lock_guard lock(mutex_);
        return texts_;
    }

private:
    mutable std::mutex mutex_;
    std::vector<std::string> texts_;
};

/// While it lives, every message of logger `name` (and of loggers created below it
/// afterwards) also goes to a CapturingChannel; the logger's own channel still gets it.
class LogCapture {
public:
    explicit LogCapture(const std::string& name = "")
        : logger_(name.empty() ? Poco::Logger::root() : Poco::Logger::get(name)),
          previous_(logger_.getChannel()),
          capture_(new CapturingChannel) {
        Poco::AutoPtr<Poco::SplitterChannel> both(new Poco::SplitterChannel);
        if (previous_) both->addChannel(previous_);
        both->addChannel(capture_);
        logger_.setChannel(both);
    }
    ~LogCapture() { logger_.setChannel(previous_); }
    LogCapture(const LogCapture&) = delete;
    LogCapture& operator=(const LogCapture&) = delete;

    std::vector<std::string> texts() const { return capture_->texts(); }

    /// How many captured messages contain `part`.
    std::size_t count(const std::string& part) const {
        std::size_t n = 0;
        for (const std::string& text : texts()) n += text.find(part) != std::string::npos;
        return n;
    }

private:
    Poco::Logger& logger_;
    Poco::Channel::Ptr previous_;
    Poco::AutoPtr<CapturingChannel> capture_;
};

}  // namespace rockets::test
