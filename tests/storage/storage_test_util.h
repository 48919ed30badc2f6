// Shared helpers for the storage tests: keys, sample records and a fixture
// that opens a fresh store in a temporary directory.
#ifndef CASEVAULT_TESTS_STORAGE_STORAGE_TEST_UTIL_H_
#define CASEVAULT_TESTS_STORAGE_STORAGE_TEST_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/synchronization/notification.h"
#include "crypto/secret_bytes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/records.h"
#include "storage/store.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::storage::testing {

using ::casevault::testing::IsOk;
using ::casevault::testing::StatusIs;

// A StatusOr that is OK and whose value matches `value_matcher`.
MATCHER_P(IsOkAndHolds, value_matcher, "is OK and holds a matching value") {
  if (!arg.ok()) {
    *result_listener << "status is " << arg.status().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(value_matcher, *arg, result_listener);
}

// A deterministic 32-byte key; different seeds give different keys.
inline crypto::SecretBytes TestKey(uint64_t seed) {
  ::casevault::testing::SeededRandom random(seed);
  return crypto::SecretBytes::Random(32, random);
}

inline AccountRecord MakeAccount(const std::string& username,
                                 const std::string& role = "counselor",
                                 const std::string& unit_id = "school-1") {
  AccountRecord a;
  a.username = username;
  a.role = role;
  a.unit_id = unit_id;
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  a.created_at = 1000;
  a.updated_at = 1000;
  return a;
}

inline CaseRecord MakeCase(const std::string& id, const std::string& school_id,
                           int64_t owner_id, UnixMillis created_at,
                           int32_t severity = 1, int32_t status = 0) {
  CaseRecord c;
  c.id = id;
  c.school_id = school_id;
  c.owner_id = owner_id;
  c.incident_type = 2;
  c.context = 3;
  c.severity = severity;
  c.reporter_type = 4;
  c.status = status;
  c.incident_date = "2024-09-05";
  c.created_at = created_at;
  c.updated_at = created_at;
  c.version = 1;
  c.kek_version = 7;
  c.wrapped_dek = std::string("dek\0\x01\xff", 6);
  c.sealed_people = std::string("people\0sealed", 13);
  c.sealed_place = "place-sealed";
  c.sealed_narrative = "narrative-sealed";
  return c;
}

inline NoteRecord MakeNote(const std::string& id, const std::string& case_id,
                           UnixMillis created_at) {
  NoteRecord n;
  n.id = id;
  n.case_id = case_id;
  n.author_id = 1;
  n.created_at = created_at;
  n.sealed_text = "sealed-" + id;
  return n;
}

inline CaseMemberRecord MakeMember(const std::string& case_id,
                                   int64_t account_id, MemberKind kind,
                                   UnixMillis added_at = 50) {
  CaseMemberRecord m;
  m.case_id = case_id;
  m.account_id = account_id;
  m.kind = kind;
  m.added_by = 1;
  m.added_at = added_at;
  return m;
}

// A planned school step (kind 11) owned by account 1.
inline StepRecord MakeStep(const std::string& id, const std::string& case_id,
                           const std::string& due_date, int32_t status = 1,
                           int32_t environment = 1) {
  StepRecord s;
  s.id = id;
  s.case_id = case_id;
  s.kind = environment * 10 + 1;
  s.environment = environment;
  s.status = status;
  s.owner_id = 1;
  s.sealed_external_party = "";
  s.due_date = due_date;
  s.sealed_outcome = std::string("out\0come", 8);
  s.created_by = 1;
  s.created_at = 500;
  s.updated_at = 500;
  s.version = 1;
  return s;
}

inline ConsentRecord MakeConsent(const std::string& id,
                                 const std::string& case_id,
                                 UnixMillis recorded_at = 600) {
  ConsentRecord c;
  c.id = id;
  c.case_id = case_id;
  c.purpose = 1;
  c.service_kind = 32;
  c.given_by = 3;
  c.child_assent = 1;
  c.given_on = "2024-09-06";
  c.recorded_by = 2;
  c.recorded_at = recorded_at;
  return c;
}

inline OverrideRecord MakeOverride(const std::string& id,
                                   const std::string& case_id,
                                   UnixMillis recorded_at = 700) {
  OverrideRecord o;
  o.id = id;
  o.case_id = case_id;
  o.purpose = 1;
  o.service_kind = 35;
  o.reason = 2;
  o.recorded_by = 3;
  o.recorded_at = recorded_at;
  return o;
}

// A fresh store per test in its own directory.
// Keeps the store's committer busy with a Write() of its own until
// Release(), so that the Write()s queued meanwhile (WaitForQueuedWritesForTest
// tells when) form one batch. That Write() commits a batch of its own.
class CommitterHold {
 public:
  explicit CommitterHold(Store& store)
      : thread_([this, &store] {
          EXPECT_OK(store.Write([this](Transaction&) {
            running_.Notify();
            release_.WaitForNotification();
            return absl::OkStatus();
          }));
        }) {
    running_.WaitForNotification();  // the queue is empty, the committer busy
  }
  ~CommitterHold() { Release(); }
  // Lets the held Write() finish and waits for it.
  void Release() {
    if (!release_.HasBeenNotified()) release_.Notify();
    if (thread_.joinable()) thread_.join();
  }

 private:
  absl::Notification running_, release_;
  std::thread thread_;
};

class StoreTest : public ::testing::Test {
 protected:
  StoreTest() : key_(TestKey(1)) {}

  std::string path() const { return dir_.File("casevault.db"); }

  void OpenStore(const StoreOptions& options = {}) {
    store_.reset();
    auto store = OpenSqlCipherStore(path(), key_, OpenMode::kCreate, options);
    ASSERT_THAT(store, IsOk());
    store_ = std::move(store).value();
  }

  void SetUp() override { OpenStore(); }

  // Runs `fn` in a Write() and expects it to succeed.
  template <typename Fn>
  void MustWrite(Fn fn) {
    ASSERT_THAT(store_->Write([&](Transaction& txn) { return fn(txn); }),
                IsOk());
  }

  // Inserts an account and returns its id.
  int64_t AddAccount(const std::string& username) {
    int64_t id = 0;
    EXPECT_THAT(store_->Write([&](Transaction& txn) -> absl::Status {
      auto inserted = txn.accounts().Insert(MakeAccount(username));
      if (!inserted.ok()) return inserted.status();
      id = *inserted;
      return absl::OkStatus();
    }),
                IsOk());
    return id;
  }

  // Runs `fn` (which returns an absl::StatusOr or absl::Status) in a Read()
  // and returns its result, or the Read()'s own failure.
  template <typename Fn>
  auto Query(Fn fn) -> decltype(fn(std::declval<Transaction&>())) {
    using Result = decltype(fn(std::declval<Transaction&>()));
    Result out = absl::UnknownError("the read did not run");
    absl::Status status = store_->Read([&](Transaction& txn) {
      out = fn(txn);
      return absl::OkStatus();
    });
    if (!status.ok()) return Result(status);
    return out;
  }

  ::casevault::testing::TempDir dir_;
  crypto::SecretBytes key_;
  std::unique_ptr<Store> store_;
};

}  // namespace casevault::storage::testing

#endif  // CASEVAULT_TESTS_STORAGE_STORAGE_TEST_UTIL_H_
