// The plugin's export: its StoreBackend, found by rockets::PluginLoader through the
// manifest named after the base class.
#include "SqliteBackend.h"

#include <Poco/ClassLibrary.h>

POCO_BEGIN_NAMED_MANIFEST(StoreBackend, rockets::StoreBackend)
POCO_EXPORT_CLASS(rockets::sqlite::SqliteBackend)
POCO_END_MANIFEST
