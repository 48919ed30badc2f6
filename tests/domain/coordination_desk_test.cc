#include "domain/coordination_desk.h"

#include <algorithm>
#include <set>

#include "audit_fixture.h"
#include "common/error_reason.h"
#include "common/field_violation.h"
#include "domain/case_workflow.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

constexpr int32_t kCounselingSession = 11;
constexpr int32_t kHomeVisit = 22;
constexpr int32_t kHealthReferral = 31;
constexpr int32_t kPoliceReport = 32;
constexpr int32_t kPurposeStatistics = 3;
constexpr int32_t kGivenBySurvivor = 1;
constexpr int32_t kGivenByGuardian = 2;
constexpr int32_t kAssentGiven = 1;
constexpr int32_t kAssentRefused = 2;
constexpr int32_t kAssentNotAble = 3;
constexpr int32_t kOverrideChildInDanger = 2;

std::set<std::string> FieldsOf(const absl::Status& status) {
  std::set<std::string> fields;
  for (const FieldViolation& f : FieldViolationsOf(status)) {
    fields.insert(f.field);
  }
  return fields;
}

class CoordinationDeskTest : public AuditTest {
 protected:
  void SetUp() override {
    AuditTest::SetUp();
    coord_ = std::make_unique<CoordinationDesk>(*faulty_, *trail_, *case_keys_,
                                                clock_, random_);
    flow_ = std::make_unique<CaseWorkflow>(*store_, *trail_, *case_keys_,
                                           clock_, random_);
    union_ = AddAccount("cong.doan", Role::kUnion);
    district_ = AddAccount("phong.gd", Role::kDistrict, "district-1");
    counselor_b_ = AddAccount("co.hoa", Role::kCounselor, "school-b");
  }

  // A case filed by `by`; its victim a minor or an adult as asked (set in
  // the row, whatever the filing rules would decide).
  std::string FileCase(const Caller& by, int32_t severity = 2,
                       bool minor = false) {
    auto filed = desk_->File(by, DistinctiveCase("coord", severity));
    EXPECT_OK(filed.status());
    if (!filed.ok()) return "";
    EditCase(filed->id,
             [&](storage::CaseRecord& r) { r.victim_minor = minor; });
    return filed->id;
  }

  // Changes a stored case behind the desks' backs (test set-up only).
  template <typename F>
  void EditCase(const std::string& id, F edit) {
    ASSERT_OK(store_->Write([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(storage::CaseRecord r, tx.cases().Find(id));
      edit(r);
      return tx.cases().Update(r, r.version);
    }));
  }

  storage::CaseRecord StoredCase(const std::string& id) {
    storage::CaseRecord r;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(r, tx.cases().Find(id));
      return absl::OkStatus();
    }));
    return r;
  }

  storage::StepRecord StoredStep(const std::string& id) {
    storage::StepRecord r;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(r, tx.coordination().FindStep(id));
      return absl::OkStatus();
    }));
    return r;
  }

  size_t StepCount(const std::string& case_id) {
    size_t n = 0;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(auto steps, tx.coordination().ListSteps(case_id));
      n = steps.size();
      return absl::OkStatus();
    }));
    return n;
  }

  void Implicate(const std::string& case_id, const Caller& who) {
    ASSERT_OK(store_->Write([&](storage::Transaction& tx) -> absl::Status {
      storage::CaseMemberRecord m;
      m.case_id = case_id;
      m.account_id = who.account_id;
      m.kind = storage::MemberKind::kImplicated;
      m.added_by = counselor_.account_id;
      m.added_at = clock_.Now();
      return tx.cases().AddMember(m);
    }));
  }

  static NewStep Step(const std::string& case_id, int32_t kind,
                      const std::string& owner,
                      const std::string& due = "2026-12-10") {
    NewStep s;
    s.case_id = case_id;
    s.kind = kind;
    s.owner = owner;
    s.due_date = due;
    return s;
  }
  static NewStep PartyStep(const std::string& case_id, int32_t kind,
                           const std::string& party,
                           const std::string& due = "2026-12-10") {
    NewStep s = Step(case_id, kind, "", due);
    s.external_party = party;
    return s;
  }
  static NewConsent Referral(const std::string& case_id, int32_t kind,
                             int32_t assent = 0) {
    NewConsent c;
    c.case_id = case_id;
    c.purpose = kConsentReferral;
    c.service_kind = kind;
    c.given_by = kGivenByGuardian;
    c.child_assent = assent;
    c.given_on = "2026-11-28";
    return c;
  }
  static NewOverride ReferralOverride(const std::string& case_id,
                                      int32_t kind) {
    NewOverride o;
    o.case_id = case_id;
    o.purpose = kConsentReferral;
    o.service_kind = kind;
    o.reason = kOverrideChildInDanger;
    return o;
  }

  std::vector<std::string> ListedIds(const Caller& who, StepListQuery q = {}) {
    std::vector<std::string> ids;
    auto page = coord_->ListSteps(who, q);
    EXPECT_OK(page.status()) << who.username;
    if (page.ok()) {
      for (const StepView& s : page->steps) ids.push_back(s.id);
    }
    return ids;
  }

  std::unique_ptr<CoordinationDesk> coord_;
  std::unique_ptr<CaseWorkflow> flow_;
  Caller union_, district_, counselor_b_;
};

