#include "crypto/thread_random.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace casevault::crypto {
namespace {

std::string Draw(RandomSource& random, size_t size) {
  return random.Bytes(size);
}

TEST(ThreadRandomTest, DrawsNeverRepeatAcrossManyRefills) {
  ThreadRandom random;
  std::set<std::string> seen;
  // 24-byte draws (a nonce) through well over one reseed interval.
  const size_t draws =
      ThreadRandom::kReseedRefills * ThreadRandom::kRefillBytes / 24 + 1000;
  for (size_t i = 0; i < draws; ++i) {
    ASSERT_TRUE(seen.insert(Draw(random, 24)).second) << "draw " << i;
  }
}

TEST(ThreadRandomTest, BytesAreEvenlySpread) {
  ThreadRandom random;
  std::array<int, 256> counts{};
  constexpr int kDraws = 65536, kSize = 16;  // 1 MiB, 4096 per value
  for (int i = 0; i < kDraws; ++i) {
    for (unsigned char c : Draw(random, kSize)) ++counts[c];
  }
  for (int v = 0; v < 256; ++v) {  // six standard deviations (~64)
    EXPECT_NEAR(counts[v], kDraws * kSize / 256, 384) << "byte value " << v;
  }
}

TEST(ThreadRandomTest, EveryThreadHasItsOwnStream) {
  ThreadRandom random;
  constexpr int kThreads = 8, kDraws = 2000;
  std::vector<std::vector<std::string>> drawn(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kDraws; ++i) drawn[t].push_back(Draw(random, 16));
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> all;
  for (const auto& d : drawn) all.insert(d.begin(), d.end());
  EXPECT_EQ(all.size(), size_t{kThreads * kDraws});
}

TEST(ThreadRandomTest, AForkedChildDoesNotRepeatItsParent) {
  ThreadRandom random;
  Draw(random, 16);  // this thread now holds a seeded, half-used buffer
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string mine = Draw(random, 32);
    const bool ok = write(pipe_fds[1], mine.data(), mine.size()) ==
                    static_cast<ssize_t>(mine.size());
    _exit(ok ? 0 : 1);
  }
  close(pipe_fds[1]);
  const std::string parent = Draw(random, 32);
  std::string from_child(32, '\0');
  ASSERT_EQ(read(pipe_fds[0], from_child.data(), from_child.size()), 32);
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(from_child, parent);
}

TEST(ThreadRandomTest, LargeAndEmptyDrawsWork) {
  ThreadRandom random;
  random.Fill(nullptr, 0);
  for (size_t size : {ThreadRandom::kLargeDraw, ThreadRandom::kLargeDraw + 1,
                      size_t{4096}}) {
    const std::string a = Draw(random, size), b = Draw(random, size);
    EXPECT_EQ(a.size(), size);
    EXPECT_NE(a, b);
    EXPECT_NE(a, std::string(size, '\0'));
  }
}

}  // namespace
}  // namespace casevault::crypto
