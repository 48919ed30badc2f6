#include "domain/case_workflow.h"

#include "common/error_reason.h"
#include "common/field_violation.h"
#include "audit_fixture.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

class CaseWorkflowTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    flow_ = std::make_unique<CaseWorkflow>(*store_, *trail_, *case_keys_,
                                           clock_, random_);
    union_ = AddAccount("cong.doan", Role::kUnion);
    district_ = AddAccount("phong.gd", Role::kDistrict, "district-1");
    teacher_ = AddAccount("gv.binh", Role::kCounselor);
  }

  CaseView FileCase(const Caller& by, int32_t severity = 2,
                    bool staff = false) {
    NewCase c = DistinctiveCase("wf", severity);
    c.victim.is_staff = staff;
    auto filed = desk_->File(by, c);
    EXPECT_OK(filed.status());
    return filed.value_or(CaseView{});
  }

  CaseChange Change(const std::string& id, int64_t version,
                    const std::string& username = "", int32_t reason = 0) {
    CaseChange c;
    c.case_id = id;
    c.version = version;
    c.username = username;
    c.reason = reason;
    return c;
  }

  bool Sees(const Caller& who, const std::string& id) {
    const bool by_id = desk_->Get(who, id).ok();
    bool in_list = false;
    auto page = desk_->List(who, CaseListQuery{});
    if (page.ok()) {
      for (const auto& s : page->cases) in_list |= s.id == id;
    }
    EXPECT_EQ(by_id, in_list) << who.username;
    return by_id;
  }

  std::unique_ptr<CaseWorkflow> flow_;
  Caller union_, district_, teacher_;
};

TEST_F(CaseWorkflowTest, HighSeverityReachesThePrincipalAtFiling) {
  const CaseView low = FileCase(counselor_, 2);
  const CaseView high = FileCase(counselor_, 3);
  EXPECT_EQ(high.state.escalation, 1);
  ASSERT_OK(desk_->Get(principal_, high.id).status());
  EXPECT_EQ(Last().reason, "escalated");
  EXPECT_FALSE(Sees(principal_, low.id));
  EXPECT_TRUE(Sees(principal_, high.id));
  EXPECT_FALSE(Sees(other_principal_, high.id));
}

TEST_F(CaseWorkflowTest, RapeIsRoutedWhateverTheSeverity) {
  NewCase c = DistinctiveCase("rape", 1);
  c.incident_type = kIncidentRape;
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, c));
  EXPECT_TRUE(Sees(principal_, filed.id));
}

