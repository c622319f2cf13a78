#include "LogFiles.h"

#include <Poco/AsyncChannel.h>
#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/Logger.h>
#include <Poco/LoggingRegistry.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SimpleFileChannel.h>

#include <set>
#include <vector>

namespace rockets::server {

namespace {

const std::string kDefaultPattern = "%Y-%m-%d %H:%M:%S.%i [%p] %s: %t";

/// The channel that finally writes, through formatting and asynchronous wrappers.
Poco::Channel* innermost(Poco::Channel* channel) {
    while (channel != nullptr) {
        if (auto* formatting = dynamic_cast<Poco::FormattingChannel*>(channel)) {
            channel = formatting->getChannel().get();
        } else if (auto* async = dynamic_cast<Poco::AsyncChannel*>(channel)) {
            channel = async->getChannel().get();
        } else {
            break;
        }
    }
    return channel;
}

bool writesToConsole(Poco::Channel* channel) {
    Poco::Channel* inner = innermost(channel);
    return dynamic_cast<Poco::ConsoleChannel*>(inner) != nullptr ||
           dynamic_cast<Poco::ColorConsoleChannel*>(inner) != nullptr;
}

std::vector<Poco::Logger*> allLoggers() {
    std::vector<std::string> names;
    Poco::Logger::names(names);
    std::vector<Poco::Logger*> loggers = {&Poco::Logger::root()};
    for (const std::string& name : names) {
        if (!name.empty()) loggers.push_back(&Poco::Logger::get(name));
    }
    return loggers;
}

std::string patternOf(Poco::Channel* channel) {
    if (auto* formatting = dynamic_cast<Poco::FormattingChannel*>(channel)) {
        if (auto* pattern = dynamic_cast<Poco::PatternFormatter*>(formatting->getFormatter().get())) {
            return pattern->getProperty(Poco::PatternFormatter::PROP_PATTERN);
        }
    }
    return kDefaultPattern;
}

}  // namespace

bool LogFiles::redirectConsoleTo(const std::string& path) {
    Poco::Channel::Ptr file;
    for (Poco::Logger* logger : allLoggers()) {
        Poco::Channel* channel = logger->getChannel().get();
        if (!writesToConsole(channel)) continue;
        if (!file) {
            Poco::AutoPtr<Poco::FileChannel> target(new Poco::FileChannel(path));
            file = new Poco::FormattingChannel(new Poco::PatternFormatter(patternOf(channel)), target);
            file->open();
        }
        logger->setChannel(file);
    }
    return !file.isNull();
}

bool LogFiles::rootWritesToConsole() { return writesToConsole(Poco::Logger::root().getChannel().get()); }

void LogFiles::reopen(const Poco::Util::AbstractConfiguration& config) {
    std::set<Poco::Channel*> channels;
    for (Poco::Logger* logger : allLoggers()) channels.insert(innermost(logger->getChannel().get()));
    // Channels only reachable through a splitter are registered under their configured name.
    Poco::Util::AbstractConfiguration::Keys names;
    config.keys("logging.channels", names);
    for (const std::string& name : names) {
        try {
            channels.insert(innermost(Poco::LoggingRegistry::defaultRegistry().channelForName(name).get()));
        } catch (const Poco::NotFoundException&) {
            // Configured but not created (unused): nothing to reopen.
        }
    }
    for (Poco::Channel* channel : channels) {
        // Both reopen their path with the next message.
        if (dynamic_cast<Poco::FileChannel*>(channel) || dynamic_cast<Poco::SimpleFileChannel*>(channel)) {
            channel->close();
        }
    }
}

}  // namespace rockets::server
