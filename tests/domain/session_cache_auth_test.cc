// The Authenticator and AccountRegistry sharing one SessionCache, over a
// store that counts the calls reaching it: repeated token checks stay in
// memory, and nothing that ends a session leaves it usable.
#include <memory>
#include <string>

#include "domain/account_registry.h"
#include "domain/authenticator.h"
#include "domain/session_cache.h"
#include "domain_fixture.h"
#include "faulty_store.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

class SessionCacheAuthTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    counting_ = std::make_unique<testing::FaultyStore>(*store_);
    cache_ = std::make_unique<SessionCache>(kDefaultSessionCacheEntries,
                                            options_.idle_timeout);
    auth_ = std::make_unique<Authenticator>(*counting_, *trail_, hasher_,
                                            clock_, random_, options_,
                                            cache_.get());
    accounts_ = std::make_unique<AccountRegistry>(*counting_, *trail_, hasher_,
                                                  clock_, cache_.get());
    counselor_ = AddAccount("co.lan", Role::kCounselor);
    other_ = AddAccount("co.mai", Role::kCounselor);
    admin_ = AddAccount("admin", Role::kAdmin);
  }

  SignedIn SignIn(const std::string& username,
                  const std::string& password = "correct horse battery") {
    auto s = auth_->Login(username, password, "r");
    EXPECT_OK(s.status());
    return s.ok() ? *std::move(s) : SignedIn{};
  }

  // The stored last-use time of a session, read past the counting store.
  UnixMillis StoredLastUse(const std::string& token) {
    UnixMillis at = -1;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto s = tx.sessions().Find(Authenticator::TokenHash(token));
      if (s.ok()) at = s->last_used_at;
      return s.status();
    }));
    return at;
  }

  bool SessionRowExists(const std::string& token) {
    bool exists = false;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto s = tx.sessions().Find(Authenticator::TokenHash(token));
      exists = s.ok();
      return absl::IsNotFound(s.status()) ? absl::OkStatus() : s.status();
    }));
    return exists;
  }

  void ExpectRefused(const std::string& token) {
    EXPECT_THAT(auth_->Authenticate(token, "r"),
                StatusIs(absl::StatusCode::kUnauthenticated));
  }

  SignInOptions options_;
  std::unique_ptr<testing::FaultyStore> counting_;
  std::unique_ptr<SessionCache> cache_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<AccountRegistry> accounts_;
  Caller counselor_, other_, admin_;
};

TEST_F(SessionCacheAuthTest, ASecondCheckOfTheSameTokenDoesNotReadTheStore) {
  const SignedIn s = SignIn("co.lan");
  counting_->ResetCounts();
  ASSERT_OK_AND_ASSIGN(Caller first, auth_->Authenticate(s.token, "r1"));
  EXPECT_EQ(counting_->reads(), 1);   // a miss reads session and account
  EXPECT_EQ(counting_->writes(), 0);  // just signed in: nothing to touch
  EXPECT_EQ(cache_->size(), 1u);

  counting_->ResetCounts();
  for (int i = 0; i < 5; ++i) {
    clock_.Advance(1000);
    ASSERT_OK_AND_ASSIGN(Caller c, auth_->Authenticate(s.token, "r2"));
    EXPECT_EQ(c.account_id, counselor_.account_id);
    EXPECT_EQ(c.username, "co.lan");
    EXPECT_EQ(c.role, Role::kCounselor);
    EXPECT_EQ(c.unit_id, "school-a");
    EXPECT_EQ(c.request_id, "r2");
  }
  EXPECT_EQ(counting_->reads(), 0);
  EXPECT_EQ(counting_->writes(), 0);
  EXPECT_EQ(first.request_id, "r1");
}