TEST_F(CoordinationDeskTest, AddStepPlansItAndMovesTheCaseToInProgress) {
  const std::string id = FileCase(counselor_);
  clock_.Advance(1000);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  EXPECT_EQ(step.id.size(), 24u);
  EXPECT_EQ(step.case_id, id);
  EXPECT_EQ(step.kind, kCounselingSession);
  EXPECT_EQ(step.environment, Environment::kSchool);
  EXPECT_EQ(step.status, StepStatus::kPlanned);
  EXPECT_EQ(step.owner, "co.lan");
  EXPECT_EQ(step.due_date, "2026-12-10");
  EXPECT_EQ(step.created_by, "co.lan");
  EXPECT_EQ(step.created_at, kTestNow + 1000);
  EXPECT_EQ(step.version, 1);
  EXPECT_FALSE(step.overdue);

  const audit::AuditEntry e = Last();
  EXPECT_EQ(e.action, "step.add");
  EXPECT_EQ(e.outcome, "ok");
  EXPECT_EQ(e.actor, "co.lan");
  EXPECT_EQ(e.target, "co.lan");
  EXPECT_EQ(e.reason, "owner");
  EXPECT_EQ(e.case_ref, trail_->CaseRef(id));

  const storage::CaseRecord c = StoredCase(id);
  EXPECT_EQ(c.status, static_cast<int32_t>(CaseStatus::kInProgress));
  EXPECT_EQ(c.version, 2);
  EXPECT_EQ(c.updated_at, kTestNow + 1000);

  ASSERT_OK_AND_ASSIGN(
      StepView family,
      coord_->AddStep(counselor_, PartyStep(id, kHomeVisit, "Bà ngoại")));
  EXPECT_EQ(family.environment, Environment::kFamily);
  EXPECT_EQ(family.owner, "");
  EXPECT_EQ(family.external_party, "Bà ngoại");
  EXPECT_EQ(Last().target, "");
  EXPECT_EQ(StoredCase(id).version, 3);
}

TEST_F(CoordinationDeskTest, UpdateAndCompleteAreVersionedAndAudited) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  clock_.Advance(1000);
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.status = static_cast<int32_t>(StepStatus::kInProgress);
  change.due_date = "2026-12-20";
  change.outcome = "Buổi đầu: em đã chia sẻ.";
  ASSERT_OK_AND_ASSIGN(StepView updated,
                       coord_->UpdateStep(counselor_, change));
  EXPECT_EQ(updated.status, StepStatus::kInProgress);
  EXPECT_EQ(updated.due_date, "2026-12-20");
  EXPECT_EQ(updated.outcome, "Buổi đầu: em đã chia sẻ.");
  EXPECT_EQ(updated.owner, "co.lan");
  EXPECT_EQ(updated.created_by, "co.lan");
  EXPECT_EQ(updated.version, 2);
  EXPECT_EQ(updated.updated_at, kTestNow + 1000);
  EXPECT_EQ(Last().action, "step.update");
  EXPECT_EQ(Last().outcome, "ok");
  EXPECT_EQ(Last().reason, "owner");
  EXPECT_EQ(StoredCase(id).version, 3);

  // Hand it to an outside party: the owner goes.
  StepChange party;
  party.step_id = step.id;
  party.version = 2;
  party.external_party = "Trung tâm Công tác xã hội";
  ASSERT_OK_AND_ASSIGN(updated, coord_->UpdateStep(counselor_, party));
  EXPECT_EQ(updated.owner, "");
  EXPECT_EQ(updated.external_party, "Trung tâm Công tác xã hội");
  EXPECT_EQ(updated.outcome, "Buổi đầu: em đã chia sẻ.");  // kept

  ASSERT_OK_AND_ASSIGN(
      StepView done, coord_->CompleteStep(counselor_, step.id, 3, "Hoàn tất."));
  EXPECT_EQ(done.status, StepStatus::kDone);
  EXPECT_EQ(done.outcome, "Hoàn tất.");
  EXPECT_EQ(done.version, 4);
  EXPECT_EQ(Last().action, "step.complete");
  EXPECT_EQ(Last().outcome, "ok");
  EXPECT_EQ(StoredCase(id).version, 5);

  // A finished step stays as it is.
  change.version = 4;
  const auto again = coord_->UpdateStep(counselor_, change);
  EXPECT_THAT(again, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr("done")));
  EXPECT_EQ(Last().outcome, "failed_precondition");
  EXPECT_THAT(coord_->CompleteStep(counselor_, step.id, 4, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(StoredStep(step.id).version, 4);
  EXPECT_EQ(StoredCase(id).version, 5);
}

TEST_F(CoordinationDeskTest, CancelledStepCannotBeChangedOrCompleted) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  StepChange cancel;
  cancel.step_id = step.id;
  cancel.version = 1;
  cancel.status = static_cast<int32_t>(StepStatus::kCancelled);
  ASSERT_OK_AND_ASSIGN(StepView cancelled,
                       coord_->UpdateStep(counselor_, cancel));
  EXPECT_EQ(cancelled.status, StepStatus::kCancelled);
  EXPECT_THAT(
      coord_->CompleteStep(counselor_, step.id, 2, ""),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("cancelled")));
}

