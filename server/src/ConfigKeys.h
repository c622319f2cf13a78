#pragma once

#include <Poco/Util/AbstractConfiguration.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rockets::server {

/// The one list of `rockets.*` configuration keys the server and its plugins read:
/// the server's own (Settings), the plugins' (rockets.sqlite.*, rockets.redis.*) and
/// rockets.daemon.*. A plugin that reads a new key adds it here; a key that is not
/// listed is a start-up error, so a misspelling never goes unnoticed.
const std::vector<std::string_view>& knownConfigKeys();

/// The first `rockets.*` key of `config` that is not known, with the known key
/// nearest to it; nullopt when every key is known.
struct UnknownKey {
    std::string key;
    std::string nearest;
};
std::optional<UnknownKey> findUnknownKey(const Poco::Util::AbstractConfiguration& config);

/// Levenshtein distance (insertions, deletions, substitutions of one byte each).
std::size_t editDistance(std::string_view a, std::string_view b);

}  // namespace rockets::server
