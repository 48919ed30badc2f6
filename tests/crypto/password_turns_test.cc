// Password hashes take turns (PasswordHashConcurrency): at most `parallel`
// at once, the rest wait a bounded time in a bounded queue, and past
// either they are refused without hashing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "crypto/password_hasher.h"
#include "gtest/gtest.h"
#include "support/password_turns.h"
#include "support/status_matchers.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::DuringAHeldTurn;
using ::casevault::testing::Eventually;
using ::casevault::testing::StatusIs;
using ::casevault::testing::Turns;
using Clock = std::chrono::steady_clock;

constexpr PasswordHashLimits kSlow = ::casevault::testing::kSlowHash;
constexpr PasswordHashLimits kFast{1, 8192};

TEST(PasswordTurnsTest, NoMoreThanParallelHashesRunAtOnce) {
  const PasswordHasher hasher(kSlow, Turns(2, 64));
  std::atomic<bool> watching{false}, done{false};
  int most_running = 0, most_waiting = 0;
  std::thread watcher([&] {
    watching = true;
    while (!done) {
      most_running = std::max(most_running, hasher.running());
      most_waiting = std::max(most_waiting, hasher.waiting());
      std::this_thread::yield();
    }
  });
  ASSERT_TRUE(Eventually([&] { return watching.load(); }));
  // Twelve slow hashes from six callers over two turns: some hundreds of
  // milliseconds with two running and others waiting.
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) {
    callers.emplace_back([&] {
      for (int j = 0; j < 2; ++j) EXPECT_OK(hasher.Hash("pw").status());
    });
  }
  for (auto& t : callers) t.join();
  done = true;
  watcher.join();
  EXPECT_LE(most_running, 2);
  EXPECT_GE(most_running, 1);
  EXPECT_GE(most_waiting, 1);  // six callers, two turns: some waited
  EXPECT_EQ(hasher.running(), 0);
  EXPECT_EQ(hasher.waiting(), 0);
}

TEST(PasswordTurnsTest, RefusedAtOnceWhenNoOneMayWait) {
  const PasswordHasher hasher(kSlow, Turns(1, 0));
  ASSERT_OK_AND_ASSIGN(const std::string hash,
                       PasswordHasher(kFast).Hash("pw"));

  PasswordCheck check = PasswordCheck::kMismatch;
  ASSERT_TRUE(
      DuringAHeldTurn(hasher, [&] { check = hasher.Verify(hash, "pw"); }));
  EXPECT_EQ(check, PasswordCheck::kBusy);

  absl::StatusOr<std::string> made;
  ASSERT_TRUE(DuringAHeldTurn(hasher, [&] { made = hasher.Hash("pw"); }));
  EXPECT_THAT(made, StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(made.status().message(), kPasswordHasherBusyMessage);

  bool spent = true;
  ASSERT_TRUE(
      DuringAHeldTurn(hasher, [&] { spent = hasher.VerifyDummy("pw"); }));
  EXPECT_FALSE(spent);

  // Once the turn is free again, hashing works as before (a match; the
  // hash was made with other limits).
  EXPECT_EQ(hasher.Verify(hash, "pw"), PasswordCheck::kMatchNeedsRehash);
  EXPECT_TRUE(hasher.VerifyDummy("pw"));
}

TEST(PasswordTurnsTest, AWaitIsBoundedByMaxWait) {
  const PasswordHasher hasher(kSlow,
                              Turns(1, 4, std::chrono::milliseconds(2)));
  ASSERT_OK_AND_ASSIGN(const std::string hash,
                       PasswordHasher(kFast).Hash("pw"));
  PasswordCheck check = PasswordCheck::kMatch;
  Clock::duration took{};
  ASSERT_TRUE(DuringAHeldTurn(hasher, [&] {
    const auto start = Clock::now();
    check = hasher.Verify(hash, "pw");
    took = Clock::now() - start;
  }));
  EXPECT_EQ(check, PasswordCheck::kBusy);
  EXPECT_GE(took, std::chrono::milliseconds(2));
  EXPECT_EQ(hasher.waiting(), 0);
}

TEST(PasswordTurnsTest, AWaitingHashRunsWhenTheTurnIsFree) {
  const PasswordHasher hasher(kSlow, Turns(1, 4));
  ASSERT_OK_AND_ASSIGN(const std::string hash,
                       PasswordHasher(kFast).Hash("pw"));
  bool waited = false;
  for (int attempt = 0; attempt < 20 && !waited; ++attempt) {
    std::atomic<bool> held_done{false};
    std::thread holder([&] {
      (void)hasher.Hash("held");
      held_done = true;
    });
    Eventually([&] { return hasher.running() == 1 || held_done; });
    PasswordCheck check = PasswordCheck::kBusy;
    std::thread waiter([&] { check = hasher.Verify(hash, "pw"); });
    // It queued behind the held turn, unless that hash ended first.
    waited = Eventually([&] { return hasher.waiting() == 1 || held_done; }) &&
             !held_done;
    holder.join();
    waiter.join();
    EXPECT_EQ(check, PasswordCheck::kMatchNeedsRehash);  // other limits
  }
  EXPECT_TRUE(waited);
}

TEST(PasswordTurnsTest, HalfTheCoresByDefault) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  EXPECT_EQ(PasswordHashConcurrency::ForThisMachine().parallel,
            std::max(1, cores / 2));
}

}  // namespace
}  // namespace casevault::crypto
