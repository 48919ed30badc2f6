#include "domain/account_registry.h"

#include "common/field_violation.h"
#include "domain_fixture.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

class AccountRegistryTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    admin_ = AddAccount("admin", Role::kAdmin);
    counselor_ = AddAccount("counselor", Role::kCounselor);
  }
  NewAccount Valid(const std::string& name) {
    NewAccount a;
    a.username = name;
    a.role = static_cast<int32_t>(Role::kPrincipal);
    a.unit_id = "school-a";
    a.password = "a long enough password";
    return a;
  }
  Caller admin_, counselor_;
};

TEST_F(AccountRegistryTest, AdminCreatesAndLists) {
  ASSERT_OK_AND_ASSIGN(AccountView v, registry_->Create(admin_, Valid("hieu.truong")));
  EXPECT_EQ(v.role, Role::kPrincipal);
  ASSERT_OK_AND_ASSIGN(AccountPage page, registry_->List(admin_, 2, ""));
  ASSERT_EQ(page.accounts.size(), 2u);
  EXPECT_EQ(page.accounts[0].username, "admin");
  ASSERT_FALSE(page.next_page_token.empty());
  ASSERT_OK_AND_ASSIGN(AccountPage rest, registry_->List(admin_, 2, page.next_page_token));
  ASSERT_EQ(rest.accounts.size(), 1u);
  EXPECT_EQ(rest.accounts[0].username, "hieu.truong");
  EXPECT_TRUE(rest.next_page_token.empty());
}

TEST_F(AccountRegistryTest, OthersCannotManageAccounts) {
  EXPECT_THAT(registry_->Create(counselor_, Valid("x.y.z")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(registry_->List(counselor_, 0, ""),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(registry_->Disable(counselor_, "admin"),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(AccountRegistryTest, ValidatesEveryField) {
  NewAccount a;
  const auto s = registry_->Create(admin_, a);
  std::vector<std::string> fields;
  for (const auto& v : FieldViolationsOf(s.status())) fields.push_back(v.field);
  EXPECT_THAT(fields, ::testing::ElementsAre("username", "role", "unit_id", "password"));
  a = Valid("ok.name");
  a.password = "short";
  EXPECT_THAT(registry_->Create(admin_, a), StatusIs(absl::StatusCode::kInvalidArgument));
  a = Valid("Bad Name");
  EXPECT_THAT(registry_->Create(admin_, a), StatusIs(absl::StatusCode::kInvalidArgument));
  a = Valid("ok.name");
  a.role = 9;
  EXPECT_THAT(registry_->Create(admin_, a), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AccountRegistryTest, DuplicateUsernameIsAlreadyExists) {
  EXPECT_THAT(registry_->Create(admin_, Valid("counselor")),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

TEST_F(AccountRegistryTest, DisableAndResetAndUnlock) {
  ASSERT_OK_AND_ASSIGN(AccountView d, registry_->Disable(admin_, "counselor"));
  EXPECT_TRUE(d.disabled);
  EXPECT_THAT(registry_->Disable(admin_, "admin"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(registry_->Disable(admin_, "nobody"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(registry_->ResetPassword(admin_, "counselor", "short"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(registry_->ResetPassword(admin_, "counselor", "another long password").status());
  EXPECT_OK(registry_->Unlock(admin_, "counselor").status());
}

}  // namespace
}  // namespace casevault::domain
