#include "StoreConformance.h"

namespace rockets::test {

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values("sqlite"));
INSTANTIATE_TEST_SUITE_P(Sqlite, PersistenceConformance, ::testing::Values("sqlite"));

}  // namespace rockets::test
