#include "StoreConformance.h"

namespace rockets::test {

INSTANTIATE_TEST_SUITE_P(Redis, StoreConformance, ::testing::Values("redis"));
INSTANTIATE_TEST_SUITE_P(Redis, PersistenceConformance, ::testing::Values("redis"));

}  // namespace rockets::test
