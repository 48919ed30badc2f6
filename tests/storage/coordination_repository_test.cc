// CoordinationRepository (schema v3): steps of one case, consent and
// overrides. FindSteps across cases is in find_steps_test.cc.
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

class CoordinationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    MustWrite([](Transaction& txn) -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("c1", "s", 1, 1)));
      return txn.cases().Insert(MakeCase("c2", "s", 1, 2));
    });
  }
  absl::Status Write(
      absl::FunctionRef<absl::Status(CoordinationRepository&)> fn) {
    return store_->Write(
        [&](Transaction& txn) { return fn(txn.coordination()); });
  }
  absl::StatusOr<StepRecord> FindStep(const std::string& id) {
    return Query(
        [&](Transaction& txn) { return txn.coordination().FindStep(id); });
  }
  absl::Status UpdateStep(const StepRecord& s, int64_t expected) {
    return Write(
        [&](CoordinationRepository& r) { return r.UpdateStep(s, expected); });
  }
  std::vector<std::string> StepIds(const std::string& case_id) {
    std::vector<std::string> ids;
    auto listed = Query([&](Transaction& txn) {
      return txn.coordination().ListSteps(case_id);
    });
    EXPECT_OK(listed.status());
    if (listed.ok()) {
      for (const auto& s : *listed) ids.push_back(s.id);
    }
    return ids;
  }
  absl::StatusOr<ConsentRecord> FindConsent(const std::string& id) {
    return Query(
        [&](Transaction& txn) { return txn.coordination().FindConsent(id); });
  }
  absl::Status Withdraw(const std::string& id, UnixMillis at, int64_t by) {
    return Write([&](CoordinationRepository& r) {
      return r.WithdrawConsent(id, at, by);
    });
  }
};

// --- Steps ------------------------------------------------------------------

TEST_F(CoordinationTest, StepRoundTripsEveryField) {
  StepRecord s = MakeStep("st1", "c1", "2024-10-01", 2, 3);
  s.kind = 35;
  s.owner_id = 0;
  s.sealed_external_party = std::string("hot\0line", 8);
  s.created_by = 4;
  s.created_at = 11;
  s.updated_at = 12;
  s.version = 3;
  ASSERT_OK(Write([&](CoordinationRepository& r) { return r.InsertStep(s); }));
  ASSERT_OK_AND_ASSIGN(StepRecord found, FindStep("st1"));
  EXPECT_EQ(found.id, "st1");
  EXPECT_EQ(found.case_id, "c1");
  EXPECT_EQ(found.kind, 35);
  EXPECT_EQ(found.environment, 3);
  EXPECT_EQ(found.status, 2);
  EXPECT_EQ(found.owner_id, 0);
  EXPECT_EQ(found.sealed_external_party, s.sealed_external_party);
  EXPECT_EQ(found.due_date, "2024-10-01");
  EXPECT_EQ(found.sealed_outcome, s.sealed_outcome);
  EXPECT_EQ(found.created_by, 4);
  EXPECT_EQ(found.created_at, 11);
  EXPECT_EQ(found.updated_at, 12);
  EXPECT_EQ(found.version, 3);
  EXPECT_THAT(FindStep("nope"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CoordinationTest, StepInsertErrors) {
  ASSERT_OK(Write([](CoordinationRepository& r) {
    return r.InsertStep(MakeStep("st1", "c1", "2024-10-01"));
  }));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertStep(MakeStep("st1", "c2", "2024-10-02"));
              }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertStep(MakeStep("st2", "nope", "2024-10-02"));
              }),
              StatusIs(absl::StatusCode::kNotFound));
  // records.h: environment 1..3, status 1..4.
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertStep(MakeStep("st3", "c1", "2024-10-02", 0));
              }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertStep(MakeStep("st4", "c1", "2024-10-02", 1, 4));
              }),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(StepIds("c1"), ElementsAre("st1"));
}