TEST_F(CoordinationDeskTest, DoneOnlyThroughCompleteStep) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.status = static_cast<int32_t>(StepStatus::kDone);
  const auto r = coord_->UpdateStep(counselor_, change);
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldsOf(r.status()), std::set<std::string>{"status"});
  EXPECT_EQ(Last().action, "step.update");
  EXPECT_EQ(Last().outcome, "invalid_argument");
  EXPECT_EQ(StoredStep(step.id).status,
            static_cast<int32_t>(StepStatus::kPlanned));
}

TEST_F(CoordinationDeskTest, StaleStepVersionIsAborted) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.due_date = "2026-12-11";
  ASSERT_OK(coord_->UpdateStep(counselor_, change).status());
  change.due_date = "2026-12-12";
  EXPECT_THAT(coord_->UpdateStep(counselor_, change),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(Last().outcome, "aborted");
  EXPECT_THAT(coord_->CompleteStep(counselor_, step.id, 1, ""),
              StatusIs(absl::StatusCode::kAborted));
  const storage::StepRecord stored = StoredStep(step.id);
  EXPECT_EQ(stored.due_date, "2026-12-11");
  EXPECT_EQ(stored.version, 2);
}

TEST_F(CoordinationDeskTest, InvalidRequestsNameEveryFieldAndStoreNothing) {
  const std::string id = FileCase(counselor_);
  const int64_t version = StoredCase(id).version;

  NewStep bad_step;
  bad_step.case_id = "not-a-case";
  bad_step.kind = 40;
  bad_step.due_date = "2026-02-30";
  auto r = coord_->AddStep(counselor_, bad_step);
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FieldsOf(r.status()),
            (std::set<std::string>{"case_id", "kind", "owner", "external_party",
                                   "due_date"}));
  EXPECT_EQ(Last().action, "step.add");
  EXPECT_EQ(Last().outcome, "invalid_argument");

  NewStep both = Step(id, kCounselingSession, "co.lan");
  both.external_party = "Công an xã";
  r = coord_->AddStep(counselor_, both);
  EXPECT_EQ(FieldsOf(r.status()),
            (std::set<std::string>{"owner", "external_party"}));
  EXPECT_EQ(Last().case_ref, trail_->CaseRef(id));

  StepChange change;
  change.step_id = "xyz";
  change.status = 9;
  change.owner = "co.lan";
  change.external_party = "x";
  change.due_date = "tomorrow";
  change.outcome = std::string("\xff\xfe", 2);
  r = coord_->UpdateStep(counselor_, change);
  EXPECT_EQ(FieldsOf(r.status()),
            (std::set<std::string>{"step_id", "version", "status", "owner",
                                   "external_party", "due_date", "outcome"}));
  EXPECT_EQ(Last().action, "step.update");

  r = coord_->CompleteStep(counselor_, "", 0, std::string("a\x01", 2));
  EXPECT_EQ(FieldsOf(r.status()),
            (std::set<std::string>{"step_id", "version", "outcome"}));

  NewConsent consent;
  consent.case_id = id;
  consent.purpose = 4;
  consent.given_by = 0;
  consent.child_assent = 1;         // the victim is an adult
  consent.given_on = "2026-11-30";  // tomorrow
  auto c = coord_->RecordConsent(counselor_, consent);
  EXPECT_EQ(FieldsOf(c.status()),
            (std::set<std::string>{"purpose", "given_by", "child_assent",
                                   "given_on"}));
  EXPECT_EQ(Last().action, "consent.record");
  EXPECT_EQ(Last().outcome, "invalid_argument");
  consent = Referral(id, kCounselingSession);  // not a society kind
  consent.purpose = kConsentReferral;
  c = coord_->RecordConsent(counselor_, consent);
  EXPECT_EQ(FieldsOf(c.status()), std::set<std::string>{"service_kind"});
  consent.purpose = kPurposeStatistics;  // no service kind allowed
  consent.service_kind = kPoliceReport;
  c = coord_->RecordConsent(counselor_, consent);
  EXPECT_EQ(FieldsOf(c.status()), std::set<std::string>{"service_kind"});
  consent.case_id = "";
  consent.service_kind = 0;
  consent.given_on = "";
  c = coord_->RecordConsent(counselor_, consent);
  EXPECT_EQ(FieldsOf(c.status()),
            (std::set<std::string>{"case_id", "given_on"}));

  NewOverride over;
  over.case_id = id;
  over.purpose = kConsentReferral;
  over.reason = 5;
  auto o = coord_->RecordOverride(principal_, over);
  EXPECT_EQ(FieldsOf(o.status()),
            (std::set<std::string>{"service_kind", "reason"}));
  EXPECT_EQ(Last().action, "consent.override");

  EXPECT_EQ(FieldsOf(coord_->WithdrawConsent(counselor_, "").status()),
            std::set<std::string>{"consent_id"});

  StepListQuery q;
  q.case_id = "nope";
  q.page_size = 201;
  q.page_token = "%%%";
  auto l = coord_->ListSteps(counselor_, q);
  EXPECT_EQ(FieldsOf(l.status()),
            (std::set<std::string>{"case_id", "page_size"}));
  q = {};
  q.page_token = "%%%";
  l = coord_->ListSteps(counselor_, q);
  EXPECT_EQ(FieldsOf(l.status()), std::set<std::string>{"page_token"});
  EXPECT_EQ(Last().action, "step.list");

  EXPECT_EQ(StepCount(id), 0u);
  EXPECT_EQ(StoredCase(id).version, version);
}

