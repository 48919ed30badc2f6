// CaseRepository::List with a CaseFilter (schema v3): visibility by
// membership and routes, recusal, narrowings, order and cursor.
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kViewer = 10;
constexpr int64_t kOther = 20;  // owns every case not the viewer's

class CaseListTest : public StoreTest {
 protected:
  absl::Status Insert(const CaseRecord& c) {
    return store_->Write(
        [&](Transaction& txn) { return txn.cases().Insert(c); });
  }
  absl::Status AddMember(const std::string& case_id, int64_t account,
                         MemberKind kind) {
    return store_->Write([&](Transaction& txn) {
      return txn.cases().AddMember(MakeMember(case_id, account, kind));
    });
  }
  absl::Status AddStep(const StepRecord& s) {
    return store_->Write(
        [&](Transaction& txn) { return txn.coordination().InsertStep(s); });
  }
  absl::StatusOr<std::vector<CaseRecord>> List(const CaseFilter& filter) {
    return Query([&](Transaction& txn) { return txn.cases().List(filter); });
  }
  // Ids of the cases List() returns, newest first.
  std::vector<std::string> Ids(const CaseFilter& filter) {
    std::vector<std::string> ids;
    auto listed = List(filter);
    EXPECT_OK(listed.status());
    if (listed.ok()) {
      for (const auto& c : *listed) ids.push_back(c.id);
    }
    return ids;
  }
  static CaseFilter Viewer(int64_t viewer = kViewer) {
    CaseFilter f;
    f.viewer_id = viewer;
    return f;
  }
  static CaseFilter WithRoute(const CaseRoute& route) {
    CaseFilter f = Viewer();
    f.routes.push_back(route);
    return f;
  }
  static CaseRoute School(const std::string& school) {
    CaseRoute r;
    r.school_id = school;
    return r;
  }
};

// --- Membership -----------------------------------------------------------

class CaseMembershipTest : public CaseListTest {
 protected:
  void SetUp() override {
    CaseListTest::SetUp();
    ASSERT_OK(Insert(MakeCase("own", "s1", kViewer, 100)));
    CaseRecord pending = MakeCase("pending", "s2", kOther, 200);
    pending.pending_owner_id = kViewer;
    ASSERT_OK(Insert(pending));
    ASSERT_OK(Insert(MakeCase("part", "s2", kOther, 300)));
    ASSERT_OK(AddMember("part", kViewer, MemberKind::kParticipant));
    ASSERT_OK(Insert(MakeCase("other", "s1", kOther, 400)));
    // Someone else's participation grants the viewer nothing.
    ASSERT_OK(AddMember("other", kViewer + 1, MemberKind::kParticipant));
  }
};

TEST_F(CaseMembershipTest, OwnerPendingOwnerAndParticipantMatch) {
  EXPECT_THAT(Ids(Viewer()), ElementsAre("part", "pending", "own"));
  EXPECT_THAT(Ids(Viewer(kOther)), ElementsAre("other", "part", "pending"));
  EXPECT_THAT(Ids(Viewer(kViewer + 1)), ElementsAre("other"));
  EXPECT_THAT(Ids(Viewer(99)), IsEmpty());
}

TEST_F(CaseMembershipTest, AViewerIsRequired) {
  for (int64_t viewer : {int64_t{0}, int64_t{-1}}) {
    // 0 is "no pending owner": it must not match every such case.
    CaseFilter f = WithRoute(School("s1"));
    f.viewer_id = viewer;
    EXPECT_THAT(List(f), StatusIs(absl::StatusCode::kInvalidArgument));
  }
}

// --- Recusal ----------------------------------------------------------------

