#include "domain/authenticator.h"

#include <algorithm>
#include <chrono>

#include "domain_fixture.h"
#include "support/password_turns.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

class AuthenticatorTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    auth_ = std::make_unique<Authenticator>(*store_, *trail_, hasher_, clock_,
                                            random_, options_);
    counselor_ = AddAccount("co.lan", Role::kCounselor);
    admin_ = AddAccount("admin", Role::kAdmin);
  }

  SignInOptions options_;
  std::unique_ptr<Authenticator> auth_;
  Caller counselor_, admin_;
};

TEST_F(AuthenticatorTest, SignsInAndAuthenticatesTheToken) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r1"));
  EXPECT_GE(s.token.size(), 43u);  // 256 bits, base64url
  EXPECT_EQ(s.caller.username, "co.lan");
  EXPECT_EQ(s.expires_at, kTestNow + options_.absolute_timeout);
  ASSERT_OK_AND_ASSIGN(Caller c, auth_->Authenticate(s.token, "r2"));
  EXPECT_EQ(c.account_id, counselor_.account_id);
  EXPECT_EQ(c.role, Role::kCounselor);
  EXPECT_EQ(c.request_id, "r2");
}

TEST_F(AuthenticatorTest, StoresOnlyTheTokenHash) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
  EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
    EXPECT_THAT(tx.sessions().Find(s.token), StatusIs(absl::StatusCode::kNotFound));
    return tx.sessions().Find(Authenticator::TokenHash(s.token)).status();
  }));
}

