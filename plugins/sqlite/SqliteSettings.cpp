#include "SqliteSettings.h"

#include <Poco/Exception.h>
#include <Poco/String.h>

namespace rockets::sqlite {

SqliteSettings SqliteSettings::fromConfig(const Poco::Util::AbstractConfiguration& config) {
    SqliteSettings settings;
    settings.path = config.getString("rockets.sqlite.path", settings.path);
    if (settings.path.empty()) throw Poco::InvalidArgumentException("rockets.sqlite.path must not be empty");

    const std::string synchronous = Poco::toUpper(config.getString("rockets.sqlite.synchronous", settings.synchronous));
    if (synchronous != "FULL" && synchronous != "NORMAL") {
        throw Poco::InvalidArgumentException("rockets.sqlite.synchronous must be FULL or NORMAL, not \"" +
                                             config.getString("rockets.sqlite.synchronous") + "\"");
    }
    settings.synchronous = synchronous;

    const int busyMs = config.getInt("rockets.sqlite.busyTimeoutMs", static_cast<int>(settings.busyTimeout.count()));
    if (busyMs < 0) throw Poco::InvalidArgumentException("rockets.sqlite.busyTimeoutMs must be >= 0");
    settings.busyTimeout = std::chrono::milliseconds(busyMs);
    return settings;
}

}  // namespace rockets::sqlite