TEST_F(CaseListTest, ImplicatedViewerNeverSeesTheCase) {
  // Every grant at once: owner, pending owner, participant, and routes.
  CaseRecord c = MakeCase("c", "s1", kViewer, 100, 3);
  c.pending_owner_id = kViewer;
  c.escalation = 2;
  c.staff_involved = true;
  c.principal_recused = true;
  ASSERT_OK(Insert(c));
  ASSERT_OK(Insert(MakeCase("d", "s1", kViewer, 200)));
  ASSERT_OK(AddMember("c", kViewer, MemberKind::kParticipant));
  CaseFilter all = Viewer();
  all.routes = {School("s1"), CaseRoute{}};
  all.routes[1].min_escalation = 1;
  all.routes.push_back(CaseRoute{});  // matches every case
  EXPECT_THAT(Ids(all), ElementsAre("d", "c"));

  ASSERT_OK(AddMember("c", kViewer, MemberKind::kImplicated));
  EXPECT_THAT(Ids(all), ElementsAre("d"));
  EXPECT_THAT(Ids(Viewer()), ElementsAre("d"));
  // Another account, not implicated, still reaches it by the same routes.
  CaseFilter other = all;
  other.viewer_id = kOther;
  EXPECT_THAT(Ids(other), ElementsAre("d", "c"));
}

TEST_F(CaseListTest, ImplicatedElsewhereHidesOnlyThatCase) {
  ASSERT_OK(Insert(MakeCase("a", "s1", kOther, 100)));
  ASSERT_OK(Insert(MakeCase("b", "s1", kOther, 200)));
  ASSERT_OK(AddMember("a", kViewer, MemberKind::kImplicated));
  ASSERT_OK(AddMember("b", kViewer + 1, MemberKind::kImplicated));
  EXPECT_THAT(Ids(WithRoute(School("s1"))), ElementsAre("b"));
}

// --- Routes
// -------------------------------------------------------------------

class CaseRouteTest : public CaseListTest {
 protected:
  void SetUp() override {
    CaseListTest::SetUp();
    // None is the viewer's; each differs from "plain" in one column.
    ASSERT_OK(Insert(MakeCase("plain", "s1", kOther, 100)));
    ASSERT_OK(Insert(MakeCase("school2", "s2", kOther, 200)));
    CaseRecord principal = MakeCase("principal", "s1", kOther, 300);
    principal.escalation = 1;
    ASSERT_OK(Insert(principal));
    CaseRecord district = MakeCase("district", "s2", kOther, 400);
    district.escalation = 2;
    ASSERT_OK(Insert(district));
    CaseRecord staff = MakeCase("staff", "s2", kOther, 500);
    staff.staff_involved = true;
    ASSERT_OK(Insert(staff));
    CaseRecord recused = MakeCase("recused", "s1", kOther, 600);
    recused.principal_recused = true;
    ASSERT_OK(Insert(recused));
  }
};

TEST_F(CaseRouteTest, NoRoutesNoCases) {
  EXPECT_THAT(Ids(Viewer()), IsEmpty());
}

TEST_F(CaseRouteTest, SchoolClause) {
  EXPECT_THAT(Ids(WithRoute(School("s1"))),
              ElementsAre("recused", "principal", "plain"));
  EXPECT_THAT(Ids(WithRoute(School("s3"))), IsEmpty());
}

TEST_F(CaseRouteTest, MinEscalationClauseIsAtLeast) {
  CaseRoute one;
  one.min_escalation = 1;
  EXPECT_THAT(Ids(WithRoute(one)), ElementsAre("district", "principal"));
  CaseRoute two;
  two.min_escalation = 2;
  EXPECT_THAT(Ids(WithRoute(two)), ElementsAre("district"));
  CaseRoute zero;  // set to 0: every case
  zero.min_escalation = 0;
  EXPECT_EQ(Ids(WithRoute(zero)).size(), 6u);
}

TEST_F(CaseRouteTest, FlagClauses) {
  CaseRoute staff;
  staff.staff_involved = true;
  EXPECT_THAT(Ids(WithRoute(staff)), ElementsAre("staff"));
  CaseRoute recused;
  recused.principal_recused = true;
  EXPECT_THAT(Ids(WithRoute(recused)), ElementsAre("recused"));
}

