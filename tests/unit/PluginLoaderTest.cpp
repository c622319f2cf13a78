#include "TempDir.h"

#include "rockets/PluginLoader.h"

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

TEST(PluginLoader, LoadsBothPortsFromOnePlugin) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    auto events = loader.createEventStore("memory");
    auto rockets = loader.createRocketStore("memory");
    ASSERT_NE(events, nullptr);
    ASSERT_NE(rockets, nullptr);
    EXPECT_TRUE(events->heads().empty());
}

TEST(PluginLoader, MissingPluginNamesThePathTriedAndThePluginsFound) {
    PluginLoader loader(ROCKETS_PLUGIN_DIR);
    try {
        loader.createEventStore("nosuch");
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
        loader.createRocketStore("memory");
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
    EXPECT_THROW(loader.createEventStore("junk"), Poco::NotFoundException);
}

}  // namespace rockets::test
