#include "InstallLayout.h"

#include <gtest/gtest.h>

namespace rockets::test {

using server::InstallLayout;

TEST(InstallLayout, ConfigurationOfAPrefixIsInItsEtc) {
    const InstallLayout layout("..", "etc");
    EXPECT_EQ(layout.configFile("/usr/local/bin"), "/usr/local/etc/rockets/rockets.properties");
    EXPECT_EQ(layout.configFile("/opt/rockets/bin/"), "/opt/rockets/etc/rockets/rockets.properties");
}

TEST(InstallLayout, PrefixUsrKeepsItsConfigurationInSlashEtc) {
    const InstallLayout layout("..", "etc");
    EXPECT_EQ(layout.configFile("/usr/bin"), "/etc/rockets/rockets.properties");
    EXPECT_EQ(layout.configFile("/usr/bin/"), "/etc/rockets/rockets.properties");
    EXPECT_EQ(layout.configFile("/usr/local/bin/../../bin"), "/etc/rockets/rockets.properties");
}

TEST(InstallLayout, AnAbsoluteSysconfdirIsUsedAsItIs) {
    const InstallLayout layout("..", "/srv/config");
    EXPECT_EQ(layout.configFile("/usr/local/bin"), "/srv/config/rockets/rockets.properties");
}

TEST(InstallLayout, ANestedBindirLeadsBackToItsPrefix) {
    const InstallLayout layout("../..", "etc");
    EXPECT_EQ(layout.configFile("/opt/x/libexec/bin"), "/opt/x/etc/rockets/rockets.properties");
    EXPECT_EQ(layout.configFile("/usr/libexec/bin"), "/etc/rockets/rockets.properties");
}

}  // namespace rockets::test
