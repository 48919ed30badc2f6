// CaseRepository memberships (schema v3): participants and implicated.
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::IsEmpty;

constexpr MemberKind kParticipant = MemberKind::kParticipant;
constexpr MemberKind kImplicated = MemberKind::kImplicated;

class CaseMemberTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MustWrite([](Transaction& txn) -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("c1", "s", 1, 1)));
      return txn.cases().Insert(MakeCase("c2", "s", 1, 2));
    });
  }
  absl::Status Add(const CaseMemberRecord& m) {
    return store_->Write(
        [&](Transaction& txn) { return txn.cases().AddMember(m); });
  }
  absl::Status Remove(const std::string& case_id, int64_t account,
                      MemberKind kind) {
    return store_->Write([&](Transaction& txn) {
      return txn.cases().RemoveMember(case_id, account, kind);
    });
  }
  // (account, kind) of each membership of the case, in listed order.
  std::vector<std::pair<int64_t, MemberKind>> Members(
      const std::string& case_id) {
    std::vector<std::pair<int64_t, MemberKind>> out;
    auto listed = Query(
        [&](Transaction& txn) { return txn.cases().ListMembers(case_id); });
    EXPECT_OK(listed.status());
    if (listed.ok()) {
      for (const auto& m : *listed) out.emplace_back(m.account_id, m.kind);
    }
    return out;
  }
};

TEST_F(CaseMemberTest, AddedMembersAreListedOldestFirstWithEveryField) {
  ASSERT_OK(Add(MakeMember("c1", 30, kImplicated, /*added_at=*/20)));
  ASSERT_OK(Add(MakeMember("c1", 10, kParticipant, /*added_at=*/10)));
  ASSERT_OK(Add(MakeMember("c1", 20, kParticipant, /*added_at=*/20)));
  ASSERT_OK(Add(MakeMember("c2", 40, kParticipant, /*added_at=*/5)));
  using P = std::pair<int64_t, MemberKind>;
  // 30 and 20 share a millisecond: insertion order breaks the tie.
  EXPECT_THAT(Members("c1"),
              ::testing::ElementsAre(P{10, kParticipant}, P{30, kImplicated},
                                     P{20, kParticipant}));
  ASSERT_OK_AND_ASSIGN(auto listed, Query([](Transaction& txn) {
                         return txn.cases().ListMembers("c2");
                       }));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].case_id, "c2");
  EXPECT_EQ(listed[0].account_id, 40);
  EXPECT_EQ(listed[0].kind, kParticipant);
  EXPECT_EQ(listed[0].added_by, 1);
  EXPECT_EQ(listed[0].added_at, 5);
  EXPECT_THAT(Members("none"), IsEmpty());
}

TEST_F(CaseMemberTest, SameMembershipTwiceIsAlreadyExistsOtherKindIsNot) {
  ASSERT_OK(Add(MakeMember("c1", 10, kParticipant)));
  EXPECT_THAT(Add(MakeMember("c1", 10, kParticipant, 99)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  // Both kinds may coexist; implicated wins in every list (case_list_test).
  EXPECT_OK(Add(MakeMember("c1", 10, kImplicated)));
  EXPECT_OK(Add(MakeMember("c2", 10, kParticipant)));
  EXPECT_EQ(Members("c1").size(), 2u);
}

TEST_F(CaseMemberTest, MemberOfMissingCaseIsNotFound) {
  EXPECT_THAT(Add(MakeMember("nope", 10, kParticipant)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Members("nope"), IsEmpty());
}

TEST_F(CaseMemberTest, UnknownKindIsRefused) {
  EXPECT_THAT(Add(MakeMember("c1", 10, static_cast<MemberKind>(3))),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(Members("c1"), IsEmpty());
}

TEST_F(CaseMemberTest, RemoveTakesOnlyThatMembership) {
  ASSERT_OK(Add(MakeMember("c1", 10, kParticipant)));
  ASSERT_OK(Add(MakeMember("c1", 10, kImplicated)));
  ASSERT_OK(Add(MakeMember("c2", 10, kImplicated)));
  ASSERT_OK(Remove("c1", 10, kImplicated));
  using P = std::pair<int64_t, MemberKind>;
  EXPECT_THAT(Members("c1"), ::testing::ElementsAre(P{10, kParticipant}));
  EXPECT_THAT(Members("c2"), ::testing::ElementsAre(P{10, kImplicated}));
  EXPECT_THAT(Remove("c1", 10, kImplicated),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Remove("c1", 11, kParticipant),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Remove("nope", 10, kParticipant),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace casevault::storage::testing