TEST_F(CaseWorkflowTest, CounselorEscalatesToPrincipalPrincipalToDistrict) {
  const CaseView v = FileCase(counselor_);
  EXPECT_FALSE(Sees(principal_, v.id));
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Escalate(counselor_, Change(v.id, 1, "", 2)));
  EXPECT_EQ(s.status, CaseStatus::kEscalated);
  EXPECT_EQ(s.escalation, 1);
  EXPECT_EQ(s.version, 2);
  EXPECT_TRUE(Sees(principal_, v.id));
  EXPECT_FALSE(Sees(district_, v.id));
  EXPECT_THAT(flow_->Escalate(counselor_, Change(v.id, 2, "", 2)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(s, flow_->Escalate(principal_, Change(v.id, 2, "", 5)));
  EXPECT_EQ(s.escalation, 2);
  EXPECT_TRUE(Sees(district_, v.id));
  // The district is the top: it cannot escalate further.
  const auto top = flow_->Escalate(district_, Change(v.id, 3, "", 2));
  EXPECT_THAT(top, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_TRUE(ErrorReasonOf(top.status()).has_value());
}

TEST_F(CaseWorkflowTest, EscalationReasonIsValidated) {
  const CaseView v = FileCase(counselor_);
  for (int32_t bad : {0, 1, 7}) {
    auto r = flow_->Escalate(counselor_, Change(v.id, 1, "", bad));
    ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
    ASSERT_EQ(FieldViolationsOf(r.status()).size(), 1u);
    EXPECT_EQ(FieldViolationsOf(r.status())[0].field, "reason");
  }
  EXPECT_EQ(Last().outcome, "invalid_argument");
  ASSERT_OK_AND_ASSIGN(CaseView again, desk_->Get(counselor_, v.id));
  EXPECT_EQ(again.version, 1);  // nothing stored
}

TEST_F(CaseWorkflowTest, StaleVersionIsAbortedAndChangesNothing) {
  const CaseView v = FileCase(counselor_);
  ASSERT_OK(flow_->Escalate(counselor_, Change(v.id, 1, "", 2)).status());
  const auto stale = flow_->Resolve(counselor_, Change(v.id, 1));
  EXPECT_THAT(stale, StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(CaseView now, desk_->Get(counselor_, v.id));
  EXPECT_EQ(now.status, CaseStatus::kEscalated);
  EXPECT_THAT(flow_->Resolve(counselor_, Change(v.id, 0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(CaseWorkflowTest, TransitionsOutsideTheTableNameTheStatus) {
  const CaseView v = FileCase(counselor_);
  const auto close = flow_->Close(counselor_, Change(v.id, 1, "", 1));
  ASSERT_THAT(close, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(close.status().message().find("the case is open"),
            std::string::npos);
  EXPECT_THAT(flow_->Reopen(counselor_, Change(v.id, 1)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(CaseWorkflowTest, UnescalatedCaseClosesAtOnceAndReopens) {
  const CaseView v = FileCase(counselor_);
  ASSERT_OK(flow_->Resolve(counselor_, Change(v.id, 1)).status());
  CaseChange close = Change(v.id, 2, "", 1);
  close.note = "Đã hỗ trợ xong";
  ASSERT_OK_AND_ASSIGN(CaseState s, flow_->Close(counselor_, close));
  EXPECT_EQ(s.status, CaseStatus::kClosed);
  EXPECT_FALSE(s.closure_pending);
  ASSERT_OK_AND_ASSIGN(CaseView closed, desk_->Get(counselor_, v.id));
  EXPECT_EQ(closed.closure_note, "Đã hỗ trợ xong");
  EXPECT_THAT(desk_->AddNote(counselor_, v.id, "late"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(s, flow_->Reopen(counselor_, Change(v.id, 3)));
  EXPECT_EQ(s.status, CaseStatus::kInProgress);
  EXPECT_EQ(s.closure_reason, 0);
}

TEST_F(CaseWorkflowTest, EscalatedCaseClosureWaitsForThePrincipal) {
  const CaseView v = FileCase(counselor_, 3);
  ASSERT_OK(flow_->Resolve(counselor_, Change(v.id, 1)).status());
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Close(counselor_, Change(v.id, 2, "", 1)));
  EXPECT_EQ(s.status, CaseStatus::kResolved);
  EXPECT_TRUE(s.closure_pending);
  EXPECT_THAT(flow_->ApproveClosure(counselor_, Change(v.id, 3)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(flow_->ApproveClosure(other_principal_, Change(v.id, 3)),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(s, flow_->ApproveClosure(principal_, Change(v.id, 3)));
  EXPECT_EQ(s.status, CaseStatus::kClosed);
  EXPECT_FALSE(s.closure_pending);
  EXPECT_EQ(Last().action, "case.approve_closure");
  EXPECT_EQ(Last().reason, "escalated");
}

TEST_F(CaseWorkflowTest, PrincipalClosingAnEscalatedCaseNeedsNoOtherApproval) {
  const CaseView v = FileCase(counselor_, 3);
  ASSERT_OK(flow_->Resolve(principal_, Change(v.id, 1)).status());
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Close(principal_, Change(v.id, 2, "", 1)));
  EXPECT_EQ(s.status, CaseStatus::kClosed);
}

TEST_F(CaseWorkflowTest, PrincipalReassignsAndThePreviousOwnerLosesAccess) {
  const CaseView v = FileCase(counselor_, 3);
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Assign(principal_, Change(v.id, 1, "co.mai")));
  EXPECT_EQ(s.owner, "co.mai");
  EXPECT_EQ(Last().target, "co.mai");
  EXPECT_FALSE(Sees(counselor_, v.id));
  EXPECT_TRUE(Sees(counselor2_, v.id));
}

TEST_F(CaseWorkflowTest, HandOverIsOfferedThenAccepted) {
  const CaseView v = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Assign(counselor_, Change(v.id, 1, "co.mai")));
  EXPECT_EQ(s.owner, "co.lan");
  EXPECT_EQ(s.pending_owner, "co.mai");
  EXPECT_TRUE(Sees(counselor2_, v.id));
  EXPECT_THAT(desk_->AddNote(counselor2_, v.id, "x"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(s, flow_->Accept(counselor2_, Change(v.id, 2)));
  EXPECT_EQ(Last().reason, "handover");
  EXPECT_EQ(s.owner, "co.mai");
  EXPECT_EQ(s.pending_owner, "");
  EXPECT_FALSE(Sees(counselor_, v.id));
}

TEST_F(CaseWorkflowTest, AssigningOutsideTheSchoolOrToAnAuditorIsRefused) {
  const CaseView v = FileCase(counselor_);
  for (const char* who : {"kiem.toan", "hieu.pho", "nobody"}) {
    auto r = flow_->Assign(counselor_, Change(v.id, 1, who));
    ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << who;
    EXPECT_EQ(FieldViolationsOf(r.status())[0].field, "username");
  }
}

TEST_F(CaseWorkflowTest, ImplicatedTeacherNeverSeesTheCase) {
  const CaseView v = FileCase(counselor_, 2, /*staff=*/true);
  ASSERT_OK(flow_->AddParticipant(counselor_, Change(v.id, 1, "gv.binh")).status());
  EXPECT_TRUE(Sees(teacher_, v.id));
  ASSERT_OK(flow_->AddImplicated(counselor_, Change(v.id, 2, "gv.binh")).status());
  EXPECT_FALSE(Sees(teacher_, v.id));
  EXPECT_THAT(desk_->AddNote(teacher_, v.id, "x"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(flow_->Escalate(teacher_, Change(v.id, 3, "", 2)),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_TRUE(Sees(union_, v.id));  // staff involved
  // An implicated account cannot be handed the case.
  EXPECT_THAT(flow_->Assign(principal_, Change(v.id, 3, "gv.binh")),
              StatusIs(absl::StatusCode::kNotFound));  // not escalated
  EXPECT_THAT(flow_->Assign(counselor_, Change(v.id, 3, "gv.binh")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(CaseWorkflowTest, RecusedPrincipalIsPassedOverToTheDistrict) {
  const CaseView v = FileCase(counselor_, 3);
  EXPECT_TRUE(Sees(principal_, v.id));
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->AddImplicated(counselor_, Change(v.id, 1, "hieu.truong")));
  EXPECT_EQ(s.escalation, 2);
  EXPECT_FALSE(Sees(principal_, v.id));
  EXPECT_TRUE(Sees(district_, v.id));
  EXPECT_THAT(flow_->ApproveClosure(principal_, Change(v.id, 2)),
              StatusIs(absl::StatusCode::kNotFound));
  // Closure then needs the district.
  ASSERT_OK(flow_->Resolve(counselor_, Change(v.id, 2)).status());
  ASSERT_OK_AND_ASSIGN(s, flow_->Close(counselor_, Change(v.id, 3, "", 1)));
  EXPECT_TRUE(s.closure_pending);
  ASSERT_OK_AND_ASSIGN(s, flow_->ApproveClosure(district_, Change(v.id, 4)));
  EXPECT_EQ(s.status, CaseStatus::kClosed);
}

TEST_F(CaseWorkflowTest, RecusedPrincipalCannotLookUpTheCaseReference) {
  const CaseView v = FileCase(counselor_, 3);
  ASSERT_OK(audit_desk_->LookupCaseRef(principal_, v.id).status());
  ASSERT_OK(flow_->AddImplicated(counselor_, Change(v.id, 1, "hieu.truong")).status());
  const auto ref = audit_desk_->LookupCaseRef(principal_, v.id);
  EXPECT_THAT(ref, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(ref.status().message(),
            audit_desk_->LookupCaseRef(principal_, "0123456789abcdef01234567")
                .status()
                .message());
}

TEST_F(CaseWorkflowTest, CounselorEscalationGoesPastARecusedPrincipal) {
  const CaseView v = FileCase(counselor_);
  ASSERT_OK(flow_->AddImplicated(counselor_, Change(v.id, 1, "hieu.truong")).status());
  EXPECT_TRUE(Sees(district_, v.id));  // the principal is recused
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->Escalate(counselor_, Change(v.id, 2, "", 3)));
  EXPECT_EQ(s.escalation, 2);
  EXPECT_FALSE(Sees(principal_, v.id));
}

TEST_F(CaseWorkflowTest, RemovingAnImplicatedAccountNeedsPrincipalOrDistrict) {
  const CaseView v = FileCase(counselor_, 3);
  ASSERT_OK(flow_->AddImplicated(counselor_, Change(v.id, 1, "gv.binh")).status());
  const auto by_counselor =
      flow_->RemoveImplicated(counselor_, Change(v.id, 2, "gv.binh", 1));
  EXPECT_THAT(by_counselor, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(flow_->RemoveImplicated(principal_, Change(v.id, 2, "gv.binh", 0)),
              StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_OK_AND_ASSIGN(CaseState s,
                       flow_->RemoveImplicated(principal_, Change(v.id, 2, "gv.binh", 2)));
  EXPECT_TRUE(s.implicated.empty());
  EXPECT_EQ(Last().target, "gv.binh");
  EXPECT_EQ(Last().action, "case.remove_implicated");
}

TEST_F(CaseWorkflowTest, AuditorAndAdminCanDoNoneOfIt) {
  const CaseView v = FileCase(counselor_, 3);
  for (const Caller& who : {auditor_, admin_}) {
    EXPECT_THAT(flow_->Escalate(who, Change(v.id, 1, "", 2)),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(flow_->Resolve(who, Change(v.id, 1)),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(flow_->AddImplicated(who, Change(v.id, 1, "gv.binh")),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(desk_->List(who, CaseListQuery{}),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
}

TEST_F(CaseWorkflowTest, EveryAttemptIsAuditedWithoutContent) {
  const CaseView v = FileCase(counselor_, 3);
  const uint64_t before = EntryCount();
  CaseChange c = Change(v.id, 1, "", 2);
  c.note = "wf-secret-note";
  ASSERT_OK(flow_->Escalate(principal_, c).status());
  (void)flow_->Resolve(counselor2_, Change(v.id, 2));
  EXPECT_EQ(EntryCount(), before + 2);
  const auto entries = Entries();
  EXPECT_EQ(entries[before].action, "case.escalate");
  EXPECT_EQ(entries[before].outcome, "ok");
  EXPECT_EQ(entries[before + 1].outcome, "not_found");
  for (const std::string& raw : RawEntries()) {
    EXPECT_EQ(raw.find("wf-secret-note"), std::string::npos);
  }
}

}  // namespace
}  // namespace casevault::domain