TEST_F(CoordinationDeskTest, ChildAssentFollowsTheVictimsAge) {
  const std::string adult = FileCase(counselor_, 2, /*minor=*/false);
  const std::string child = FileCase(counselor_, 2, /*minor=*/true);
  auto r = coord_->RecordConsent(counselor_, Referral(child, kPoliceReport, 0));
  EXPECT_EQ(FieldsOf(r.status()), std::set<std::string>{"child_assent"});
  r = coord_->RecordConsent(counselor_,
                            Referral(adult, kPoliceReport, kAssentGiven));
  EXPECT_EQ(FieldsOf(r.status()), std::set<std::string>{"child_assent"});
  ASSERT_OK_AND_ASSIGN(
      ConsentView ok,
      coord_->RecordConsent(counselor_, Referral(adult, kPoliceReport, 0)));
  EXPECT_TRUE(ok.in_force);
  EXPECT_EQ(ok.recorded_by, "co.lan");
  EXPECT_EQ(ok.given_by, kGivenByGuardian);
  EXPECT_EQ(Last().action, "consent.record");
  EXPECT_EQ(Last().reason, "owner");
  EXPECT_EQ(StoredCase(adult).status,
            static_cast<int32_t>(CaseStatus::kInProgress));
}

TEST_F(CoordinationDeskTest, SocietyStepNeedsConsentInForceOrAnOverride) {
  const std::string id = FileCase(counselor_);
  const NewStep police = PartyStep(id, kPoliceReport, "Công an phường 3");
  auto refused = coord_->AddStep(counselor_, police);
  ASSERT_THAT(refused, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(refused.status().message(),
            "a referral outside the school needs the survivor's or "
            "guardian's consent, or an override by the principal or "
            "district; record one first");
  EXPECT_EQ(Last().action, "step.add");
  EXPECT_EQ(Last().outcome, "failed_precondition");

  // Consent for another service, or for another purpose, does not count.
  ASSERT_OK(coord_->RecordConsent(counselor_, Referral(id, kHealthReferral))
                .status());
  NewConsent stats = Referral(id, 0);
  stats.purpose = kPurposeStatistics;
  ASSERT_OK(coord_->RecordConsent(counselor_, stats).status());
  EXPECT_THAT(coord_->AddStep(counselor_, police),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  ASSERT_OK_AND_ASSIGN(
      ConsentView consent,
      coord_->RecordConsent(counselor_, Referral(id, kPoliceReport)));
  EXPECT_TRUE(consent.in_force);
  ASSERT_OK_AND_ASSIGN(StepView step, coord_->AddStep(counselor_, police));
  EXPECT_EQ(step.environment, Environment::kSociety);

  ASSERT_OK_AND_ASSIGN(ConsentView withdrawn,
                       coord_->WithdrawConsent(counselor_, consent.id));
  EXPECT_FALSE(withdrawn.in_force);
  EXPECT_EQ(withdrawn.withdrawn_at, kTestNow);
  EXPECT_EQ(withdrawn.withdrawn_by, "co.lan");
  EXPECT_EQ(withdrawn.recorded_by, "co.lan");
  EXPECT_EQ(Last().action, "consent.withdraw");
  EXPECT_EQ(Last().case_ref, trail_->CaseRef(id));
  EXPECT_THAT(coord_->WithdrawConsent(counselor_, consent.id),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(coord_->AddStep(counselor_, police),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // The step made while the consent was in force stays.
  EXPECT_EQ(StoredStep(step.id).status,
            static_cast<int32_t>(StepStatus::kPlanned));
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.status = static_cast<int32_t>(StepStatus::kInProgress);
  EXPECT_OK(coord_->UpdateStep(counselor_, change).status());
}

TEST_F(CoordinationDeskTest, OverrideByThePrincipalAllowsTheReferral) {
  const std::string id = FileCase(counselor_, /*severity=*/3);  // escalated
  const NewStep police = PartyStep(id, kPoliceReport, "Công an phường 3");
  ASSERT_THAT(coord_->AddStep(counselor_, police),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // An override for another service does not count.
  ASSERT_OK(
      coord_->RecordOverride(principal_, ReferralOverride(id, kHealthReferral))
          .status());
  EXPECT_THAT(coord_->AddStep(counselor_, police),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK_AND_ASSIGN(
      OverrideView over,
      coord_->RecordOverride(principal_, ReferralOverride(id, kPoliceReport)));
  EXPECT_EQ(over.recorded_by, "hieu.truong");
  EXPECT_EQ(over.reason, kOverrideChildInDanger);
  const audit::AuditEntry e = Last();
  EXPECT_EQ(e.action, "consent.override");
  EXPECT_EQ(e.outcome, "ok");
  EXPECT_EQ(e.reason, "escalated");
  EXPECT_EQ(e.case_ref, trail_->CaseRef(id));
  ASSERT_OK(coord_->AddStep(counselor_, police).status());
}

TEST_F(CoordinationDeskTest, CounselorCannotOverride) {
  const std::string id = FileCase(counselor_);
  const auto r =
      coord_->RecordOverride(counselor_, ReferralOverride(id, kPoliceReport));
  ASSERT_THAT(r, StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(ErrorReasonOf(r.status()), "RELATION_NOT_PERMITTED");
  EXPECT_EQ(Last().action, "consent.override");
  EXPECT_EQ(Last().outcome, "permission_denied");
  EXPECT_THAT(
      coord_->AddStep(counselor_, PartyStep(id, kPoliceReport, "Công an")),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(CoordinationDeskTest, RefusedChildAssentDoesNotCount) {
  const std::string id = FileCase(counselor_, 2, /*minor=*/true);
  const NewStep police = PartyStep(id, kPoliceReport, "Công an phường 3");
  ASSERT_OK_AND_ASSIGN(
      ConsentView refused,
      coord_->RecordConsent(counselor_,
                            Referral(id, kPoliceReport, kAssentRefused)));
  EXPECT_FALSE(refused.in_force);
  EXPECT_THAT(coord_->AddStep(counselor_, police),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  NewConsent not_able = Referral(id, kPoliceReport, kAssentNotAble);
  not_able.given_by = kGivenBySurvivor;
  ASSERT_OK_AND_ASSIGN(ConsentView ok,
                       coord_->RecordConsent(counselor_, not_able));
  EXPECT_TRUE(ok.in_force);
  ASSERT_OK(coord_->AddStep(counselor_, police).status());
}

TEST_F(CoordinationDeskTest, StepOwnerMustBeEligibleAndNotImplicated) {
  const std::string id = FileCase(counselor_);
  Implicate(id, counselor2_);
  const auto implicated =
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.mai"));
  ASSERT_THAT(implicated, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(implicated.status().message(),
            "this account cannot be given this case");
  EXPECT_EQ(Last().outcome, "failed_precondition");
  EXPECT_EQ(Last().target, "co.mai");
  // Another school, or a role that never works cases: the same answer.
  for (const char* who : {"co.hoa", "kiem.toan", "quan.tri"}) {
    const auto r =
        coord_->AddStep(counselor_, Step(id, kCounselingSession, who));
    EXPECT_THAT(r, StatusIs(absl::StatusCode::kFailedPrecondition)) << who;
    EXPECT_EQ(r.status().message(), implicated.status().message()) << who;
  }
  const auto unknown =
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "khong.co"));
  EXPECT_EQ(FieldsOf(unknown.status()), std::set<std::string>{"owner"});
  EXPECT_EQ(StepCount(id), 0u);

  // District and union accounts may own steps.
  ASSERT_OK(
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "phong.gd"))
          .status());
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "cong.doan")));
  // Reassigning checks the new owner the same way.
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.owner = "co.mai";
  EXPECT_THAT(coord_->UpdateStep(counselor_, change),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "this account cannot be given this case"));
  EXPECT_EQ(Last().target, "co.mai");
}

TEST_F(CoordinationDeskTest, AssignedOwnerBecomesAParticipant) {
  const std::string id = FileCase(counselor_);
  EXPECT_THAT(desk_->Get(counselor2_, id),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.mai")));
  EXPECT_EQ(Last().target, "co.mai");
  ASSERT_OK(desk_->Get(counselor2_, id).status());
  EXPECT_EQ(Last().reason, "participant");
  EXPECT_EQ(ListedIds(counselor2_), std::vector<std::string>{step.id});
  ASSERT_OK_AND_ASSIGN(StepView done,
                       coord_->CompleteStep(counselor2_, step.id, 1, "Xong."));
  EXPECT_EQ(done.status, StepStatus::kDone);
  EXPECT_EQ(Last().reason, "participant");
  // Assigning a second step to the same account is fine.
  ASSERT_OK(coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.mai"))
                .status());

  // Reassigning through UpdateStep makes a participant too.
  ASSERT_OK_AND_ASSIGN(
      StepView other,
      coord_->AddStep(counselor_, PartyStep(id, kHomeVisit, "Mẹ của em")));
  EXPECT_THAT(desk_->Get(union_, id), StatusIs(absl::StatusCode::kNotFound));
  StepChange change;
  change.step_id = other.id;
  change.version = 1;
  change.owner = "cong.doan";
  ASSERT_OK_AND_ASSIGN(StepView reassigned,
                       coord_->UpdateStep(counselor_, change));
  EXPECT_EQ(reassigned.owner, "cong.doan");
  EXPECT_EQ(reassigned.external_party, "");
  EXPECT_EQ(Last().target, "cong.doan");
  ASSERT_OK(desk_->Get(union_, id).status());
}

TEST_F(CoordinationDeskTest, HiddenStepsAreNotFoundAndNeverListed) {
  const std::string id =
      FileCase(counselor_, /*severity=*/3);  // principal sees it
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  ASSERT_OK_AND_ASSIGN(
      ConsentView consent,
      coord_->RecordConsent(counselor_, Referral(id, kPoliceReport)));
  EXPECT_EQ(ListedIds(principal_), std::vector<std::string>{step.id});

  Implicate(id, principal_);
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.due_date = "2026-12-01";
  const auto hidden = coord_->UpdateStep(principal_, change);
  ASSERT_THAT(hidden, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Last().action, "step.update");
  EXPECT_EQ(Last().outcome, "not_found");
  change.step_id = "0123456789abcdef01234567";
  const auto missing = coord_->UpdateStep(principal_, change);
  ASSERT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(hidden.status().message(), missing.status().message());
  EXPECT_EQ(hidden.status().message(),
            "no step with this id is visible to you");
  EXPECT_THAT(coord_->CompleteStep(principal_, step.id, 1, ""),
              StatusIs(absl::StatusCode::kNotFound,
                       "no step with this id is visible to you"));
  EXPECT_THAT(coord_->WithdrawConsent(principal_, consent.id),
              StatusIs(absl::StatusCode::kNotFound,
                       "no consent with this id is visible to you"));
  EXPECT_THAT(coord_->WithdrawConsent(principal_, "0123456789abcdef01234567"),
              StatusIs(absl::StatusCode::kNotFound,
                       "no consent with this id is visible to you"));
  EXPECT_THAT(
      coord_->RecordOverride(principal_, ReferralOverride(id, kPoliceReport)),
      StatusIs(absl::StatusCode::kNotFound));

  EXPECT_TRUE(ListedIds(principal_).empty());
  StepListQuery q;
  q.case_id = id;
  EXPECT_THAT(coord_->ListSteps(principal_, q),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Last().case_ref, trail_->CaseRef(id));
  // Others of other schools never saw it either.
  EXPECT_TRUE(ListedIds(other_principal_).empty());
  EXPECT_TRUE(ListedIds(counselor2_).empty());
  EXPECT_EQ(StoredStep(step.id).version, 1);
}

TEST_F(CoordinationDeskTest, ListStepsReachesWhatTheCallerMayView) {
  const std::string mine = FileCase(counselor_);
  const std::string theirs = FileCase(counselor2_);
  ASSERT_OK_AND_ASSIGN(
      StepView a, coord_->AddStep(counselor_, Step(mine, kCounselingSession,
                                                   "co.lan", "2026-12-05")));
  ASSERT_OK_AND_ASSIGN(
      StepView b, coord_->AddStep(counselor2_, Step(theirs, kCounselingSession,
                                                    "co.mai", "2026-12-01")));
  EXPECT_EQ(ListedIds(counselor_), std::vector<std::string>{a.id});
  EXPECT_EQ(ListedIds(counselor2_), std::vector<std::string>{b.id});
  EXPECT_TRUE(ListedIds(principal_).empty());  // neither is escalated
  EXPECT_EQ(Last().action, "step.list");
  EXPECT_EQ(Last().outcome, "ok");
  EXPECT_EQ(Last().case_ref, "");

  StepListQuery q;
  q.case_id = theirs;
  EXPECT_THAT(coord_->ListSteps(counselor_, q),
              StatusIs(absl::StatusCode::kNotFound));
  q.case_id = mine;
  ASSERT_OK_AND_ASSIGN(StepListPage page, coord_->ListSteps(counselor_, q));
  ASSERT_EQ(page.steps.size(), 1u);
  EXPECT_EQ(page.steps[0].owner, "co.lan");
  EXPECT_EQ(page.steps[0].created_by, "co.lan");
  EXPECT_EQ(Last().case_ref, trail_->CaseRef(mine));
  EXPECT_EQ(Last().reason, "owner");

  for (const Caller& c : {auditor_, admin_}) {
    const auto denied = coord_->ListSteps(c, {});
    EXPECT_THAT(denied, StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_EQ(ErrorReasonOf(denied.status()), "NO_CASE_ACCESS");
    EXPECT_EQ(Last().outcome, "permission_denied");
  }
}

TEST_F(CoordinationDeskTest, OverdueIsBeforeTodayAndNotFinished) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView late, coord_->AddStep(counselor_, Step(id, kCounselingSession,
                                                      "co.lan", "2026-11-20")));
  EXPECT_TRUE(late.overdue);
  ASSERT_OK_AND_ASSIGN(
      StepView late_done,
      coord_->AddStep(counselor_,
                      Step(id, kCounselingSession, "co.lan", "2026-11-21")));
  ASSERT_OK(coord_->CompleteStep(counselor_, late_done.id, 1, "").status());
  ASSERT_OK_AND_ASSIGN(
      StepView today,
      coord_->AddStep(counselor_,
                      Step(id, kCounselingSession, "co.lan", "2026-11-29")));
  EXPECT_FALSE(today.overdue);
  ASSERT_OK_AND_ASSIGN(
      StepView later, coord_->AddStep(counselor_, Step(id, kHomeVisit, "co.lan",
                                                       "2026-12-20")));

  StepListQuery q;
  q.overdue = true;
  ASSERT_OK_AND_ASSIGN(StepListPage overdue, coord_->ListSteps(counselor_, q));
  ASSERT_EQ(overdue.steps.size(), 1u);
  EXPECT_EQ(overdue.steps[0].id, late.id);
  EXPECT_TRUE(overdue.steps[0].overdue);

  // A day later, the step due today is overdue too.
  clock_.Advance(24 * 3600 * 1000);
  ASSERT_OK_AND_ASSIGN(overdue, coord_->ListSteps(counselor_, q));
  std::vector<std::string> ids;
  for (const StepView& s : overdue.steps) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{late.id, today.id}));

  ASSERT_OK_AND_ASSIGN(StepListPage all, coord_->ListSteps(counselor_, {}));
  ASSERT_EQ(all.steps.size(), 4u);
  EXPECT_EQ(all.steps[0].id, late.id);  // by due date
  EXPECT_FALSE(all.steps[1].overdue);   // done
  EXPECT_EQ(all.steps[1].status, StepStatus::kDone);
  EXPECT_TRUE(all.steps[2].overdue);
  EXPECT_FALSE(all.steps[3].overdue);
  EXPECT_EQ(all.steps[3].id, later.id);
  // Sealed fields are not opened in a list.
  EXPECT_EQ(all.steps[1].outcome, "");
}

TEST_F(CoordinationDeskTest, ListStepsPagesInDueDateOrder) {
  const std::string id = FileCase(counselor_);
  std::vector<std::string> ids;
  for (int day = 10; day >= 1; day -= 2) {
    const std::string due =
        "2026-12-" + std::string(day < 10 ? "0" : "") + std::to_string(day);
    ASSERT_OK_AND_ASSIGN(
        StepView s, coord_->AddStep(counselor_, Step(id, kCounselingSession,
                                                     "co.lan", due)));
    ids.insert(ids.begin(), s.id);
  }
  StepListQuery q;
  q.page_size = 2;
  std::vector<std::string> seen;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(StepListPage page, coord_->ListSteps(counselor_, q));
    EXPECT_LE(page.steps.size(), 2u);
    for (const StepView& s : page.steps) seen.push_back(s.id);
    q.page_token = page.next_page_token;
    ++pages;
  } while (!q.page_token.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, ids);
}

