// The real `casevaultd init` killed with SIGKILL at a random moment (issue
// 5): afterwards either `casevaultd serve` starts, or it refuses and `init`
// run again succeeds and then `serve` starts. CASEVAULT_CRASH_INIT_ROUNDS
// sets the rounds (default 4), CASEVAULT_CRASH_INIT_SEED the seed;
// tests/server/deployment_crash_test.cc runs many more, with cheap hashing.
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>

#include "child_process.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace casevault::testing {
namespace {

TEST(CrashInitTest, AKilledInitEitherServesOrCanBeRunAgain) {
  const char* env = std::getenv("CASEVAULT_CRASH_INIT_ROUNDS");
  const int rounds = env != nullptr ? std::atoi(env) : 4;
  const char* seed_env = std::getenv("CASEVAULT_CRASH_INIT_SEED");
  const uint64_t seed = seed_env != nullptr && *seed_env != '\0'
                            ? std::strtoull(seed_env, nullptr, 10)
                            : std::random_device{}();
  SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun with CASEVAULT_CRASH_INIT_SEED=" +
               std::to_string(seed) + ")");
  std::mt19937_64 rng(seed);
  auto init = [](const std::string& data, const std::string& log) {
    return SpawnProcess({BinaryPath("casevaultd"), "init", "--dev", "--data", data}, log);
  };

  TempDir timing;
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_EQ(init(timing.path() + "/data", timing.path() + "/log").Wait(120),
            0);
  const auto full = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - t0);

  int served_directly = 0, initialised_again = 0;
  for (int round = 0; round < rounds && !HasFailure(); ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TempDir dir;
    const std::string data = dir.path() + "/data", log = dir.path() + "/log";
    ChildProcess process = init(data, log);
    // Up to a quarter past init's own time, so that some rounds kill an
    // init that has finished (and `serve` must start on what it left).
    const auto delay = rng() % (full.count() * 5 / 4 + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    process.Kill();
    ChildServer server(data, log);
    if (server.Start()) {
      ++served_directly;
    } else {
      ASSERT_EQ(init(data, log).Wait(120), 0) << ReadFileBytes(log);
      ASSERT_TRUE(server.Start()) << ReadFileBytes(log);
      ++initialised_again;
    }
    EXPECT_EQ(server.Stop(), 0) << ReadFileBytes(log);
  }
  std::printf("init crash (casevaultd): seed %llu, %d rounds (init takes %lld ms): %d served, "
              "%d initialised again\n",
              static_cast<unsigned long long>(seed), rounds,
              static_cast<long long>(full.count()), served_directly, initialised_again);
}

}  // namespace
}  // namespace casevault::testing
