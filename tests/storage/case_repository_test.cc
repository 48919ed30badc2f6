#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::ElementsAre;

class CaseRepositoryTest : public StoreTest {
 protected:
  absl::Status Insert(const CaseRecord& c) {
    return store_->Write(
        [&](Transaction& txn) { return txn.cases().Insert(c); });
  }
  absl::StatusOr<CaseRecord> Find(const std::string& id) {
    absl::StatusOr<CaseRecord> out;
    absl::Status status = store_->Read([&](Transaction& txn) {
      out = txn.cases().Find(id);
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return out;
  }
};

TEST_F(CaseRepositoryTest, InsertAndFindRoundTripEveryField) {
  CaseRecord c = MakeCase("c1", "trường THCS Lê Lợi", 7, 1234, 3, 2);
  c.kek_version = 4000000000u;  // above INT32_MAX
  c.escalation = 2;
  c.escalation_reason = 5;
  c.staff_involved = true;
  c.victim_minor = true;
  c.principal_recused = true;
  c.pending_owner_id = 8;
  c.closure_reason = 4;
  c.closure_pending = true;
  c.sealed_closure_note = std::string("closure\0note", 12);
  ASSERT_OK(Insert(c));
  ASSERT_OK_AND_ASSIGN(CaseRecord found, Find("c1"));
  EXPECT_EQ(found.id, c.id);
  EXPECT_EQ(found.school_id, c.school_id);
  EXPECT_EQ(found.owner_id, c.owner_id);
  EXPECT_EQ(found.incident_type, c.incident_type);
  EXPECT_EQ(found.context, c.context);
  EXPECT_EQ(found.severity, c.severity);
  EXPECT_EQ(found.reporter_type, c.reporter_type);
  EXPECT_EQ(found.status, c.status);
  EXPECT_EQ(found.incident_date, c.incident_date);
  EXPECT_EQ(found.created_at, c.created_at);
  EXPECT_EQ(found.updated_at, c.updated_at);
  EXPECT_EQ(found.version, c.version);
  EXPECT_EQ(found.kek_version, c.kek_version);
  EXPECT_EQ(found.wrapped_dek, c.wrapped_dek);
  EXPECT_EQ(found.sealed_people, c.sealed_people);
  EXPECT_EQ(found.sealed_place, c.sealed_place);
  EXPECT_EQ(found.sealed_narrative, c.sealed_narrative);
  EXPECT_EQ(found.escalation, 2);
  EXPECT_EQ(found.escalation_reason, 5);
  EXPECT_TRUE(found.staff_involved);
  EXPECT_TRUE(found.victim_minor);
  EXPECT_TRUE(found.principal_recused);
  EXPECT_EQ(found.pending_owner_id, 8);
  EXPECT_EQ(found.closure_reason, 4);
  EXPECT_TRUE(found.closure_pending);
  EXPECT_EQ(found.sealed_closure_note, c.sealed_closure_note);
}

TEST_F(CaseRepositoryTest, RoutingFieldsDefaultToNone) {
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  ASSERT_OK_AND_ASSIGN(CaseRecord found, Find("c1"));
  EXPECT_EQ(found.escalation, 0);
  EXPECT_EQ(found.escalation_reason, 0);
  EXPECT_FALSE(found.staff_involved);
  EXPECT_FALSE(found.victim_minor);
  EXPECT_FALSE(found.principal_recused);
  EXPECT_EQ(found.pending_owner_id, 0);
  EXPECT_EQ(found.closure_reason, 0);
  EXPECT_FALSE(found.closure_pending);
  EXPECT_EQ(found.sealed_closure_note, "");
}

TEST_F(CaseRepositoryTest, EscalationOutsideItsLevelsIsRefused) {
  CaseRecord c = MakeCase("c1", "s", 1, 1);
  c.escalation = 3;  // records.h: 0 none, 1 principal, 2 district
  EXPECT_THAT(Insert(c), StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(Find("c1"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CaseRepositoryTest, EmptyBlobsStayEmptyNotNull) {
  CaseRecord c = MakeCase("c1", "s", 1, 1);
  c.sealed_place.clear();
  ASSERT_OK(Insert(c));
  ASSERT_OK_AND_ASSIGN(CaseRecord found, Find("c1"));
  EXPECT_EQ(found.sealed_place, "");
}

TEST_F(CaseRepositoryTest, DuplicateIdIsAlreadyExistsAndMissingIsNotFound) {
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  EXPECT_THAT(Insert(MakeCase("c1", "s", 2, 2)),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Find("nope"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CaseRepositoryTest, TouchSetsOnlyVersionAndUpdatedAt) {
  CaseRecord stored = MakeCase("c1", "s", 1, 1);
  ASSERT_OK(Insert(stored));
  auto touch = [&](const std::string& id, int64_t at, int64_t expected) {
    return store_->Write(
        [&](Transaction& txn) { return txn.cases().Touch(id, at, expected); });
  };
  ASSERT_OK(touch("c1", 77, stored.version));
  ASSERT_OK_AND_ASSIGN(CaseRecord found, Find("c1"));
  EXPECT_EQ(found.version, stored.version + 1);
  EXPECT_EQ(found.updated_at, 77);
  EXPECT_EQ(found.created_at, stored.created_at);
  EXPECT_EQ(found.sealed_narrative, stored.sealed_narrative);
  EXPECT_EQ(found.status, stored.status);
  EXPECT_THAT(touch("c1", 78, stored.version),  // stale
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(touch("nope", 78, 1), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(found, Find("c1"));
  EXPECT_EQ(found.updated_at, 77);
}

TEST_F(CaseRepositoryTest, UpdateChecksTheExpectedVersion) {
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  CaseRecord next = MakeCase("c1", "s", 1, 1, /*severity=*/4, /*status=*/1);
  next.version = 2;
  next.updated_at = 99;
  next.sealed_narrative = "rewritten";
  next.escalation = 1;
  next.escalation_reason = 2;
  next.staff_involved = true;
  next.victim_minor = true;
  next.principal_recused = true;
  next.pending_owner_id = 9;
  next.closure_reason = 3;
  next.closure_pending = true;
  next.sealed_closure_note = "closing";
  auto update = [&](const CaseRecord& record, int64_t expected) {
    return store_->Write(
        [&](Transaction& txn) { return txn.cases().Update(record, expected); });
  };
  ASSERT_OK(update(next, 1));
  ASSERT_OK_AND_ASSIGN(CaseRecord found, Find("c1"));
  EXPECT_EQ(found.version, 2);
  EXPECT_EQ(found.severity, 4);
  EXPECT_EQ(found.status, 1);
  EXPECT_EQ(found.updated_at, 99);
  EXPECT_EQ(found.sealed_narrative, "rewritten");
  EXPECT_EQ(found.escalation, 1);
  EXPECT_EQ(found.escalation_reason, 2);
  EXPECT_TRUE(found.staff_involved);
  EXPECT_TRUE(found.victim_minor);
  EXPECT_TRUE(found.principal_recused);
  EXPECT_EQ(found.pending_owner_id, 9);
  EXPECT_EQ(found.closure_reason, 3);
  EXPECT_TRUE(found.closure_pending);
  EXPECT_EQ(found.sealed_closure_note, "closing");

  // A second writer that still holds version 1 loses.
  CaseRecord stale = next;
  stale.sealed_narrative = "stale";
  EXPECT_THAT(update(stale, 1), StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(found, Find("c1"));
  EXPECT_EQ(found.sealed_narrative, "rewritten");

  CaseRecord missing = MakeCase("nope", "s", 1, 1);
  EXPECT_THAT(update(missing, 1), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CaseRepositoryTest, CountCountsCases) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(Insert(MakeCase("c" + std::to_string(i), "s", 1, i)));
  }
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.cases().Count(), IsOkAndHolds(int64_t{3}));
    return absl::OkStatus();
  }));
}

TEST_F(CaseRepositoryTest, NotesAreListedOldestFirst) {
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  ASSERT_OK(Insert(MakeCase("c2", "s", 1, 1)));
  MustWrite([](Transaction& txn) -> absl::Status {
    // Inserted out of time order; n2 and n3 share a millisecond.
    for (const NoteRecord& n :
         {MakeNote("n4", "c1", 40), MakeNote("n2", "c1", 20),
          MakeNote("n3", "c1", 20), MakeNote("n1", "c1", 10),
          MakeNote("other", "c2", 5)}) {
      absl::Status s = txn.cases().InsertNote(n);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  std::vector<NoteRecord> notes;
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    auto listed = txn.cases().ListNotes("c1");
    if (listed.ok()) notes = *listed;
    return listed.status();
  }));
  std::vector<std::string> ids;
  for (const auto& n : notes) ids.push_back(n.id);
  EXPECT_THAT(ids, ElementsAre("n1", "n2", "n3", "n4"));
  EXPECT_EQ(notes[0].case_id, "c1");
  EXPECT_EQ(notes[0].author_id, 1);
  EXPECT_EQ(notes[0].created_at, 10);
  EXPECT_EQ(notes[0].sealed_text, "sealed-n1");
}

TEST_F(CaseRepositoryTest, NoteForMissingCaseIsNotFound) {
  EXPECT_THAT(store_->Write([](Transaction& txn) {
    return txn.cases().InsertNote(MakeNote("n1", "nope", 1));
  }),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  MustWrite([](Transaction& txn) {
    return txn.cases().InsertNote(MakeNote("n1", "c1", 1));
  });
  EXPECT_THAT(store_->Write([](Transaction& txn) {
    return txn.cases().InsertNote(MakeNote("n1", "c1", 2));
  }),
              StatusIs(absl::StatusCode::kAlreadyExists));
}

}  // namespace
}  // namespace casevault::storage::testing