TEST_F(CoordinationDeskTest, ClosedCaseIsReadOnly) {
  const std::string id = FileCase(counselor_);
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan")));
  ASSERT_OK_AND_ASSIGN(
      ConsentView consent,
      coord_->RecordConsent(counselor_, Referral(id, kPoliceReport)));
  EditCase(id, [](storage::CaseRecord& r) {
    r.status = static_cast<int32_t>(CaseStatus::kClosed);
  });
  const int64_t version = StoredCase(id).version;
  auto add =
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.lan"));
  EXPECT_THAT(add, StatusIs(absl::StatusCode::kFailedPrecondition,
                            HasSubstr("closed")));
  EXPECT_EQ(Last().outcome, "failed_precondition");
  StepChange change;
  change.step_id = step.id;
  change.version = 1;
  change.due_date = "2026-12-30";
  EXPECT_THAT(coord_->UpdateStep(counselor_, change),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(coord_->CompleteStep(counselor_, step.id, 1, ""),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(coord_->RecordConsent(counselor_, Referral(id, kHealthReferral)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(
      coord_->RecordOverride(principal_, ReferralOverride(id, kHealthReferral)),
      StatusIs(absl::StatusCode::kNotFound));  // not escalated
  EditCase(id, [](storage::CaseRecord& r) { r.escalation = 1; });
  EXPECT_THAT(
      coord_->RecordOverride(principal_, ReferralOverride(id, kHealthReferral)),
      StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_EQ(StepCount(id), 1u);
  EXPECT_EQ(StoredStep(step.id).version, 1);
  EXPECT_EQ(StoredCase(id).version, version);
  // Reading still works, and consent can still be withdrawn.
  EXPECT_EQ(ListedIds(counselor_), std::vector<std::string>{step.id});
  ASSERT_OK_AND_ASSIGN(ConsentView withdrawn,
                       coord_->WithdrawConsent(counselor_, consent.id));
  EXPECT_FALSE(withdrawn.in_force);
  EXPECT_EQ(StoredCase(id).status, static_cast<int32_t>(CaseStatus::kClosed));
}

TEST_F(CoordinationDeskTest, OutcomesAndPartiesAreSealedAtRest) {
  const std::string id = FileCase(counselor_);
  const std::string party = "Bác sĩ Phạm Thị Thu, Trạm y tế xã Đông Hòa";
  const std::string outcome = "Em đã được khám, không có thương tích nặng.";
  ASSERT_OK(coord_->RecordConsent(counselor_, Referral(id, kHealthReferral))
                .status());
  ASSERT_OK_AND_ASSIGN(
      StepView step,
      coord_->AddStep(counselor_, PartyStep(id, kHealthReferral, party)));
  ASSERT_OK(coord_->CompleteStep(counselor_, step.id, 1, outcome).status());
  const storage::StepRecord stored = StoredStep(step.id);
  EXPECT_FALSE(stored.sealed_outcome.empty());
  EXPECT_FALSE(stored.sealed_external_party.empty());
  for (const std::string& field :
       {stored.sealed_outcome, stored.sealed_external_party}) {
    EXPECT_EQ(field.find(outcome), std::string::npos);
    EXPECT_EQ(field.find(party), std::string::npos);
    EXPECT_EQ(field.find("Phạm Thị Thu"), std::string::npos);
    EXPECT_EQ(field.find("thương tích"), std::string::npos);
  }
  // They open only as their own field of their own case.
  ASSERT_OK_AND_ASSIGN(auto key,
                       case_keys_->OpenCaseKey(
                           id, crypto::WrappedDek{StoredCase(id).kek_version,
                                                  StoredCase(id).wrapped_dek}));
  EXPECT_EQ(
      key->OpenField("step/" + step.id + "/outcome", stored.sealed_outcome)
          .value_or(""),
      outcome);
  EXPECT_THAT(
      key->OpenField("step/" + step.id + "/party", stored.sealed_outcome),
      StatusIs(absl::StatusCode::kDataLoss));
  // And nothing of them reaches the audit log.
  for (const std::string& entry : RawEntries()) {
    EXPECT_EQ(entry.find("Phạm Thị Thu"), std::string::npos);
    EXPECT_EQ(entry.find("thương tích"), std::string::npos);
  }
}

TEST_F(CoordinationDeskTest, AStepIsNotKeptWhenItsEntryCannotBeWritten) {
  const std::string id = FileCase(counselor_);
  const int64_t version = StoredCase(id).version;
  faulty_->Inject(testing::AuditFault::kAppend);
  EXPECT_THAT(
      coord_->AddStep(counselor_, Step(id, kCounselingSession, "co.mai")),
      StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(coord_->RecordConsent(counselor_, Referral(id, kPoliceReport)),
              StatusIs(absl::StatusCode::kUnavailable));
  faulty_->Inject(testing::AuditFault::kNone);
  EXPECT_EQ(StepCount(id), 0u);
  EXPECT_EQ(StoredCase(id).version, version);
  EXPECT_THAT(desk_->Get(counselor2_, id),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(coord_->AddStep(counselor_, PartyStep(id, kPoliceReport, "x")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace casevault::domain
