#pragma once

#include "Backends.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace rockets::test {

/// The backend conformance suite (DESIGN §6): every plugin passes the same tests.
/// Instantiate it per backend with
/// `INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance, ::testing::Values("sqlite"))`.
class StoreConformance : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override { backend_ = std::make_unique<BackendUnderTest>(GetParam()); }
    void TearDown() override { backend_.reset(); }

    EventStore& events() { return backend_->events(); }
    RocketStore& rockets() { return backend_->rockets(); }
    void reopen() { backend_->reopen(); }

    std::unique_ptr<BackendUnderTest> backend_;
};

/// Close-and-reopen checks, for backends whose data outlives the process.
class PersistenceConformance : public StoreConformance {};

}  // namespace rockets::test
