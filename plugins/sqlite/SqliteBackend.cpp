#include "SqliteBackend.h"

#include <Poco/Exception.h>

namespace rockets::sqlite {

void SqliteBackend::open(const Poco::Util::AbstractConfiguration& config) {
    settings_ = SqliteSettings::fromConfig(config);
    events_.open(config);
    rockets_.open(config);
}

StoreHealth SqliteBackend::health() {
    try {
        events_.read("", 1, 1);
        rockets_.get("");
        return {};
    } catch (const Poco::Exception& e) {
        return {false, e.displayText()};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

std::string SqliteBackend::describe() const {
    return "sqlite " + settings_.path + ", synchronous=" + settings_.synchronous;
}

}  // namespace rockets::sqlite
