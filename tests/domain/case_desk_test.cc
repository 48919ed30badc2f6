#include "domain/case_desk.h"

#include "common/field_violation.h"
#include "domain_fixture.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

NewCase SampleCase(int32_t severity = 2) {
  NewCase c;
  c.incident_type = 6;
  c.context = 1;
  c.severity = severity;
  c.incident_date = "2026-11-20";
  c.place = "Nhà vệ sinh tầng 2";
  c.reporter_type = 2;
  c.victim.name = "Nguyễn Thị Hồng Nhung";
  c.victim.gender = 1;
  c.victim.birth_year = 2012;
  c.victim.class_or_job = "7A";
  c.perpetrator.relation = 1;
  c.perpetrator.name = "Trần Văn Bình";
  c.narrative = "Em bị bạn cùng lớp đe dọa nhiều lần.\nEm sợ đi học.";
  return c;
}

class CaseDeskTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    desk_ = std::make_unique<CaseDesk>(*store_, *trail_, *case_keys_, clock_,
                                       random_);
    counselor_ = AddAccount("counselor", Role::kCounselor);
    counselor2_ = AddAccount("counselor2", Role::kCounselor);
    principal_ = AddAccount("principal", Role::kPrincipal);
    other_principal_ = AddAccount("principal-b", Role::kPrincipal, "school-b");
    auditor_ = AddAccount("auditor", Role::kAuditor);
    admin_ = AddAccount("admin", Role::kAdmin);
  }

  int64_t CaseCount() {
    int64_t n = -1;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      auto c = tx.cases().Count();
      if (c.ok()) n = *c;
      return c.status();
    }));
    return n;
  }

  std::unique_ptr<CaseDesk> desk_;
  Caller counselor_, counselor2_, principal_, other_principal_, auditor_, admin_;
};

TEST_F(CaseDeskTest, FilesAndReadsBackByteForByte) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, SampleCase()));
  EXPECT_EQ(filed.id.size(), 24u);
  EXPECT_EQ(filed.status, CaseStatus::kOpen);
  ASSERT_OK_AND_ASSIGN(CaseView read, desk_->Get(counselor_, filed.id));
  const NewCase expected = SampleCase();
  EXPECT_EQ(read.content.victim.name, expected.victim.name);
  EXPECT_EQ(read.content.perpetrator.name, expected.perpetrator.name);
  EXPECT_EQ(read.content.narrative, expected.narrative);
  EXPECT_EQ(read.content.place, expected.place);
  EXPECT_EQ(read.content.victim.birth_year, 2012);
  EXPECT_EQ(read.owner, "counselor");
  EXPECT_EQ(read.school_id, "school-a");
  EXPECT_EQ(read.version, 1);
}

TEST_F(CaseDeskTest, OthersGetNotFoundLikeAMissingCase) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, SampleCase()));
  const auto missing = desk_->Get(counselor2_, "0123456789abcdef01234567");
  ASSERT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  for (const Caller& c : {counselor2_, principal_, other_principal_, auditor_, admin_}) {
    const auto denied = desk_->Get(c, filed.id);
    EXPECT_THAT(denied, StatusIs(absl::StatusCode::kNotFound)) << c.username;
    EXPECT_EQ(denied.status().message(), missing.status().message());
    EXPECT_THAT(desk_->AddNote(c, filed.id, "x"), StatusIs(absl::StatusCode::kNotFound));
  }
}

