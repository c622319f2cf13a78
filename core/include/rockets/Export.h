#pragma once

/// Marks the public API of librockets-core; plugins are built with hidden
/// visibility, so every symbol they use from core must be exported here.
#define ROCKETS_CORE_API __attribute__((visibility("default")))
