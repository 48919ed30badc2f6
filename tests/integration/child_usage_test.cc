// What casevault-bench reads about a child process while it runs
// (testbed/child_process.h): its CPU time and its context switches, thread
// by thread.
#include <chrono>
#include <map>
#include <thread>

#include "gtest/gtest.h"
#include "testbed/child_process.h"

namespace casevault::testing {
namespace {

using testbed::ChildProcess;

int64_t Sum(const std::map<pid_t, int64_t>& by_thread) {
  int64_t sum = 0;
  for (const auto& [tid, n] : by_thread) sum += n;
  return sum;
}

TEST(ChildUsageTest, CountsTheSwitchesOfAChildThatSleepsOften) {
  // Each `sleep` blocks the shell in wait(): at least one voluntary switch.
  ChildProcess child = ChildProcess::Start(
      {"/bin/sh", "-c",
       "i=0; while [ $i -lt 20 ]; do sleep 0.01; i=$((i+1)); done; sleep 5"},
      "/dev/null", "/dev/null");
  ASSERT_TRUE(child.started());
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::map<pid_t, int64_t> by_thread;
  while (std::chrono::steady_clock::now() < deadline) {
    by_thread = child.ContextSwitchesByThread();
    if (Sum(by_thread) >= 20) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(by_thread.size(), 1u);  // the shell has one thread: itself
  EXPECT_EQ(by_thread.begin()->first, child.pid());
  EXPECT_GE(Sum(by_thread), 20);
  EXPECT_GE(child.CpuSeconds(), 0.0);

  child.Kill();
  EXPECT_TRUE(child.ContextSwitchesByThread().empty());  // reaped: unknown
}

TEST(ChildUsageTest, NothingIsKnownOfAChildNeverStarted) {
  ChildProcess none;
  EXPECT_TRUE(none.ContextSwitchesByThread().empty());
  EXPECT_EQ(none.CpuSeconds(), -1);
}

}  // namespace
}  // namespace casevault::testing