TEST_F(CaseDeskTest, HighSeverityReachesThePrincipalOfTheSchool) {
  ASSERT_OK_AND_ASSIGN(CaseView high, desk_->File(counselor_, SampleCase(3)));
  EXPECT_OK(desk_->Get(principal_, high.id).status());
  EXPECT_THAT(desk_->Get(other_principal_, high.id), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(CaseListPage page, desk_->List(principal_, {}));
  ASSERT_EQ(page.cases.size(), 1u);
  EXPECT_EQ(page.cases[0].id, high.id);
}

TEST_F(CaseDeskTest, NotesAreSealedAndBumpTheVersion) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, SampleCase()));
  clock_.Advance(1000);
  ASSERT_OK_AND_ASSIGN(CaseNote note, desk_->AddNote(counselor_, filed.id, "Đã gặp phụ huynh."));
  EXPECT_EQ(note.author, "counselor");
  ASSERT_OK_AND_ASSIGN(CaseView read, desk_->Get(counselor_, filed.id));
  ASSERT_EQ(read.notes.size(), 1u);
  EXPECT_EQ(read.notes[0].text, "Đã gặp phụ huynh.");
  EXPECT_EQ(read.notes[0].created_at, kTestNow + 1000);
  EXPECT_EQ(read.version, 2);
  EXPECT_EQ(read.updated_at, kTestNow + 1000);
}

TEST_F(CaseDeskTest, InvalidInputStoresNothing) {
  NewCase bad = SampleCase();
  bad.victim.name = "";
  bad.incident_date = "2030-01-01";
  const auto s = desk_->File(counselor_, bad);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldViolationsOf(s.status()).size(), 2u);
  EXPECT_EQ(CaseCount(), 0);
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, SampleCase()));
  EXPECT_THAT(desk_->AddNote(counselor_, filed.id, ""),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(CaseView read, desk_->Get(counselor_, filed.id));
  EXPECT_TRUE(read.notes.empty());
}

TEST_F(CaseDeskTest, OnlyCounselorsAndPrincipalsFile) {
  for (const Caller& c : {auditor_, admin_}) {
    EXPECT_THAT(desk_->File(c, SampleCase()), StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_THAT(desk_->List(c, {}), StatusIs(absl::StatusCode::kPermissionDenied));
  }
  EXPECT_EQ(CaseCount(), 0);
}

TEST_F(CaseDeskTest, ListsOnlyVisibleCasesInPagesAndByStatus) {
  std::vector<std::string> mine;
  for (int i = 0; i < 7; ++i) {
    clock_.Advance(10);
    ASSERT_OK_AND_ASSIGN(CaseView c, desk_->File(counselor_, SampleCase()));
    mine.push_back(c.id);
  }
  ASSERT_OK(desk_->File(counselor2_, SampleCase()).status());
  std::vector<std::string> seen;
  CaseListQuery q;
  q.page_size = 3;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(CaseListPage page, desk_->List(counselor_, q));
    for (const auto& s : page.cases) seen.push_back(s.id);
    q.page_token = page.next_page_token;
    ++pages;
  } while (!q.page_token.empty());
  EXPECT_EQ(pages, 3);
  std::reverse(mine.begin(), mine.end());  // newest first
  EXPECT_EQ(seen, mine);

  q = {};
  q.status = static_cast<int32_t>(CaseStatus::kClosed);
  ASSERT_OK_AND_ASSIGN(CaseListPage closed, desk_->List(counselor_, q));
  EXPECT_TRUE(closed.cases.empty());
  q.page_token = "not-a-token";
  EXPECT_THAT(desk_->List(counselor_, q), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CaseDeskTest, SealedFieldsAreBoundToTheirCase) {
  ASSERT_OK_AND_ASSIGN(CaseView a, desk_->File(counselor_, SampleCase()));
  ASSERT_OK_AND_ASSIGN(CaseView b, desk_->File(counselor_, SampleCase()));
  // Swap the narrative ciphertexts of two cases behind the desk's back.
  ASSERT_OK(store_->Write([&](storage::Transaction& tx) -> absl::Status {
    auto ra = tx.cases().Find(a.id);
    auto rb = tx.cases().Find(b.id);
    if (!ra.ok() || !rb.ok()) return absl::InternalError("missing");
    std::swap(ra->sealed_narrative, rb->sealed_narrative);
    if (auto s = tx.cases().Update(*ra, ra->version); !s.ok()) return s;
    return tx.cases().Update(*rb, rb->version);
  }));
  EXPECT_THAT(desk_->Get(counselor_, a.id), StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(desk_->Get(counselor_, b.id), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace casevault::domain
