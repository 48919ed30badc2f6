// SessionCache on its own: the bound and LRU eviction, expiry, erasing, the
// generation guard, and concurrent use.
#include "domain/session_cache.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace casevault::domain {
namespace {

constexpr UnixMillis kNow = 1795910400000;
constexpr UnixMillis kIdle = 30 * 60 * 1000;

// A 32-byte key, as SHA-256 of a token would be.
std::string Hash(int i) {
  std::string h(32, '\0');
  for (int b = 0; b < 4; ++b) h[b] = static_cast<char>((i >> (8 * b)) & 0xff);
  return h;
}

CachedSession Session(int64_t account_id, UnixMillis expires_at = kNow + 3600000,
                      UnixMillis last_touched_at = kNow) {
  CachedSession s;
  s.caller.account_id = account_id;
  s.caller.username = "user" + std::to_string(account_id);
  s.caller.role = Role::kCounselor;
  s.caller.unit_id = "school-a";
  s.expires_at = expires_at;
  s.last_used_at = last_touched_at;
  s.last_touched_at = last_touched_at;
  return s;
}

void Put(SessionCache& cache, const std::string& hash, CachedSession s) {
  ASSERT_TRUE(cache.Put(hash, std::move(s), cache.generation()));
}

TEST(SessionCacheTest, FindsWhatWasPut) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(7));
  auto hit = cache.Find(Hash(1), kNow + 1000);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->caller.account_id, 7);
  EXPECT_EQ(hit->caller.username, "user7");
  EXPECT_EQ(hit->last_used_at, kNow + 1000);  // a hit records its use
  EXPECT_EQ(hit->last_touched_at, kNow);      // but not a store write
  EXPECT_FALSE(cache.Find(Hash(2), kNow).has_value());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SessionCacheTest, KeepsNoRequestId) {
  SessionCache cache(10, kIdle);
  CachedSession s = Session(7);
  s.caller.request_id = "req-1";
  Put(cache, Hash(1), s);
  EXPECT_EQ(cache.Find(Hash(1), kNow)->caller.request_id, "");
}

TEST(SessionCacheTest, StaysWithinItsBoundEvictingTheLeastRecentlyUsed) {
  SessionCache cache(3, kIdle);
  EXPECT_EQ(cache.max_entries(), 3u);
  Put(cache, Hash(1), Session(1));
  Put(cache, Hash(2), Session(2));
  Put(cache, Hash(3), Session(3));
  ASSERT_TRUE(cache.Find(Hash(1), kNow).has_value());  // 2 is now the oldest
  Put(cache, Hash(4), Session(4));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_FALSE(cache.Find(Hash(2), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(1), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(3), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(4), kNow).has_value());
  // Order now (most recent first): 4 3 1; a put evicts 1.
  Put(cache, Hash(5), Session(5));
  EXPECT_FALSE(cache.Find(Hash(1), kNow).has_value());
  EXPECT_EQ(cache.size(), 3u);

  for (int i = 100; i < 200; ++i) Put(cache, Hash(i), Session(i));
  EXPECT_EQ(cache.size(), 3u);
  EXPECT_TRUE(cache.Find(Hash(199), kNow).has_value());
  EXPECT_FALSE(cache.Find(Hash(196), kNow).has_value());
}

TEST(SessionCacheTest, PuttingAgainReplacesWithoutGrowing) {
  SessionCache cache(2, kIdle);
  Put(cache, Hash(1), Session(1));
  Put(cache, Hash(2), Session(2));
  Put(cache, Hash(1), Session(9));  // 1 becomes the most recent
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Find(Hash(1), kNow)->caller.account_id, 9);
  Put(cache, Hash(3), Session(3));  // evicts 2
  EXPECT_FALSE(cache.Find(Hash(2), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(1), kNow).has_value());
}

TEST(SessionCacheTest, ZeroEntriesMeansOne) {
  SessionCache cache(0, kIdle);
  Put(cache, Hash(1), Session(1));
  Put(cache, Hash(2), Session(2));
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_TRUE(cache.Find(Hash(2), kNow).has_value());
}

TEST(SessionCacheTest, DropsAnEntryAtItsAbsoluteExpiry) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(1, /*expires_at=*/kNow + 1000));
  EXPECT_TRUE(cache.Find(Hash(1), kNow + 999).has_value());
  EXPECT_FALSE(cache.Find(Hash(1), kNow + 1000).has_value());
  EXPECT_EQ(cache.size(), 0u);  // dropped, not just hidden
  EXPECT_FALSE(cache.Find(Hash(1), kNow).has_value());
}

