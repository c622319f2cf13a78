#include "rockets/RocketStore.h"

#include <tuple>

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

TEST(RocketQuery, SortPageOrdersAsFarAsThePageAndReturnsItsPositions) {
    std::vector<Rocket> rockets(7);
    const std::vector<std::int64_t> speeds = {30, 10, 60, 20, 50, 0, 40};
    for (std::size_t i = 0; i < rockets.size(); ++i) {
        rockets[i].channel = "c" + std::to_string(i);
        rockets[i].speed = speeds[i];
    }
    auto pointers = [&] {
        std::vector<const Rocket*> p;
        for (const Rocket& r : rockets) p.push_back(&r);
        return p;
    };
    RocketQuery q = sortedBy(SortField::Speed);
    q.descending = true;
    q.offset = 2;
    q.limit = 3;
    auto matches = pointers();
    auto [from, to] = sortPage(matches, q);
    ASSERT_EQ(from, 2u);
    ASSERT_EQ(to, 5u);
    std::vector<std::int64_t> page;
    for (std::size_t i = from; i < to; ++i) page.push_back(matches[i]->speed);
    EXPECT_EQ(page, (std::vector<std::int64_t>{40, 30, 20}));

    q.offset = 5;
    q.limit = 10;  // past the end: only what is there
    matches = pointers();
    std::tie(from, to) = sortPage(matches, q);
    EXPECT_EQ(from, 5u);
    EXPECT_EQ(to, 7u);
    EXPECT_EQ(matches[5]->speed, 10);
    EXPECT_EQ(matches[6]->speed, 0);

    q.offset = 9;
    matches = pointers();
    std::tie(from, to) = sortPage(matches, q);
    EXPECT_EQ(from, to);
}

}  // namespace
}  // namespace rockets
