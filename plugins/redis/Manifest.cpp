// The plugin's export: its StoreBackend, found by rockets::PluginLoader through the
// manifest named after the base class.
#include "RedisBackend.h"

#include <Poco/ClassLibrary.h>

POCO_BEGIN_NAMED_MANIFEST(StoreBackend, rockets::StoreBackend)
POCO_EXPORT_CLASS(rockets::redis::RedisBackend)
POCO_END_MANIFEST