TEST(SessionCacheTest, IdleExpiryCountsFromTheStoredLastUse) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(1, kNow + 24 * 3600000, /*last_touched_at=*/kNow));
  // Hits move last_used_at, not the stored time the idle rule reads.
  EXPECT_TRUE(cache.Find(Hash(1), kNow + kIdle - 1).has_value());
  EXPECT_FALSE(cache.Find(Hash(1), kNow + kIdle).has_value());
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SessionCacheTest, MarkTouchedExtendsTheIdleLimitButNeverInserts) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(1, kNow + 24 * 3600000, kNow));
  cache.MarkTouched(Hash(1), kNow + 60000);
  cache.MarkTouched(Hash(1), kNow + 1000);  // never moves back
  auto hit = cache.Find(Hash(1), kNow + kIdle);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->last_touched_at, kNow + 60000);
  EXPECT_FALSE(cache.Find(Hash(1), kNow + 60000 + kIdle).has_value());

  cache.MarkTouched(Hash(2), kNow);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(SessionCacheTest, EraseForgetsOneSession) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(1));
  Put(cache, Hash(2), Session(1));
  cache.Erase(Hash(1));
  cache.Erase(Hash(3));  // unknown: nothing to do
  EXPECT_FALSE(cache.Find(Hash(1), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(2), kNow).has_value());
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SessionCacheTest, EraseAccountForgetsEverySessionOfTheAccountOnly) {
  SessionCache cache(10, kIdle);
  Put(cache, Hash(1), Session(1));
  Put(cache, Hash(2), Session(2));
  Put(cache, Hash(3), Session(1));
  Put(cache, Hash(4), Session(3));
  cache.EraseAccount(1);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.Find(Hash(1), kNow).has_value());
  EXPECT_FALSE(cache.Find(Hash(3), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(2), kNow).has_value());
  EXPECT_TRUE(cache.Find(Hash(4), kNow).has_value());
  // The LRU list stayed consistent: filling up evicts as it should.
  SessionCache small(2, kIdle);
  Put(small, Hash(1), Session(1));
  Put(small, Hash(2), Session(2));
  small.EraseAccount(1);
  Put(small, Hash(3), Session(3));
  Put(small, Hash(4), Session(4));
  EXPECT_EQ(small.size(), 2u);
  EXPECT_FALSE(small.Find(Hash(2), kNow).has_value());
}

// A lookup that read the database before a revocation must not bring the
// revoked session back (invariant 4).
TEST(SessionCacheTest, APutFromBeforeAnEraseIsDropped) {
  SessionCache cache(10, kIdle);
  const uint64_t before_logout = cache.generation();
  cache.Erase(Hash(1));
  EXPECT_FALSE(cache.Put(Hash(1), Session(1), before_logout));
  EXPECT_EQ(cache.size(), 0u);

  const uint64_t before_disable = cache.generation();
  cache.EraseAccount(1);
  EXPECT_FALSE(cache.Put(Hash(1), Session(1), before_disable));
  EXPECT_EQ(cache.size(), 0u);

  EXPECT_TRUE(cache.Put(Hash(1), Session(1), cache.generation()));
  EXPECT_EQ(cache.size(), 1u);
}

TEST(SessionCacheTest, ConcurrentUseKeepsTheBound) {
  constexpr size_t kMax = 64;
  SessionCache cache(kMax, kIdle);
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 3000; ++i) {
        const int key = (i * 7 + t * 13) % 200;
        switch ((i + t) % 7) {
          case 0:
            cache.Erase(Hash(key));
            break;
          case 1:
            if (i % 50 == 0) cache.EraseAccount(key % 10);
            break;
          case 2:
            cache.MarkTouched(Hash(key), kNow + i);
            break;
          case 3:
          case 4:
            cache.Put(Hash(key), Session(key % 10), cache.generation());
            break;
          default:
            (void)cache.Find(Hash(key), kNow + i);
        }
        EXPECT_LE(cache.size(), kMax);
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_LE(cache.size(), kMax);
  // Still a working LRU after the storm.
  for (int i = 1000; i < 1000 + static_cast<int>(kMax); ++i) {
    Put(cache, Hash(i), Session(1));
  }
  EXPECT_EQ(cache.size(), kMax);
  for (int i = 1000; i < 1000 + static_cast<int>(kMax); ++i) {
    EXPECT_TRUE(cache.Find(Hash(i), kNow).has_value()) << i;
  }
}

}  // namespace
}  // namespace casevault::domain
