#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using AccountRepositoryTest = StoreTest;

TEST_F(AccountRepositoryTest, InsertAssignsIdsAndFindsByBothKeys) {
  const int64_t first = AddAccount("lan");
  const int64_t second = AddAccount("Nguyễn Thị Hồng Nhung");
  EXPECT_GT(first, 0);
  EXPECT_NE(first, second);
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    auto by_name = txn.accounts().FindByUsername("Nguyễn Thị Hồng Nhung");
    EXPECT_OK(by_name);
    EXPECT_EQ(by_name->id, second);
    auto by_id = txn.accounts().FindById(first);
    EXPECT_OK(by_id);
    const AccountRecord expected = MakeAccount("lan");
    EXPECT_EQ(by_id->username, "lan");
    EXPECT_EQ(by_id->role, expected.role);
    EXPECT_EQ(by_id->unit_id, expected.unit_id);
    EXPECT_EQ(by_id->password_hash, expected.password_hash);
    EXPECT_FALSE(by_id->disabled);
    EXPECT_EQ(by_id->failed_logins, 0);
    EXPECT_EQ(by_id->locked_until, 0);
    EXPECT_EQ(by_id->created_at, 1000);
    EXPECT_EQ(by_id->updated_at, 1000);
    return absl::OkStatus();
  }));
}

TEST_F(AccountRepositoryTest, IgnoresTheIdOfTheInsertedRecord) {
  AccountRecord record = MakeAccount("mai");
  record.id = 424242;
  int64_t id = 0;
  MustWrite([&](Transaction& txn) -> absl::Status {
    auto inserted = txn.accounts().Insert(record);
    if (inserted.ok()) id = *inserted;
    return inserted.status();
  });
  EXPECT_NE(id, 424242);
}

TEST_F(AccountRepositoryTest, DuplicateUsernameIsAlreadyExists) {
  AddAccount("thu");
  EXPECT_THAT(store_->Write([](Transaction& txn) {
    return txn.accounts().Insert(MakeAccount("thu", "principal")).status();
  }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(store_->Read([](Transaction& txn) -> absl::Status {
    auto n = txn.accounts().Count();
    EXPECT_THAT(n, IsOkAndHolds(int64_t{1}));
    return n.status();
  }),
              IsOk());
}

TEST_F(AccountRepositoryTest, ErrorMessagesDoNotEchoValues) {
  AddAccount("very-distinctive-name");
  absl::Status status = store_->Write([](Transaction& txn) {
    return txn.accounts().Insert(MakeAccount("very-distinctive-name")).status();
  });
  EXPECT_THAT(std::string(status.message()),
              ::testing::Not(::testing::HasSubstr("distinctive")));
}

TEST_F(AccountRepositoryTest, MissingAccountsAreNotFound) {
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.accounts().FindById(99),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(txn.accounts().FindByUsername("nobody"),
                StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  AccountRecord ghost = MakeAccount("ghost");
  ghost.id = 99;
  EXPECT_THAT(store_->Write([&](Transaction& txn) {
    return txn.accounts().Update(ghost);
  }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(AccountRepositoryTest, UpdateKeepsIdUsernameAndCreatedAt) {
  const int64_t id = AddAccount("binh");
  AccountRecord changed = MakeAccount("renamed", "principal", "school-9");
  changed.id = id;
  changed.password_hash = "$argon2id$new";
  changed.disabled = true;
  changed.failed_logins = 3;
  changed.locked_until = 5000;
  changed.created_at = 1;
  changed.updated_at = 2000;
  MustWrite([&](Transaction& txn) { return txn.accounts().Update(changed); });
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    auto found = txn.accounts().FindById(id);
    EXPECT_OK(found);
    EXPECT_EQ(found->username, "binh");
    EXPECT_EQ(found->created_at, 1000);
    EXPECT_EQ(found->role, "principal");
    EXPECT_EQ(found->unit_id, "school-9");
    EXPECT_EQ(found->password_hash, "$argon2id$new");
    EXPECT_TRUE(found->disabled);
    EXPECT_EQ(found->failed_logins, 3);
    EXPECT_EQ(found->locked_until, 5000);
    EXPECT_EQ(found->updated_at, 2000);
    return absl::OkStatus();
  }));
}

TEST_F(AccountRepositoryTest, ListPagesInUsernameOrder) {
  for (const char* name : {"dung", "an", "em", "cuong", "bao"})
    AddAccount(name);
  std::vector<std::string> seen;
  std::string after;
  while (true) {
    std::vector<AccountRecord> page;
    ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto listed = txn.accounts().List(after, 2);
      if (listed.ok()) page = *listed;
      return listed.status();
    }));
    if (page.empty()) break;
    EXPECT_LE(page.size(), 2u);
    for (const auto& a : page) seen.push_back(a.username);
    after = page.back().username;
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("an", "bao", "cuong", "dung", "em"));
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.accounts().Count(), IsOkAndHolds(int64_t{5}));
    EXPECT_THAT(txn.accounts().List("", -1),
                StatusIs(absl::StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace casevault::storage::testing
