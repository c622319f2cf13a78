#include "StoreConformance.h"

namespace rockets::test {

INSTANTIATE_TEST_SUITE_P(Memory, StoreConformance, ::testing::Values("memory"));

}  // namespace rockets::test
