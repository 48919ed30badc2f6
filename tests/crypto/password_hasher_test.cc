#include "crypto/password_hasher.h"

#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::StartsWith;

// libsodium's Argon2id minimums (OPSLIMIT_MIN, MEMLIMIT_MIN = 8 KiB), so
// the suite stays fast; and a second, different set of cheap limits.
constexpr PasswordHashLimits kFast{1, 8192};
constexpr PasswordHashLimits kOtherFast{2, 16384};

// Made with crypto_pwhash_argon2i_str("correct horse", t=3, m=8 KiB).
constexpr char kArgon2iHash[] =
    "$argon2i$v=19$m=8,t=3,p=1$PGyWHyD+rCf+sQ9PJ4Dcwg$"
    "toFbbKX+xzZ44Wd0tLYBK/IK0ktt129NKYcSUmsLzzo";

TEST(PasswordHashLimitsTest, AreLibsodiumsInteractiveAndModerate) {
  EXPECT_EQ(PasswordHashLimits::Interactive().ops_limit, 2u);
  EXPECT_EQ(PasswordHashLimits::Interactive().mem_limit, 64u << 20);
  EXPECT_EQ(PasswordHashLimits::Moderate().ops_limit, 3u);
  EXPECT_EQ(PasswordHashLimits::Moderate().mem_limit, 256u << 20);
}

TEST(PasswordHasherTest, MatchesTheRightPasswordOnly) {
  PasswordHasher hasher(kFast);
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash("correct horse"));
  EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=8,t=1,p=1$"));
  EXPECT_EQ(hasher.Verify(hash, "correct horse"), PasswordCheck::kMatch);
  EXPECT_EQ(hasher.Verify(hash, "correct horsE"), PasswordCheck::kMismatch);
  EXPECT_EQ(hasher.Verify(hash, ""), PasswordCheck::kMismatch);
  EXPECT_EQ(hasher.Verify(hash, std::string("correct horse\0", 14)),
            PasswordCheck::kMismatch);
}

TEST(PasswordHasherTest, SaltsEveryHash) {
  PasswordHasher hasher(kFast);
  ASSERT_OK_AND_ASSIGN(std::string a, hasher.Hash("same"));
  ASSERT_OK_AND_ASSIGN(std::string b, hasher.Hash("same"));
  EXPECT_NE(a, b);
}

TEST(PasswordHasherTest, EmptyAndBinaryPasswordsWork) {
  PasswordHasher hasher(kFast);
  ASSERT_OK_AND_ASSIGN(std::string empty, hasher.Hash(""));
  EXPECT_EQ(hasher.Verify(empty, ""), PasswordCheck::kMatch);
  const std::string binary("a\0b", 3);
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash(binary));
  EXPECT_EQ(hasher.Verify(hash, binary), PasswordCheck::kMatch);
  EXPECT_EQ(hasher.Verify(hash, "a"), PasswordCheck::kMismatch);
}

TEST(PasswordHasherTest, OtherLimitsNeedRehash) {
  ASSERT_OK_AND_ASSIGN(std::string old_hash,
                       PasswordHasher(kFast).Hash("correct horse"));
  PasswordHasher current(kOtherFast);
  EXPECT_EQ(current.Verify(old_hash, "correct horse"),
            PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(current.Verify(old_hash, "wrong"), PasswordCheck::kMismatch);
  ASSERT_OK_AND_ASSIGN(std::string new_hash, current.Hash("correct horse"));
  EXPECT_EQ(current.Verify(new_hash, "correct horse"), PasswordCheck::kMatch);
}

TEST(PasswordHasherTest, AMatchWithOtherLimitsComesWithItsNewHash) {
  ASSERT_OK_AND_ASSIGN(std::string old_hash,
                       PasswordHasher(kFast).Hash("correct horse"));
  PasswordHasher current(kOtherFast);
  std::string rehashed = "left over";
  EXPECT_EQ(current.Verify(old_hash, "correct horse", &rehashed),
            PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(current.Verify(rehashed, "correct horse"), PasswordCheck::kMatch);
  // No new hash for a mismatch or for a hash that is current already.
  std::string none;
  EXPECT_EQ(current.Verify(old_hash, "wrong", &none), PasswordCheck::kMismatch);
  EXPECT_EQ(none, "");
  EXPECT_EQ(current.Verify(rehashed, "correct horse", &none),
            PasswordCheck::kMatch);
  EXPECT_EQ(none, "");
}

TEST(PasswordHasherTest, Argon2iHashMatchesButNeedsRehash) {
  PasswordHasher hasher(kFast);
  EXPECT_EQ(hasher.Verify(kArgon2iHash, "correct horse"),
            PasswordCheck::kMatchNeedsRehash);
  EXPECT_EQ(hasher.Verify(kArgon2iHash, "wrong"), PasswordCheck::kMismatch);
}

TEST(PasswordHasherTest, MalformedStoredHashIsMismatch) {
  PasswordHasher hasher(kFast);
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash("pw"));
  EXPECT_EQ(hasher.Verify("", "pw"), PasswordCheck::kMismatch);
  EXPECT_EQ(hasher.Verify("not a hash", "pw"), PasswordCheck::kMismatch);
  EXPECT_EQ(hasher.Verify(hash.substr(0, hash.size() - 1), "pw"),
            PasswordCheck::kMismatch);
  // An embedded NUL must not let a C-string reader ignore trailing bytes.
  EXPECT_EQ(hasher.Verify(hash + std::string("\0junk", 5), "pw"),
            PasswordCheck::kMismatch);
  EXPECT_EQ(hasher.Verify(std::string(1000, '$'), "pw"),
            PasswordCheck::kMismatch);
}

TEST(PasswordHasherTest, LimitsBelowTheMinimumAreInvalid) {
  EXPECT_THAT(PasswordHasher({0, 8192}).Hash("pw"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PasswordHasher({1, 1024}).Hash("pw"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PasswordHasherTest, VerifyDummyRunsConcurrently) {
  PasswordHasher hasher(kFast);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&hasher] {
      for (int j = 0; j < 3; ++j) EXPECT_TRUE(hasher.VerifyDummy("guess"));
    });
  }
  for (auto& t : threads) t.join();
  // It does not disturb real hashes afterwards.
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash("pw"));
  EXPECT_EQ(hasher.Verify(hash, "pw"), PasswordCheck::kMatch);
}

// The one test at production cost: one hash and one verify.
TEST(PasswordHasherTest, InteractiveLimitsEndToEnd) {
  PasswordHasher hasher(PasswordHashLimits::Interactive());
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash("correct horse"));
  EXPECT_THAT(hash, StartsWith("$argon2id$v=19$m=65536,t=2,p=1$"));
  EXPECT_EQ(hasher.Verify(hash, "correct horse"), PasswordCheck::kMatch);
}

}  // namespace
}  // namespace casevault::crypto
