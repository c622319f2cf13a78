#include "TempDir.h"

#include "rockets/PluginLoader.h"
#include "rockets/Stores.h"

#include <Poco/AutoPtr.h>
#include <Poco/Util/MapConfiguration.h>

#include <Poco/Exception.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace rockets::test {

TEST(PluginLoader, ResolvesNamesToAbsolutePluginPaths) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    EXPECT_EQ(loader.pathFor("memory"), std::string(ROCKETS_PLUGIN_DIR) + "/rockets-store-memory.so");
    const auto names = loader.available();
    EXPECT_NE(std::find(names.begin(), names.end(), "memory"), names.end());
}

TEST(PluginLoader, OneBackendHandsOutBothStoresOfAPlugin) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    auto backend = loader.createBackend("memory");
    ASSERT_NE(backend, nullptr);
    Poco::AutoPtr<Poco::Util::MapConfiguration> config(new Poco::Util::MapConfiguration);
    backend->open(*config);
    EXPECT_TRUE(backend->events().changedSince(0).channels.empty());
    EXPECT_FALSE(backend->rockets().get("c").has_value());
    EXPECT_TRUE(backend->health().ok);
    EXPECT_NE(backend->describe().find("memory"), std::string::npos);
}

TEST(PluginLoader, StoresShareOneBackendWhenBothRolesNameTheSamePlugin) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    Stores same(loader, "memory", "memory");
    ASSERT_EQ(same.members().size(), 1u);
    EXPECT_EQ(same.members().front().role, "events+rockets");
    EXPECT_EQ(&same.events(), &same.members().front().backend->events());
    EXPECT_EQ(&same.rockets(), &same.members().front().backend->rockets());
    // Two backends (as for rockets.store.events=memory, rockets.store.rockets=sqlite).
    Stores mixed(loader.createBackend("memory"), "memory", loader.createBackend("memory"), "other");
    ASSERT_EQ(mixed.members().size(), 2u);
    EXPECT_EQ(mixed.members()[0].role, "events");
    EXPECT_EQ(mixed.members()[1].role, "rockets");
    EXPECT_EQ(&mixed.events(), &mixed.members()[0].backend->events());
    EXPECT_EQ(&mixed.rockets(), &mixed.members()[1].backend->rockets());
}

TEST(PluginLoader, MissingPluginNamesThePathTriedAndThePluginsFound) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    try {
        loader.createBackend("nosuch");
        FAIL() << "expected an exception";
    } catch (const Poco::NotFoundException& e) {
        const std::string text = e.displayText();
        EXPECT_NE(text.find(std::string(ROCKETS_PLUGIN_DIR) + "/rockets-store-nosuch.so"), std::string::npos) << text;
        EXPECT_NE(text.find("memory"), std::string::npos) << text;
    }
}

TEST(PluginLoader, EmptyDirectorySaysNoneFound) {
    TempDir dir;
    PluginLoader loader(dir.path());
    try {
        loader.createBackend("memory");
        FAIL() << "expected an exception";
    } catch (const Poco::NotFoundException& e) {
        EXPECT_NE(e.displayText().find("plugins found: none"), std::string::npos) << e.displayText();
    }
}

TEST(PluginLoader, FileThatIsNotAPluginIsAClearError) {
    TempDir dir;
    {
        std::ofstream(dir.file("rockets-store-junk.so")) << "not an ELF file";
    }
    PluginLoader loader(dir.path());
    EXPECT_THROW(loader.createBackend("junk"), Poco::NotFoundException);
}

}  // namespace rockets::test
