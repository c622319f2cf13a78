// Every api test also checks that no log line it caused failed to format its values:
// Poco prints "[ERRFMT]" where a format does not match its argument's type (%Ld with
// long long, say), and such a line is a lost signal.
#include "LogCapture.h"

#include <gtest/gtest.h>

#include <memory>

namespace rockets::test {

namespace {

class UnformattedLogGuard final : public ::testing::Environment {
public:
    void SetUp() override { capture_ = std::make_unique<LogCapture>(); }
    void TearDown() override {
        for (const std::string& text : capture_->texts()) {
            EXPECT_EQ(text.find("[ERRFMT]"), std::string::npos) << "a log line did not format: " << text;
        }
        capture_.reset();
    }

private:
    std::unique_ptr<LogCapture> capture_;
};

[[maybe_unused]] ::testing::Environment* const kGuard = ::testing::AddGlobalTestEnvironment(new UnformattedLogGuard);

}  // namespace

}  // namespace rockets::test