TEST_F(SessionCacheAuthTest, ACachedSessionIsStillTouchedEveryTouchInterval) {
  const SignedIn s = SignIn("co.lan");
  const UnixMillis signed_in = clock_.Now();
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());  // now cached
  counting_->ResetCounts();

  clock_.Advance(options_.touch_interval - 1);
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->writes(), 0);
  EXPECT_EQ(StoredLastUse(s.token), signed_in);

  clock_.Advance(1);  // touch_interval since the stored last use
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->writes(), 1);
  EXPECT_EQ(counting_->reads(), 0);
  EXPECT_EQ(StoredLastUse(s.token), clock_.Now());

  const UnixMillis touched = clock_.Now();
  clock_.Advance(options_.touch_interval / 2);
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->writes(), 1);  // not again so soon
  EXPECT_EQ(StoredLastUse(s.token), touched);
  EXPECT_EQ(counting_->reads(), 0);
}

// The touches keep idle expiry in the database, so a restart (a new,
// empty cache) keeps a session that was in use and ends an idle one.
TEST_F(SessionCacheAuthTest, IdleExpirySurvivesARestart) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  clock_.Advance(20 * 60 * 1000);
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());  // touched
  clock_.Advance(20 * 60 * 1000);  // 40 min after sign-in, 20 after use
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());

  SessionCache fresh(kDefaultSessionCacheEntries, options_.idle_timeout);
  Authenticator restarted(*counting_, *trail_, hasher_, clock_, random_,
                          options_, &fresh);
  ASSERT_OK(restarted.Authenticate(s.token, "r").status());
  clock_.Advance(options_.idle_timeout);
  EXPECT_THAT(restarted.Authenticate(s.token, "r"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  ExpectRefused(s.token);
}

TEST_F(SessionCacheAuthTest, LogoutEndsTheSessionAtOnce) {
  const SignedIn s = SignIn("co.lan");
  const SignedIn keep = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  ASSERT_OK(auth_->Authenticate(keep.token, "r").status());
  ASSERT_EQ(cache_->size(), 2u);

  ASSERT_OK(auth_->Logout(s.caller, s.token));
  EXPECT_EQ(cache_->size(), 1u);
  ExpectRefused(s.token);
  ExpectRefused(s.token);
  counting_->ResetCounts();
  EXPECT_OK(auth_->Authenticate(keep.token, "r").status());  // untouched
  EXPECT_EQ(counting_->reads(), 0);
}

TEST_F(SessionCacheAuthTest, DisablingEndsCachedSessionsAtOnce) {
  const SignedIn s = SignIn("co.lan");
  const SignedIn s2 = SignIn("co.lan");
  const SignedIn other = SignIn("co.mai");
  for (const SignedIn* t : {&s, &s2, &other}) {
    ASSERT_OK(auth_->Authenticate(t->token, "r").status());
  }
  ASSERT_EQ(cache_->size(), 3u);

  ASSERT_OK(accounts_->Disable(admin_, "co.lan").status());
  EXPECT_EQ(cache_->size(), 1u);
  EXPECT_FALSE(SessionRowExists(s.token));  // DeleteForAccount
  EXPECT_FALSE(SessionRowExists(s2.token));
  ExpectRefused(s.token);
  ExpectRefused(s2.token);
  counting_->ResetCounts();
  EXPECT_OK(auth_->Authenticate(other.token, "r").status());
  EXPECT_EQ(counting_->reads(), 0);
}

TEST_F(SessionCacheAuthTest, ResettingThePasswordEndsCachedSessionsAtOnce) {
  const SignedIn s = SignIn("co.lan");
  const SignedIn s2 = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  ASSERT_OK(auth_->Authenticate(s2.token, "r").status());

  ASSERT_OK(accounts_->ResetPassword(admin_, "co.lan", "a new long password")
                .status());
  EXPECT_FALSE(SessionRowExists(s.token));
  EXPECT_FALSE(SessionRowExists(s2.token));
  ExpectRefused(s.token);
  ExpectRefused(s2.token);
  const SignedIn again = SignIn("co.lan", "a new long password");
  EXPECT_OK(auth_->Authenticate(again.token, "r").status());
}

// Unlocking ends no session, so it keeps the cache.
TEST_F(SessionCacheAuthTest, UnlockingKeepsSessions) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  ASSERT_OK(accounts_->Unlock(admin_, "co.lan").status());
  counting_->ResetCounts();
  EXPECT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->reads(), 0);
}