TEST_F(CaseRouteTest, ConditionsOfAClauseAreAndedClausesAreOred) {
  CaseRoute s1_escalated = School("s1");
  s1_escalated.min_escalation = 1;
  EXPECT_THAT(Ids(WithRoute(s1_escalated)), ElementsAre("principal"));
  CaseRoute s1_staff = School("s1");
  s1_staff.staff_involved = true;
  EXPECT_THAT(Ids(WithRoute(s1_staff)), IsEmpty());

  CaseFilter either = WithRoute(s1_escalated);
  CaseRoute staff;
  staff.staff_involved = true;
  either.routes.push_back(staff);
  EXPECT_THAT(Ids(either), ElementsAre("staff", "principal"));
}

TEST_F(CaseRouteTest, AClauseWithNothingSetMatchesEveryCase) {
  EXPECT_EQ(Ids(WithRoute(CaseRoute{})).size(), 6u);
}

TEST_F(CaseRouteTest, MembershipAndRoutesCombine) {
  ASSERT_OK(Insert(MakeCase("mine", "s9", kViewer, 50)));
  CaseRoute staff;
  staff.staff_involved = true;
  EXPECT_THAT(Ids(WithRoute(staff)), ElementsAre("staff", "mine"));
}

TEST_F(CaseRouteTest, ValuesAreBoundNotSpliced) {
  EXPECT_THAT(Ids(WithRoute(School("s1' OR '1' = '1"))), IsEmpty());
  ASSERT_OK(Insert(MakeCase("quoted", "it's", kOther, 700)));
  EXPECT_THAT(Ids(WithRoute(School("it's"))), ElementsAre("quoted"));
}

TEST_F(CaseRouteTest, TooManyRoutesIsInvalid) {
  CaseFilter eight = Viewer();
  eight.routes.assign(8, School("s2"));
  EXPECT_THAT(Ids(eight), ElementsAre("staff", "district", "school2"));
  CaseFilter nine = eight;
  nine.routes.push_back(School("s2"));
  EXPECT_THAT(List(nine), StatusIs(absl::StatusCode::kInvalidArgument));
}

// --- Narrowings -----------------------------------------------------------

class CaseNarrowingTest : public CaseListTest {
 protected:
  void SetUp() override {
    CaseListTest::SetUp();
    //                          id  school owner   created sev status
    ASSERT_OK(Insert(MakeCase("a", "s1", kOther, 100, 1, 1)));
    ASSERT_OK(Insert(MakeCase("b", "s1", kOther, 200, 3, 1)));
    ASSERT_OK(Insert(MakeCase("c", "s1", kViewer, 300, 3, 2)));
    ASSERT_OK(Insert(MakeCase("d", "s2", kOther, 400, 3, 1)));  // unseen
  }
  static CaseFilter S1() { return WithRoute(School("s1")); }
};

TEST_F(CaseNarrowingTest, StatusAndSeverity) {
  CaseFilter open = S1();
  open.status = 1;
  EXPECT_THAT(Ids(open), ElementsAre("b", "a"));
  CaseFilter high = S1();
  high.severity = 3;
  EXPECT_THAT(Ids(high), ElementsAre("c", "b"));
  CaseFilter both = high;
  both.status = 2;
  EXPECT_THAT(Ids(both), ElementsAre("c"));
  // Narrowings apply to the viewer's own cases too.
  CaseFilter own = Viewer();
  own.status = 1;
  EXPECT_THAT(Ids(own), IsEmpty());
}

TEST_F(CaseNarrowingTest, OverdueBeforeCountsOnlyOpenStepsStrictlyBefore) {
  ASSERT_OK(AddStep(MakeStep("a-planned", "a", "2024-10-01", 1)));
  ASSERT_OK(AddStep(MakeStep("b-progress", "b", "2024-10-09", 2)));
  ASSERT_OK(AddStep(MakeStep("c-done", "c", "2024-09-01", 3)));
  ASSERT_OK(AddStep(MakeStep("c-cancelled", "c", "2024-09-01", 4)));
  ASSERT_OK(AddStep(MakeStep("c-due-today", "c", "2024-10-10", 1)));
  ASSERT_OK(AddStep(MakeStep("d-planned", "d", "2024-01-01", 1)));
  CaseFilter overdue = S1();
  overdue.overdue_before = "2024-10-10";
  EXPECT_THAT(Ids(overdue), ElementsAre("b", "a"));
  overdue.overdue_before = "2024-10-09";
  EXPECT_THAT(Ids(overdue), ElementsAre("a"));
  overdue.overdue_before = "2024-10-11";
  EXPECT_THAT(Ids(overdue), ElementsAre("c", "b", "a"));
}

