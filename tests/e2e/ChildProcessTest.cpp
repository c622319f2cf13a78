// The test support's child processes: a server or redis-server a test binary started
// must not outlive it, however the binary ends.
#include "ChildProcess.h"
#include "TempDir.h"
#include "WaitUntil.h"

#include <Poco/Exception.h>

#include <gtest/gtest.h>

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

using namespace rockets::test;
using namespace std::chrono_literals;

// A test binary killed at ctest's timeout (SIGKILL) runs no destructor: its children
// must die with it.
TEST(ChildProcess, DiesWithTheProcessThatStartedIt) {
    TempDir dir;
    int pipeFds[2];
    ASSERT_EQ(::pipe(pipeFds), 0);
    const pid_t owner = ::fork();
    ASSERT_GE(owner, 0);
    if (owner == 0) {
        // The owner: starts a child, reports its pid, and waits to be killed.
        ::close(pipeFds[0]);
        ChildProcess child({"/bin/sleep", "300"}, dir.file("sleep.log"));
        const pid_t pid = child.pid();
        if (::write(pipeFds[1], &pid, sizeof pid) != sizeof pid) ::_exit(1);
        for (;;) ::pause();
    }
    ::close(pipeFds[1]);
    pid_t child = -1;
    const ssize_t got = ::read(pipeFds[0], &child, sizeof child);
    ::close(pipeFds[0]);
    ASSERT_EQ(got, static_cast<ssize_t>(sizeof child));
    ASSERT_FALSE(hasEnded(child));

    ::kill(owner, SIGKILL);
    ASSERT_EQ(::waitpid(owner, nullptr, 0), owner);
    const bool gone = waitUntil(10s, [&] { return hasEnded(child); });
    if (!gone) ::kill(child, SIGKILL);  // do not leave it behind when the test fails
    EXPECT_TRUE(gone) << "the child " << child << " outlived the process that started it";
}

TEST(ChildProcess, AProgramThatCannotStartIsReportedWhenStarting) {
    TempDir dir;
    try {
        ChildProcess child({dir.file("no-such-program")}, dir.file("log"));
        FAIL() << "started a program that does not exist";
    } catch (const Poco::SystemException& e) {
        EXPECT_NE(e.message().find("No such file or directory"), std::string::npos) << e.message();
    }
}

TEST(ChildProcess, ReportsTheExitCodeAndTheOutput) {
    TempDir dir;
    ChildProcess child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, dir.file("log"));
    EXPECT_EQ(child.wait(10s), 3);
    EXPECT_EQ(child.log(), "out\nerr\n");
}