// A refused change (here: the audit entry cannot be written, so nothing is
// changed) still erases; the session is then read again and stays valid.
TEST_F(SessionCacheAuthTest, AFailedDisableErasesAndTheSessionIsReadAgain) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  counting_->Inject(testing::AuditFault::kAppend);
  EXPECT_FALSE(accounts_->Disable(admin_, "co.lan").ok());
  counting_->Inject(testing::AuditFault::kNone);
  EXPECT_EQ(cache_->size(), 0u);
  EXPECT_TRUE(SessionRowExists(s.token));
  counting_->ResetCounts();
  EXPECT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->reads(), 1);
}

TEST_F(SessionCacheAuthTest, ACachedSessionEndsAtTheAbsoluteLimit) {
  const SignedIn s = SignIn("co.lan");
  // Used every 20 minutes it stays alive (and cached) until the limit.
  while (clock_.Now() + 20 * 60 * 1000 < s.expires_at) {
    clock_.Advance(20 * 60 * 1000);
    ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  }
  counting_->ResetCounts();
  clock_.Set(s.expires_at - 1);
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_EQ(counting_->reads(), 0);
  clock_.Set(s.expires_at);
  ExpectRefused(s.token);
  EXPECT_EQ(cache_->size(), 0u);
  ExpectRefused(s.token);  // and from the row too
}

TEST_F(SessionCacheAuthTest, ACachedSessionEndsWhenIdle) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  clock_.Advance(options_.idle_timeout);
  ExpectRefused(s.token);
  EXPECT_EQ(cache_->size(), 0u);
  ExpectRefused(s.token);
}

// Uses closer together than touch_interval write nothing, so idle expiry
// counts from the stored last use: the cache is no more lenient than the row.
TEST_F(SessionCacheAuthTest, IdleCountsFromTheStoredLastUseAsWithoutACache) {
  const SignedIn s = SignIn("co.lan");
  const UnixMillis signed_in = clock_.Now();
  clock_.Advance(options_.touch_interval - 1);
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());  // not touched
  EXPECT_EQ(StoredLastUse(s.token), signed_in);
  clock_.Set(signed_in + options_.idle_timeout);
  ExpectRefused(s.token);

  Authenticator uncached(*store_, *trail_, hasher_, clock_, random_, options_);
  EXPECT_THAT(uncached.Authenticate(s.token, "r"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

// A session row deleted behind the cache's back is found out at the next
// touch, and the session is refused from then on.
TEST_F(SessionCacheAuthTest, ARowGoneBehindTheCacheIsRefusedAtTheNextTouch) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  ASSERT_OK(store_->Write([&](storage::Transaction& tx) {
    return tx.sessions().Delete(Authenticator::TokenHash(s.token));
  }));
  clock_.Advance(options_.touch_interval);
  ExpectRefused(s.token);
  EXPECT_EQ(cache_->size(), 0u);
  ExpectRefused(s.token);
}

TEST_F(SessionCacheAuthTest, TheCacheHoldsTokenHashesOnly) {
  const SignedIn s = SignIn("co.lan");
  ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  EXPECT_FALSE(cache_->Find(s.token, clock_.Now()).has_value());
  EXPECT_TRUE(
      cache_->Find(Authenticator::TokenHash(s.token), clock_.Now()).has_value());
}

TEST_F(SessionCacheAuthTest, TheBoundHoldsAndEvictedSessionsAreReadAgain) {
  SessionCache small(2, options_.idle_timeout);
  Authenticator auth(*counting_, *trail_, hasher_, clock_, random_, options_,
                     &small);
  const SignedIn a = SignIn("co.lan");
  const SignedIn b = SignIn("co.lan");
  const SignedIn c = SignIn("co.mai");
  for (const SignedIn* t : {&a, &b, &c}) {
    ASSERT_OK(auth.Authenticate(t->token, "r").status());
  }
  EXPECT_EQ(small.size(), 2u);
  counting_->ResetCounts();
  ASSERT_OK(auth.Authenticate(a.token, "r").status());  // evicted: read again
  EXPECT_EQ(counting_->reads(), 1);
  EXPECT_EQ(small.size(), 2u);
}

}  // namespace
}  // namespace casevault::domain
