// A real SQLCipher store in a temporary directory, seeded randomness, a fake
// clock, and cheap password hashing, for domain tests.
#ifndef CASEVAULT_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
#define CASEVAULT_TESTS_DOMAIN_DOMAIN_FIXTURE_H_

#include <memory>

#include "common/clock.h"
#include "crypto/case_key.h"
#include "crypto/keyring.h"
#include "crypto/password_hasher.h"
#include "domain/account_registry.h"
#include "domain/audit_trail.h"
#include "domain/role.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::domain {

// 2026-11-29T00:00:00Z
inline constexpr UnixMillis kTestNow = 1795910400000;

// Argon2id at its minimum cost: the tests check behaviour, not strength.
inline crypto::PasswordHashLimits CheapLimits() { return {1, 8192}; }

class DomainTest : public ::testing::Test {
 protected:
  DomainTest()
      : random_(20261129),
        clock_(kTestNow),
        keyring_(crypto::Keyring::Generate(random_)),
        hasher_(CheapLimits()) {}

  void SetUp() override { OpenStore(storage::OpenMode::kCreate); }

  // Opens the test database and builds the trail and registry over it
  // (again after a simulated restart).
  void OpenStore(storage::OpenMode mode) {
    auto store = storage::OpenSqlCipherStore(dir_.File("test.db"),
                                             keyring_.database_key, mode);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    case_keys_ = std::make_unique<crypto::CaseKeyring>(keyring_, random_);
    auto trail = AuditTrail::New(keyring_, clock_, audit_options_);
    ASSERT_OK(trail.status());
    trail_ = *std::move(trail);
    registry_ = std::make_unique<AccountRegistry>(*store_, *trail_, hasher_,
                                                  clock_);
  }

  // Creates an account and returns it as a caller.
  Caller AddAccount(const std::string& username, Role role,
                    const std::string& unit = "school-a",
                    const std::string& password = "correct horse battery") {
    NewAccount a;
    a.username = username;
    a.role = static_cast<int32_t>(role);
    a.unit_id = unit;
    a.password = password;
    auto view = registry_->CreateUnchecked(a);
    EXPECT_OK(view.status());
    Caller c;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto rec = tx.accounts().FindByUsername(username);
      if (!rec.ok()) return rec.status();
      c.account_id = rec->id;
      return absl::OkStatus();
    }));
    c.username = username;
    c.role = role;
    c.unit_id = unit;
    c.request_id = "test";
    return c;
  }

  testing::TempDir dir_;
  testing::SeededRandom random_;
  FakeClock clock_;
  crypto::Keyring keyring_;
  crypto::PasswordHasher hasher_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<crypto::CaseKeyring> case_keys_;
  AuditOptions audit_options_;  // set before SetUp() to change them
  std::unique_ptr<AuditTrail> trail_;
  std::unique_ptr<AccountRegistry> registry_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_TESTS_DOMAIN_DOMAIN_FIXTURE_H_
