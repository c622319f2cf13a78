#include "rockets/RocketStore.h"

#include <gtest/gtest.h>

namespace rockets {
namespace {

RocketQuery sortedBy(SortField field) {
    RocketQuery query;
    query.sort = field;
    return query;
}

TEST(RocketQuery, AFilterOnTheSortFieldFixesIt) {
    RocketQuery byType = sortedBy(SortField::Type);
    byType.type = "Falcon-9";
    EXPECT_TRUE(filterFixesSort(byType));
    RocketQuery byMission = sortedBy(SortField::Mission);
    byMission.mission = "ARTEMIS";
    byMission.descending = true;
    EXPECT_TRUE(filterFixesSort(byMission));
    RocketQuery byStatus = sortedBy(SortField::Status);
    byStatus.status = RocketStatus::Exploded;
    EXPECT_TRUE(filterFixesSort(byStatus));
}

TEST(RocketQuery, FiltersOnOtherFieldsOrNoneDoNot) {
    RocketQuery unfiltered = sortedBy(SortField::Type);
    EXPECT_FALSE(filterFixesSort(unfiltered));
    RocketQuery otherField = sortedBy(SortField::Type);
    otherField.mission = "ARTEMIS";
    otherField.status = RocketStatus::Active;
    EXPECT_FALSE(filterFixesSort(otherField));
    RocketQuery bySpeed = sortedBy(SortField::Speed);
    bySpeed.type = "Falcon-9";
    bySpeed.mission = "ARTEMIS";
    bySpeed.status = RocketStatus::Active;
    EXPECT_FALSE(filterFixesSort(bySpeed));
    RocketQuery byChannel = sortedBy(SortField::Channel);
    byChannel.type = "Falcon-9";
    EXPECT_FALSE(filterFixesSort(byChannel));
}

/// The property the backends rely on: with the sort field fixed, rocketLess orders
/// matches by channel ascending whichever the direction.
TEST(RocketQuery, WithTheSortFieldFixedTheOrderIsByChannelAscending) {
    Rocket a;
    a.channel = "a";
    a.type = "Falcon-9";
    Rocket b = a;
    b.channel = "b";
    for (bool descending : {false, true}) {
        EXPECT_TRUE(rocketLess(a, b, SortField::Type, descending));
        EXPECT_FALSE(rocketLess(b, a, SortField::Type, descending));
    }
}

}  // namespace
}  // namespace rockets