TEST_F(CaseNarrowingTest, EnvironmentNeedsAStepThere) {
  ASSERT_OK(AddStep(MakeStep("a-school", "a", "2024-10-01", 1, 1)));
  ASSERT_OK(AddStep(MakeStep("b-family", "b", "2024-10-01", 3, 2)));
  ASSERT_OK(AddStep(MakeStep("c-society", "c", "2024-10-01", 1, 3)));
  ASSERT_OK(AddStep(MakeStep("c-family", "c", "2024-10-01", 1, 2)));
  ASSERT_OK(AddStep(MakeStep("d-family", "d", "2024-10-01", 1, 2)));
  CaseFilter family = S1();
  family.environment = 2;
  EXPECT_THAT(Ids(family), ElementsAre("c", "b"));
  family.overdue_before = "2024-12-01";  // b's family step is done
  EXPECT_THAT(Ids(family), ElementsAre("c"));
  CaseFilter school = S1();
  school.environment = 1;
  EXPECT_THAT(Ids(school), ElementsAre("a"));
}

// --- Order, cursor, limit
// -----------------------------------------------------

class CasePagingTest : public CaseListTest {
 protected:
  void SetUp() override {
    CaseListTest::SetUp();
    ASSERT_OK(Insert(MakeCase("a", "s1", kOther, 100)));
    ASSERT_OK(Insert(MakeCase("b", "s1", kOther, 200)));
    ASSERT_OK(Insert(MakeCase("c", "s1", kViewer, 200)));  // ties with b
    ASSERT_OK(Insert(MakeCase("d", "s1", kOther, 300)));
    ASSERT_OK(Insert(MakeCase("e", "s2", kOther, 400)));  // unseen
  }
  static CaseFilter S1() { return WithRoute(School("s1")); }
};

TEST_F(CasePagingTest, NewestFirstWithIdBreakingTies) {
  EXPECT_THAT(Ids(S1()), ElementsAre("d", "c", "b", "a"));
}

TEST_F(CasePagingTest, KeysetPaginationVisitsEveryCaseOnce) {
  std::vector<std::string> seen;
  CaseFilter page = S1();
  page.limit = 1;
  // Bounded, so a cursor that fails to advance fails instead of hanging.
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_OK_AND_ASSIGN(std::vector<CaseRecord> cases, List(page));
    if (cases.empty()) break;
    ASSERT_EQ(cases.size(), 1u);
    seen.push_back(cases[0].id);
    page.after = std::make_pair(cases[0].created_at, cases[0].id);
  }
  EXPECT_THAT(seen, ElementsAre("d", "c", "b", "a"));

  CaseFilter after_c = S1();
  after_c.after = std::make_pair(UnixMillis{200}, std::string("c"));
  EXPECT_THAT(Ids(after_c), ElementsAre("b", "a"));
  // The cursor combines with the other conditions.
  CaseFilter own_after_d = Viewer();
  own_after_d.after = std::make_pair(UnixMillis{300}, std::string("d"));
  EXPECT_THAT(Ids(own_after_d), ElementsAre("c"));
  own_after_d.after = std::make_pair(UnixMillis{200}, std::string("c"));
  EXPECT_THAT(Ids(own_after_d), IsEmpty());
}

TEST_F(CasePagingTest, Limits) {
  CaseFilter two = S1();
  two.limit = 2;
  EXPECT_THAT(Ids(two), ElementsAre("d", "c"));
  CaseFilter none = S1();
  none.limit = 0;
  EXPECT_THAT(Ids(none), IsEmpty());
  CaseFilter negative = S1();
  negative.limit = -1;
  EXPECT_THAT(List(negative), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace casevault::storage::testing