TEST_F(AuthenticatorTest, UnknownUserAndWrongPasswordLookTheSame) {
  auto unknown = auth_->Login("nobody", "correct horse battery", "r");
  auto wrong = auth_->Login("co.lan", "wrong password here", "r");
  EXPECT_THAT(unknown, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(wrong, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(unknown.status().message(), wrong.status().message());
}

// Both answers cost one Argon2id verification at the production cost, so
// their timing does not tell an attacker which usernames exist. Medians of
// a few runs each, with a wide band: the machine may be busy.
TEST_F(AuthenticatorTest, UnknownUserAndWrongPasswordTakeSimilarTime) {
  const crypto::PasswordHasher interactive(crypto::PasswordHashLimits::Interactive());
  AccountRegistry registry(*store_, *trail_, interactive, clock_);
  NewAccount a;
  a.username = "co.timing";
  a.role = static_cast<int32_t>(Role::kCounselor);
  a.unit_id = "school-a";
  a.password = "correct horse battery";
  ASSERT_OK(registry.CreateUnchecked(a).status());
  Authenticator auth(*store_, *trail_, interactive, clock_, random_, options_);
  auto median_ms = [&](const std::string& user) -> double {
    std::vector<double> ms;
    for (int i = 0; i < 3; ++i) {
      EXPECT_OK(registry.Unlock(admin_, "co.timing").status());  // keep it unlocked
      const auto start = std::chrono::steady_clock::now();
      EXPECT_FALSE(auth.Login(user, "wrong password here", "r").ok());
      ms.push_back(std::chrono::duration<double, std::milli>(
                       std::chrono::steady_clock::now() - start).count());
    }
    std::sort(ms.begin(), ms.end());
    return ms[1];
  };
  const double unknown = median_ms("nobody.here");
  const double wrong = median_ms("co.timing");
  EXPECT_GT(unknown, 0.3 * wrong) << unknown << " ms vs " << wrong << " ms";
  EXPECT_LT(unknown, 3.0 * wrong) << unknown << " ms vs " << wrong << " ms";
}

TEST_F(AuthenticatorTest, SlowsDownThenLocksAndAdminUnlocks) {
  const UnixMillis start = clock_.Now();
  for (int i = 0; i < options_.lock_after; ++i) {
    EXPECT_THAT(auth_->Login("co.lan", "wrong password here", "r"),
                StatusIs(absl::StatusCode::kUnauthenticated));
  }
  // Failures 3, 4 and 5 waited 1, 2 and 4 s; the 5th locked the account.
  EXPECT_EQ(clock_.Now() - start, 1000 + 2000 + 4000);
  auto locked = auth_->Login("co.lan", "correct horse battery", "r");
  EXPECT_THAT(locked, StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_EQ(locked.status().message(), kSignInFailed);

  ASSERT_OK(registry_->Unlock(admin_, "co.lan").status());
  EXPECT_OK(auth_->Login("co.lan", "correct horse battery", "r").status());
}

// Too many sign-ins at once: turned away before any password is checked,
// the same way for known and unknown usernames, and not counted against
// the account (a busy server must not lock anyone out).
TEST_F(AuthenticatorTest, SignInsTurnedAwayWhenBusyAreNotFailures) {
  const crypto::PasswordHasher busy(casevault::testing::kSlowHash,
                                    casevault::testing::Turns(1, 0));
  Authenticator auth(*store_, *trail_, busy, clock_, random_, options_);
  const UnixMillis start = clock_.Now();
  for (const char* user : {"co.lan", "nobody.here"}) {
    for (int i = 0; i < options_.lock_after + 1; ++i) {
      absl::StatusOr<SignedIn> refused;
      ASSERT_TRUE(casevault::testing::DuringAHeldTurn(busy, [&] {
        refused = auth.Login(user, "wrong password here", "r");
      }));
      EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted));
      EXPECT_EQ(refused.status().message(),
                crypto::kPasswordHasherBusyMessage);
    }
  }
  EXPECT_EQ(clock_.Now(), start);  // no failure slowed anything down
  // Not locked: the right password works at once.
  EXPECT_OK(auth_->Login("co.lan", "correct horse battery", "r").status());
}

TEST_F(AuthenticatorTest, LockExpiresOnItsOwn) {
  for (int i = 0; i < options_.lock_after; ++i) {
    (void)auth_->Login("co.lan", "wrong password here", "r");
  }
  EXPECT_FALSE(auth_->Login("co.lan", "correct horse battery", "r").ok());
  clock_.Advance(options_.lock_duration + 1);
  EXPECT_OK(auth_->Login("co.lan", "correct horse battery", "r").status());
}

TEST_F(AuthenticatorTest, SuccessResetsTheFailureCount) {
  for (int i = 0; i < options_.lock_after - 1; ++i) {
    (void)auth_->Login("co.lan", "wrong password here", "r");
  }
  ASSERT_OK(auth_->Login("co.lan", "correct horse battery", "r").status());
  for (int i = 0; i < options_.lock_after - 1; ++i) {
    (void)auth_->Login("co.lan", "wrong password here", "r");
  }
  EXPECT_OK(auth_->Login("co.lan", "correct horse battery", "r").status());
}

TEST_F(AuthenticatorTest, SessionsExpireWhenIdleAndAtTheAbsoluteLimit) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
  // Used every 20 minutes it stays alive until the absolute limit.
  while (clock_.Now() + 20 * 60 * 1000 < s.expires_at) {
    clock_.Advance(20 * 60 * 1000);
    ASSERT_OK(auth_->Authenticate(s.token, "r").status());
  }
  clock_.Set(s.expires_at);
  EXPECT_THAT(auth_->Authenticate(s.token, "r"),
              StatusIs(absl::StatusCode::kUnauthenticated));

  ASSERT_OK_AND_ASSIGN(SignedIn idle, auth_->Login("co.lan", "correct horse battery", "r"));
  clock_.Advance(options_.idle_timeout);
  EXPECT_THAT(auth_->Authenticate(idle.token, "r"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AuthenticatorTest, LogoutRevokes) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
  ASSERT_OK(auth_->Logout(s.caller, s.token));
  EXPECT_THAT(auth_->Authenticate(s.token, "r"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AuthenticatorTest, DisablingAndResetEndSessions) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
  ASSERT_OK(registry_->ResetPassword(admin_, "co.lan", "a new long password").status());
  EXPECT_FALSE(auth_->Authenticate(s.token, "r").ok());
  EXPECT_FALSE(auth_->Login("co.lan", "correct horse battery", "r").ok());
  ASSERT_OK_AND_ASSIGN(SignedIn s2, auth_->Login("co.lan", "a new long password", "r"));
  ASSERT_OK(registry_->Disable(admin_, "co.lan").status());
  EXPECT_FALSE(auth_->Authenticate(s2.token, "r").ok());
  EXPECT_FALSE(auth_->Login("co.lan", "a new long password", "r").ok());
}

TEST_F(AuthenticatorTest, RehashesWhenTheParametersChange) {
  const crypto::PasswordHasher stronger({2, 16384});
  Authenticator auth(*store_, *trail_, stronger, clock_, random_, options_);
  std::string before, after;
  auto hash_of = [&](std::string& out) {
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto a = tx.accounts().FindByUsername("co.lan");
      if (a.ok()) out = a->password_hash;
      return a.status();
    }));
  };
  hash_of(before);
  ASSERT_OK(auth.Login("co.lan", "correct horse battery", "r").status());
  hash_of(after);
  EXPECT_NE(before, after);
  EXPECT_EQ(stronger.Verify(after, "correct horse battery"), crypto::PasswordCheck::kMatch);
}

TEST_F(AuthenticatorTest, GarbageTokensAreRefused) {
  for (const std::string& t :
       {std::string(""), std::string("x"), std::string(500, 'a')}) {
    EXPECT_THAT(auth_->Authenticate(t, "r"), StatusIs(absl::StatusCode::kUnauthenticated));
  }
}

}  // namespace
}  // namespace casevault::domain