TEST_F(CoordinationTest, UpdateStepChecksVersionAndKeepsCreation) {
  StepRecord s = MakeStep("st1", "c1", "2024-10-01");
  ASSERT_OK(Write([&](CoordinationRepository& r) { return r.InsertStep(s); }));

  StepRecord next = s;
  next.case_id = "c2";     // ignored
  next.created_by = 9;     // ignored
  next.created_at = 9999;  // ignored
  next.kind = 22;
  next.environment = 2;
  next.status = 3;
  next.owner_id = 7;
  next.sealed_external_party = "party";
  next.due_date = "2024-11-01";
  next.sealed_outcome = "done well";
  next.updated_at = 800;
  next.version = 2;
  ASSERT_OK(UpdateStep(next, 1));
  ASSERT_OK_AND_ASSIGN(StepRecord found, FindStep("st1"));
  EXPECT_EQ(found.case_id, "c1");
  EXPECT_EQ(found.created_by, s.created_by);
  EXPECT_EQ(found.created_at, s.created_at);
  EXPECT_EQ(found.kind, 22);
  EXPECT_EQ(found.environment, 2);
  EXPECT_EQ(found.status, 3);
  EXPECT_EQ(found.owner_id, 7);
  EXPECT_EQ(found.sealed_external_party, "party");
  EXPECT_EQ(found.due_date, "2024-11-01");
  EXPECT_EQ(found.sealed_outcome, "done well");
  EXPECT_EQ(found.updated_at, 800);
  EXPECT_EQ(found.version, 2);

  // A writer still holding version 1 loses and changes nothing.
  StepRecord stale = next;
  stale.sealed_outcome = "stale";
  stale.version = 2;
  EXPECT_THAT(UpdateStep(stale, 1),
              StatusIs(absl::StatusCode::kAborted,
                       "the step was changed by someone else; reload it "
                       "and try again"));
  ASSERT_OK_AND_ASSIGN(found, FindStep("st1"));
  EXPECT_EQ(found.sealed_outcome, "done well");

  StepRecord missing = MakeStep("nope", "c1", "2024-10-01");
  EXPECT_THAT(UpdateStep(missing, 1), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CoordinationTest, ListStepsByDueThenCreatedThenId) {
  ASSERT_OK(Write([](CoordinationRepository& r) -> absl::Status {
    StepRecord late = MakeStep("a-late", "c1", "2024-12-01");
    StepRecord second = MakeStep("a-second", "c1", "2024-10-01");
    second.created_at = 20;
    StepRecord first = MakeStep("z-first", "c1", "2024-10-01");
    first.created_at = 10;
    StepRecord tie_b = MakeStep("b-tie", "c1", "2024-10-01");
    tie_b.created_at = 20;
    for (const StepRecord& s :
         {late, second, first, tie_b, MakeStep("other", "c2", "2024-01-01")}) {
      RETURN_IF_ERROR(r.InsertStep(s));
    }
    return absl::OkStatus();
  }));
  EXPECT_THAT(StepIds("c1"),
              ElementsAre("z-first", "a-second", "b-tie", "a-late"));
  EXPECT_THAT(StepIds("c2"), ElementsAre("other"));
  EXPECT_THAT(StepIds("nope"), IsEmpty());
}

// --- Consent
// ------------------------------------------------------------------

TEST_F(CoordinationTest, ConsentRoundTripsAndStartsInForce) {
  ConsentRecord c = MakeConsent("k1", "c1");
  ASSERT_OK(
      Write([&](CoordinationRepository& r) { return r.InsertConsent(c); }));
  ASSERT_OK_AND_ASSIGN(ConsentRecord found, FindConsent("k1"));
  EXPECT_EQ(found.id, "k1");
  EXPECT_EQ(found.case_id, "c1");
  EXPECT_EQ(found.purpose, c.purpose);
  EXPECT_EQ(found.service_kind, c.service_kind);
  EXPECT_EQ(found.given_by, c.given_by);
  EXPECT_EQ(found.child_assent, c.child_assent);
  EXPECT_EQ(found.given_on, c.given_on);
  EXPECT_EQ(found.recorded_by, c.recorded_by);
  EXPECT_EQ(found.recorded_at, c.recorded_at);
  EXPECT_EQ(found.withdrawn_at, 0);
  EXPECT_EQ(found.withdrawn_by, 0);
  EXPECT_THAT(FindConsent("nope"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CoordinationTest, ConsentInsertErrors) {
  ASSERT_OK(Write([](CoordinationRepository& r) {
    return r.InsertConsent(MakeConsent("k1", "c1"));
  }));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertConsent(MakeConsent("k1", "c2"));
              }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertConsent(MakeConsent("k2", "nope"));
              }),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(FindConsent("k2"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CoordinationTest, WithdrawOnceThenFailedPrecondition) {
  ASSERT_OK(Write([](CoordinationRepository& r) -> absl::Status {
    RETURN_IF_ERROR(r.InsertConsent(MakeConsent("k1", "c1")));
    return r.InsertConsent(MakeConsent("k2", "c1"));
  }));
  ASSERT_OK(Withdraw("k1", 900, 5));
  ASSERT_OK_AND_ASSIGN(ConsentRecord found, FindConsent("k1"));
  EXPECT_EQ(found.withdrawn_at, 900);
  EXPECT_EQ(found.withdrawn_by, 5);

  EXPECT_THAT(Withdraw("k1", 950, 6),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(found, FindConsent("k1"));
  EXPECT_EQ(found.withdrawn_at, 900);  // the first withdrawal stands
  EXPECT_EQ(found.withdrawn_by, 5);
  ASSERT_OK_AND_ASSIGN(found, FindConsent("k2"));
  EXPECT_EQ(found.withdrawn_at, 0);  // only that consent

  EXPECT_THAT(Withdraw("nope", 900, 5), StatusIs(absl::StatusCode::kNotFound));
  // 0 is "in force": a withdrawal at 0 would be lost.
  EXPECT_THAT(Withdraw("k2", 0, 5),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(found, FindConsent("k2"));
  EXPECT_EQ(found.withdrawn_at, 0);
}

TEST_F(CoordinationTest, ConsentsListedOldestFirst) {
  ASSERT_OK(Write([](CoordinationRepository& r) -> absl::Status {
    for (const ConsentRecord& c :
         {MakeConsent("k3", "c1", 30), MakeConsent("k2", "c1", 20),
          MakeConsent("k1", "c1", 20), MakeConsent("x", "c2", 10)}) {
      RETURN_IF_ERROR(r.InsertConsent(c));
    }
    return absl::OkStatus();
  }));
  ASSERT_OK_AND_ASSIGN(auto listed, Query([](Transaction& txn) {
                         return txn.coordination().ListConsents("c1");
                       }));
  std::vector<std::string> ids;
  for (const auto& c : listed) ids.push_back(c.id);
  // k2 and k1 share a millisecond: insertion order breaks the tie.
  EXPECT_THAT(ids, ElementsAre("k2", "k1", "k3"));
  EXPECT_EQ(listed[0].case_id, "c1");
}

// --- Overrides
// ----------------------------------------------------------------

TEST_F(CoordinationTest, OverridesRoundTripAndListOldestFirst) {
  ASSERT_OK(Write([](CoordinationRepository& r) -> absl::Status {
    for (const OverrideRecord& o :
         {MakeOverride("o3", "c1", 30), MakeOverride("o2", "c1", 20),
          MakeOverride("o1", "c1", 20), MakeOverride("x", "c2", 10)}) {
      RETURN_IF_ERROR(r.InsertOverride(o));
    }
    return absl::OkStatus();
  }));
  ASSERT_OK_AND_ASSIGN(auto listed, Query([](Transaction& txn) {
                         return txn.coordination().ListOverrides("c1");
                       }));
  std::vector<std::string> ids;
  for (const auto& o : listed) ids.push_back(o.id);
  EXPECT_THAT(ids, ElementsAre("o2", "o1", "o3"));
  const OverrideRecord want = MakeOverride("o2", "c1", 20);
  EXPECT_EQ(listed[0].case_id, "c1");
  EXPECT_EQ(listed[0].purpose, want.purpose);
  EXPECT_EQ(listed[0].service_kind, want.service_kind);
  EXPECT_EQ(listed[0].reason, want.reason);
  EXPECT_EQ(listed[0].recorded_by, want.recorded_by);
  EXPECT_EQ(listed[0].recorded_at, 20);
}

TEST_F(CoordinationTest, OverrideInsertErrors) {
  ASSERT_OK(Write([](CoordinationRepository& r) {
    return r.InsertOverride(MakeOverride("o1", "c1"));
  }));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertOverride(MakeOverride("o1", "c2"));
              }),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Write([](CoordinationRepository& r) {
                return r.InsertOverride(MakeOverride("o2", "nope"));
              }),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto listed, Query([](Transaction& txn) {
                         return txn.coordination().ListOverrides("nope");
                       }));
  EXPECT_THAT(listed, IsEmpty());
}

}  // namespace
}  // namespace casevault::storage::testing
