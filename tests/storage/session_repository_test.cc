#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

// 32 bytes including NUL and high bytes: token hashes are binary.
std::string TokenHash(char tag) {
  std::string hash(32, '\0');
  hash[0] = tag;
  hash[31] = '\xff';
  return hash;
}

SessionRecord MakeSession(char tag, int64_t account_id, UnixMillis expires_at) {
  SessionRecord s;
  s.token_hash = TokenHash(tag);
  s.account_id = account_id;
  s.created_at = 100;
  s.last_used_at = 100;
  s.expires_at = expires_at;
  return s;
}

class SessionRepositoryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    account_ = AddAccount("vy");
    other_ = AddAccount("quan");
  }
  absl::Status Insert(const SessionRecord& s) {
    return store_->Write(
        [&](Transaction& txn) { return txn.sessions().Insert(s); });
  }
  absl::StatusOr<SessionRecord> Find(char tag) {
    absl::StatusOr<SessionRecord> out;
    absl::Status status = store_->Read([&](Transaction& txn) {
      out = txn.sessions().Find(TokenHash(tag));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return out;
  }
  int64_t account_ = 0;
  int64_t other_ = 0;
};

TEST_F(SessionRepositoryTest, InsertFindTouchDelete) {
  ASSERT_OK(Insert(MakeSession('a', account_, 900)));
  ASSERT_OK_AND_ASSIGN(SessionRecord found, Find('a'));
  EXPECT_EQ(found.token_hash, TokenHash('a'));
  EXPECT_EQ(found.account_id, account_);
  EXPECT_EQ(found.created_at, 100);
  EXPECT_EQ(found.last_used_at, 100);
  EXPECT_EQ(found.expires_at, 900);

  MustWrite([](Transaction& txn) {
    return txn.sessions().Touch(TokenHash('a'), 250);
  });
  ASSERT_OK_AND_ASSIGN(found, Find('a'));
  EXPECT_EQ(found.last_used_at, 250);

  MustWrite(
      [](Transaction& txn) { return txn.sessions().Delete(TokenHash('a')); });
  EXPECT_THAT(Find('a'), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SessionRepositoryTest, MissingSessionsAreNotFound) {
  EXPECT_THAT(Find('z'), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Write([](Transaction& txn) {
    return txn.sessions().Touch(TokenHash('z'), 1);
  }),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Write([](Transaction& txn) {
    return txn.sessions().Delete(TokenHash('z'));
  }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SessionRepositoryTest, DuplicateTokenIsAlreadyExists) {
  ASSERT_OK(Insert(MakeSession('a', account_, 900)));
  EXPECT_THAT(Insert(MakeSession('a', other_, 900)),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(SessionRepositoryTest, SessionOfUnknownAccountIsNotFound) {
  EXPECT_THAT(Insert(MakeSession('a', 12345, 900)),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(SessionRepositoryTest, DeleteForAccountLeavesOtherAccounts) {
  ASSERT_OK(Insert(MakeSession('a', account_, 900)));
  ASSERT_OK(Insert(MakeSession('b', account_, 900)));
  ASSERT_OK(Insert(MakeSession('c', other_, 900)));
  MustWrite([&](Transaction& txn) {
    return txn.sessions().DeleteForAccount(account_);
  });
  EXPECT_THAT(Find('a'), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Find('b'), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(Find('c'));
  // No sessions left: still fine.
  MustWrite([&](Transaction& txn) {
    return txn.sessions().DeleteForAccount(account_);
  });
}

TEST_F(SessionRepositoryTest, DeleteExpiredRemovesOnlyThoseBeforeNow) {
  ASSERT_OK(Insert(MakeSession('a', account_, 499)));
  ASSERT_OK(Insert(MakeSession('b', other_, 100)));
  ASSERT_OK(Insert(MakeSession('c', account_, 500)));  // expires exactly now
  ASSERT_OK(Insert(MakeSession('d', account_, 501)));
  absl::StatusOr<int64_t> deleted;
  MustWrite([&](Transaction& txn) {
    deleted = txn.sessions().DeleteExpired(500);
    return deleted.status();
  });
  EXPECT_THAT(deleted, IsOkAndHolds(int64_t{2}));
  EXPECT_THAT(Find('a'), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Find('b'), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(Find('c'));
  EXPECT_OK(Find('d'));
}

}  // namespace
}  // namespace casevault::storage::testing
