// The plugin's exports: one EventStore and one RocketStore, found by
// rockets::PluginLoader through the manifests named after their base classes.
#include "SqliteEventStore.h"
#include "SqliteRocketStore.h"

#include <Poco/ClassLibrary.h>

POCO_BEGIN_NAMED_MANIFEST(EventStore, rockets::EventStore)
POCO_EXPORT_CLASS(rockets::sqlite::SqliteEventStore)
POCO_END_MANIFEST

POCO_BEGIN_NAMED_MANIFEST(RocketStore, rockets::RocketStore)
POCO_EXPORT_CLASS(rockets::sqlite::SqliteRocketStore)
POCO_END_MANIFEST
