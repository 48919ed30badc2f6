// CoordinationRepository::FindSteps (schema v3): the steps of the cases a
// viewer sees, by (due_date, id), narrowed and paged.
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
constexpr int64_t kOther = 20;

class FindStepsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MustWrite([](Transaction& txn) -> absl::Status {
      // own: the viewer's. part: the viewer participates. s1: reached by
      // the school route only. s2: unseen. recused: s1, viewer implicated.
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("own", "s9", kViewer, 1)));
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("part", "s9", kOther, 2)));
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("s1", "s1", kOther, 3)));
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("s2", "s2", kOther, 4)));
      RETURN_IF_ERROR(
          txn.cases().Insert(MakeCase("recused", "s1", kViewer, 5)));
      RETURN_IF_ERROR(txn.cases().AddMember(
          MakeMember("part", kViewer, MemberKind::kParticipant)));
      RETURN_IF_ERROR(txn.cases().AddMember(
          MakeMember("recused", kViewer, MemberKind::kImplicated)));
      CoordinationRepository& steps = txn.coordination();
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("own-1", "own", "2024-10-05", 1)));
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("own-2", "own", "2024-10-01", 3)));
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("part-1", "part", "2024-10-03", 2)));
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("s1-b", "s1", "2024-10-03", 1)));
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("s1-a", "s1", "2024-10-03", 4)));
      RETURN_IF_ERROR(
          steps.InsertStep(MakeStep("s2-1", "s2", "2024-09-01", 1)));
      return steps.InsertStep(
          MakeStep("recused-1", "recused", "2024-09-01", 1));
    });
  }
  absl::StatusOr<std::vector<StepRecord>> Find(const StepFilter& filter) {
    return Query(
        [&](Transaction& txn) { return txn.coordination().FindSteps(filter); });
  }
  std::vector<std::string> Ids(const StepFilter& filter) {
    std::vector<std::string> ids;
    auto found = Find(filter);
    EXPECT_OK(found.status());
    if (found.ok()) {
      for (const auto& s : *found) ids.push_back(s.id);
    }
    return ids;
  }
  static StepFilter Viewer() {
    StepFilter f;
    f.viewer_id = kViewer;
    return f;
  }
  static StepFilter S1Route() {
    StepFilter f = Viewer();
    CaseRoute school;
    school.school_id = "s1";
    f.routes.push_back(school);
    return f;
  }
};

TEST_F(FindStepsTest, MembershipOnlyByDueThenId) {
  EXPECT_THAT(Ids(Viewer()), ElementsAre("own-2", "part-1", "own-1"));
}

TEST_F(FindStepsTest, RoutesAddCasesButNeverAnImplicatedOne) {
  // s1-a and s1-b share a due date: the id breaks the tie. recused matches
  // the route and is the viewer's own, but the viewer is implicated.
  EXPECT_THAT(Ids(S1Route()),
              ElementsAre("own-2", "part-1", "s1-a", "s1-b", "own-1"));
  StepFilter other = S1Route();
  other.viewer_id = kOther;
  EXPECT_THAT(Ids(other),
              ElementsAre("recused-1", "s2-1", "part-1", "s1-a", "s1-b"));
}

TEST_F(FindStepsTest, CaseIdNarrowsWithinTheVisibleCases) {
  StepFilter one = S1Route();
  one.case_id = "s1";
  EXPECT_THAT(Ids(one), ElementsAre("s1-a", "s1-b"));
  one.case_id = "s2";  // exists, not visible
  EXPECT_THAT(Ids(one), IsEmpty());
  one.case_id = "recused";
  EXPECT_THAT(Ids(one), IsEmpty());
  one.case_id = "nope";
  EXPECT_THAT(Ids(one), IsEmpty());
}

TEST_F(FindStepsTest, OverdueIsOpenAndStrictlyBefore) {
  StepFilter overdue = S1Route();
  overdue.overdue_before = "2024-10-05";
  // own-2 is done, s1-a cancelled, own-1 due on the day itself.
  EXPECT_THAT(Ids(overdue), ElementsAre("part-1", "s1-b"));
  overdue.overdue_before = "2024-10-03";
  EXPECT_THAT(Ids(overdue), IsEmpty());
  overdue.overdue_before = "2024-10-06";
  overdue.case_id = "own";
  EXPECT_THAT(Ids(overdue), ElementsAre("own-1"));
}

TEST_F(FindStepsTest, KeysetPaginationVisitsEveryStepOnce) {
  std::vector<std::string> seen;
  StepFilter page = S1Route();
  page.limit = 2;
  // Bounded, so a cursor that fails to advance fails instead of hanging.
  for (int pages = 0; pages < 10; ++pages) {
    ASSERT_OK_AND_ASSIGN(std::vector<StepRecord> steps, Find(page));
    if (steps.empty()) break;
    ASSERT_LE(steps.size(), 2u);
    for (const auto& s : steps) seen.push_back(s.id);
    page.after = std::make_pair(steps.back().due_date, steps.back().id);
  }
  EXPECT_THAT(seen, ElementsAre("own-2", "part-1", "s1-a", "s1-b", "own-1"));

  StepFilter after = S1Route();
  after.after = std::make_pair(std::string("2024-10-03"), std::string("s1-a"));
  EXPECT_THAT(Ids(after), ElementsAre("s1-b", "own-1"));
}

TEST_F(FindStepsTest, LimitsAndViewer) {
  StepFilter none = S1Route();
  none.limit = 0;
  EXPECT_THAT(Ids(none), IsEmpty());
  StepFilter negative = S1Route();
  negative.limit = -1;
  EXPECT_THAT(Find(negative), StatusIs(absl::StatusCode::kInvalidArgument));
  StepFilter nobody = S1Route();
  nobody.viewer_id = 0;
  EXPECT_THAT(Find(nobody), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(FindStepsTest, ReturnsWholeRecords) {
  StepFilter one = Viewer();
  one.case_id = "part";
  ASSERT_OK_AND_ASSIGN(std::vector<StepRecord> steps, Find(one));
  ASSERT_EQ(steps.size(), 1u);
  const StepRecord want = MakeStep("part-1", "part", "2024-10-03", 2);
  EXPECT_EQ(steps[0].case_id, "part");
  EXPECT_EQ(steps[0].kind, want.kind);
  EXPECT_EQ(steps[0].environment, want.environment);
  EXPECT_EQ(steps[0].status, 2);
  EXPECT_EQ(steps[0].owner_id, want.owner_id);
  EXPECT_EQ(steps[0].sealed_outcome, want.sealed_outcome);
  EXPECT_EQ(steps[0].version, want.version);
}

}  // namespace
}  // namespace casevault::storage::testing
