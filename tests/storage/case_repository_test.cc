#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

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
  // Ids of the cases List() returns.
  std::vector<std::string> ListIds(const CaseFilter& filter) {
    std::vector<std::string> ids;
    EXPECT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto listed = txn.cases().List(filter);
      if (!listed.ok()) return listed.status();
      for (const auto& c : *listed) ids.push_back(c.id);
      return absl::OkStatus();
    }));
    return ids;
  }
};

TEST_F(CaseRepositoryTest, InsertAndFindRoundTripEveryField) {
  CaseRecord c = MakeCase("c1", "trường THCS Lê Lợi", 7, 1234, 3, 2);
  c.kek_version = 4000000000u;  // above INT32_MAX
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

TEST_F(CaseRepositoryTest, UpdateChecksTheExpectedVersion) {
  ASSERT_OK(Insert(MakeCase("c1", "s", 1, 1)));
  CaseRecord next = MakeCase("c1", "s", 1, 1, /*severity=*/4, /*status=*/1);
  next.version = 2;
  next.updated_at = 99;
  next.sealed_narrative = "rewritten";
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

class CaseListTest : public CaseRepositoryTest {
 protected:
  void SetUp() override {
    CaseRepositoryTest::SetUp();
    //                   id    school owner created sev status
    ASSERT_OK(Insert(MakeCase("a", "s1", 1, 100, 1, 0)));
    ASSERT_OK(Insert(MakeCase("b", "s1", 2, 200, 3, 0)));
    ASSERT_OK(Insert(MakeCase("c", "s1", 1, 200, 2, 1)));  // ties with b
    ASSERT_OK(Insert(MakeCase("d", "s1", 2, 300, 1, 1)));
    ASSERT_OK(Insert(MakeCase("e", "s2", 1, 400, 3, 0)));  // other school
  }
  static CaseFilter School(const std::string& school) {
    CaseFilter f;
    f.school_id = school;
    return f;
  }
};

TEST_F(CaseListTest, NewestFirstWithIdBreakingTies) {
  EXPECT_THAT(ListIds(School("s1")), ElementsAre("d", "c", "b", "a"));
  EXPECT_THAT(ListIds(School("s2")), ElementsAre("e"));
  EXPECT_THAT(ListIds(School("nowhere")), IsEmpty());
}

TEST_F(CaseListTest, OwnerAndSeverityFilters) {
  CaseFilter owner = School("s1");
  owner.owner_id = 1;
  EXPECT_THAT(ListIds(owner), ElementsAre("c", "a"));

  CaseFilter severe = School("s1");
  severe.min_severity = 2;
  EXPECT_THAT(ListIds(severe), ElementsAre("c", "b"));

  // Owned by 2, or severity >= 2.
  CaseFilter either = School("s1");
  either.owner_id = 2;
  either.min_severity = 2;
  EXPECT_THAT(ListIds(either), ElementsAre("d", "c", "b"));
}

TEST_F(CaseListTest, StatusFilter) {
  CaseFilter open = School("s1");
  open.status = 0;
  EXPECT_THAT(ListIds(open), ElementsAre("b", "a"));
  CaseFilter owned_done = School("s1");
  owned_done.status = 1;
  owned_done.owner_id = 1;
  EXPECT_THAT(ListIds(owned_done), ElementsAre("c"));
}

TEST_F(CaseListTest, KeysetPaginationVisitsEveryCaseOnce) {
  std::vector<std::string> seen;
  CaseFilter page = School("s1");
  page.limit = 1;
  while (true) {
    std::vector<CaseRecord> cases;
    ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto listed = txn.cases().List(page);
      if (listed.ok()) cases = *listed;
      return listed.status();
    }));
    if (cases.empty()) break;
    ASSERT_EQ(cases.size(), 1u);
    seen.push_back(cases[0].id);
    page.after = std::make_pair(cases[0].created_at, cases[0].id);
  }
  EXPECT_THAT(seen, ElementsAre("d", "c", "b", "a"));

  CaseFilter after_c = School("s1");
  after_c.after = std::make_pair(UnixMillis{200}, std::string("c"));
  EXPECT_THAT(ListIds(after_c), ElementsAre("b", "a"));
}

TEST_F(CaseListTest, Limits) {
  CaseFilter two = School("s1");
  two.limit = 2;
  EXPECT_THAT(ListIds(two), ElementsAre("d", "c"));
  CaseFilter none = School("s1");
  none.limit = 0;
  EXPECT_THAT(ListIds(none), IsEmpty());
  CaseFilter negative = School("s1");
  negative.limit = -1;
  EXPECT_THAT(store_->Read([&](Transaction& txn) {
    return txn.cases().List(negative).status();
  }),
              StatusIs(absl::StatusCode::kInvalidArgument));
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
