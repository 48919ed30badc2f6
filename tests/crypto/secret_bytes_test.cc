#include "crypto/secret_bytes.h"

#include <atomic>
#include <cstring>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "support/seeded_random.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::SeededRandom;

constexpr uint64_t kSeed = 0x5eed'0005;

std::string Bytes(const SecretBytes& s) {
  return std::string(reinterpret_cast<const char*>(s.ExposeSecret()), s.size());
}

TEST(SecretBytesTest, DefaultIsEmpty) {
  SecretBytes s;
  EXPECT_TRUE(s.empty());
  EXPECT_EQ(s.size(), 0u);
  EXPECT_EQ(s.ExposeSecret(), nullptr);
}

TEST(SecretBytesTest, CopyFromCopiesTheBytes) {
  const std::string bytes("k\0ey", 4);
  SecretBytes s = SecretBytes::CopyFrom(bytes);
  EXPECT_EQ(s.size(), 4u);
  EXPECT_TRUE(Bytes(s) == bytes);
  EXPECT_NE(reinterpret_cast<const void*>(s.ExposeSecret()),
            reinterpret_cast<const void*>(bytes.data()));
  EXPECT_TRUE(SecretBytes::CopyFrom("").empty());
}

TEST(SecretBytesTest, RandomDrawsFromTheSource) {
  SeededRandom a(kSeed), b(kSeed);
  SecretBytes s = SecretBytes::Random(32, a);
  EXPECT_EQ(s.size(), 32u);
  EXPECT_TRUE(Bytes(s) == b.Bytes(32));
  EXPECT_TRUE(SecretBytes::Random(0, a).empty());
}

TEST(SecretBytesTest, MoveLeavesTheSourceEmpty) {
  SeededRandom random(kSeed);
  SecretBytes a = SecretBytes::Random(32, random);
  const std::string expected = Bytes(a);
  const uint8_t* data = a.ExposeSecret();

  SecretBytes b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): documented
  EXPECT_EQ(a.ExposeSecret(), nullptr);
  EXPECT_EQ(b.ExposeSecret(), data);
  EXPECT_TRUE(Bytes(b) == expected);

  SecretBytes c = SecretBytes::Random(16, random);
  c = std::move(b);
  EXPECT_TRUE(b.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(c.size(), 32u);
  EXPECT_TRUE(Bytes(c) == expected);

  SecretBytes& alias = c;
  c = std::move(alias);  // self-move keeps the bytes
  EXPECT_TRUE(Bytes(c) == expected);
}

TEST(SecretBytesTest, CloneIsEqualAndIndependent) {
  SeededRandom random(kSeed);
  SecretBytes a = SecretBytes::Random(32, random);
  SecretBytes b = a.Clone();
  EXPECT_TRUE(a.Equals(b));
  EXPECT_NE(a.ExposeSecret(), b.ExposeSecret());
  b.ExposeSecretMutable()[0] ^= 1;
  EXPECT_FALSE(a.Equals(b));
  EXPECT_TRUE(SecretBytes().Clone().empty());
}

TEST(SecretBytesTest, Equals) {
  EXPECT_TRUE(SecretBytes().Equals(SecretBytes()));
  EXPECT_TRUE(
      SecretBytes::CopyFrom("abc").Equals(SecretBytes::CopyFrom("abc")));
  EXPECT_FALSE(
      SecretBytes::CopyFrom("abc").Equals(SecretBytes::CopyFrom("abd")));
  EXPECT_FALSE(
      SecretBytes::CopyFrom("abc").Equals(SecretBytes::CopyFrom("ab")));
  EXPECT_FALSE(SecretBytes::CopyFrom("abc").Equals(SecretBytes()));
}

}  // namespace
}  // namespace casevault::crypto

namespace casevault::crypto {
namespace {

// Small secrets share pooled slots: a slot is wiped when its secret goes,
// and two live secrets never share memory, also across chunks and threads.
TEST(SecretBytesPoolTest, ASlotIsWipedWhenItsSecretIsDestroyed) {
  const uint8_t* where = nullptr;
  {
    SecretBytes key = SecretBytes::CopyFrom(std::string(32, '\x5a'));
    where = key.ExposeSecret();
  }
  // The pool keeps the memory mapped; what is left there must be zeros.
  for (size_t i = 0; i < 32; ++i) EXPECT_EQ(where[i], 0) << i;
}

TEST(SecretBytesPoolTest, LiveSecretsNeverShareMemory) {
  std::vector<SecretBytes> keys;
  std::set<const uint8_t*> seen;
  for (int i = 0; i < 3000; ++i) {  // more than one chunk of slots
    keys.push_back(SecretBytes::CopyFrom(std::string(32, static_cast<char>(i))));
    EXPECT_TRUE(seen.insert(keys.back().ExposeSecret()).second) << i;
  }
  for (int i = 0; i < 3000; ++i) {
    EXPECT_EQ(keys[i].ExposeSecret()[31], static_cast<uint8_t>(i)) << i;
  }
}

TEST(SecretBytesPoolTest, SizesAroundTheSlotBoundaryKeepTheirBytes) {
  for (size_t size : {1u, 63u, 64u, 65u, 200u}) {
    const std::string bytes(size, '\x33');
    SecretBytes s = SecretBytes::CopyFrom(bytes);
    SecretBytes moved = std::move(s);
    EXPECT_EQ(Bytes(moved), bytes) << size;
    EXPECT_TRUE(moved.Clone().Equals(moved)) << size;
  }
}

TEST(SecretBytesPoolTest, ThreadsTakeAndGiveConcurrently) {
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([t, &wrong] {
      for (int i = 0; i < 2000; ++i) {
        const std::string bytes(32, static_cast<char>(t * 31 + i));
        SecretBytes a = SecretBytes::CopyFrom(bytes);
        SecretBytes b = a.Clone();
        if (Bytes(a) != bytes || !a.Equals(b)) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace casevault::crypto
