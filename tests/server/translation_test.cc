#include <string>

#include "gtest/gtest.h"
#include "gmock/gmock.h"
#include "server/case_translation.h"
#include "server/coordination_translation.h"

namespace casevault::server {
namespace {

using ::testing::ElementsAre;

// 2026-11-29T00:00:00.000Z
constexpr UnixMillis kNow = 1795910400000;

TEST(CaseTranslationTest, ListCasesFilters) {
  v1::ListCasesRequest r;
  r.set_page_size(7);
  r.set_page_token("tok");
  r.set_status(v1::CASE_STATUS_ESCALATED);
  r.set_severity(v1::SEVERITY_HIGH);
  r.set_overdue(true);
  r.set_environment(v1::ENVIRONMENT_SOCIETY);
  const domain::CaseListQuery q = FromProto(r);
  EXPECT_EQ(q.page_size, 7);
  EXPECT_EQ(q.page_token, "tok");
  EXPECT_EQ(q.status, 3);
  EXPECT_EQ(q.severity, 3);
  EXPECT_TRUE(q.overdue);
  EXPECT_EQ(q.environment, 3);
}

TEST(CaseTranslationTest, ChangesCarryTheirFields) {
  v1::EscalateCaseRequest escalate;
  escalate.set_case_id("c-1");
  escalate.set_version(4);
  escalate.set_reason(v1::ESCALATION_REASON_STAFF_INVOLVED);
  escalate.set_note("Nhờ hiệu trưởng xem");
  domain::CaseChange c = FromProto(escalate);
  EXPECT_EQ(c.case_id, "c-1");
  EXPECT_EQ(c.version, 4);
  EXPECT_EQ(c.reason, 3);
  EXPECT_EQ(c.note, "Nhờ hiệu trưởng xem");
  EXPECT_EQ(c.username, "");

  v1::AssignCaseRequest assign;
  assign.set_case_id("c-2");
  assign.set_version(5);
  assign.set_username("bob");
  c = FromProto(assign);
  EXPECT_EQ(c.case_id, "c-2");
  EXPECT_EQ(c.version, 5);
  EXPECT_EQ(c.username, "bob");
  EXPECT_EQ(c.reason, 0);

  v1::RemoveImplicatedRequest remove;
  remove.set_case_id("c-3");
  remove.set_version(6);
  remove.set_username("carol");
  remove.set_reason(v1::REMOVAL_REASON_CLEARED_AFTER_REVIEW);
  remove.set_note("cleared");
  c = FromProto(remove);
  EXPECT_EQ(c.username, "carol");
  EXPECT_EQ(c.reason, 2);
  EXPECT_EQ(c.note, "cleared");

  v1::CloseCaseRequest close;
  close.set_case_id("c-4");
  close.set_version(9);
  close.set_reason(v1::CLOSURE_REASON_DUPLICATE);
  close.set_note("dup of c-3");
  c = FromProto(close);
  EXPECT_EQ(c.version, 9);
  EXPECT_EQ(c.reason, 6);
  EXPECT_EQ(c.note, "dup of c-3");

  v1::ReopenCaseRequest reopen;
  reopen.set_case_id("c-5");
  reopen.set_version(10);
  reopen.set_note("new facts");
  c = FromProto(reopen);
  EXPECT_EQ(c.case_id, "c-5");
  EXPECT_EQ(c.note, "new facts");

  v1::AcceptCaseRequest accept;
  accept.set_case_id("c-6");
  accept.set_version(11);
  c = FromProto(accept);
  EXPECT_EQ(c.case_id, "c-6");
  EXPECT_EQ(c.version, 11);
}

// Enum values the proto does not know pass through as numbers, for the
// domain to refuse.
TEST(CaseTranslationTest, UnknownEnumNumbersPassThrough) {
  v1::EscalateCaseRequest escalate;
  escalate.set_reason(static_cast<v1::EscalationReason>(99));
  EXPECT_EQ(FromProto(escalate).reason, 99);
  v1::ListCasesRequest list;
  list.set_environment(static_cast<v1::Environment>(-4));
  EXPECT_EQ(FromProto(list).environment, -4);
}

TEST(CaseTranslationTest, CaseState) {
  domain::CaseState s;
  s.case_id = "c-1";
  s.status = domain::CaseStatus::kResolved;
  s.version = 12;
  s.owner = "alice";
  s.pending_owner = "bob";
  s.escalation = 2;
  s.escalation_reason = 5;
  s.staff_involved = true;
  s.closure_pending = true;
  s.closure_reason = 1;
  s.participants = {"dan", "erin"};
  s.implicated = {"frank"};
  s.updated_at = kNow;
  v1::CaseState out;
  ToProto(s, &out);
  EXPECT_EQ(out.case_id(), "c-1");
  EXPECT_EQ(out.status(), v1::CASE_STATUS_RESOLVED);
  EXPECT_EQ(out.version(), 12);
  EXPECT_EQ(out.owner(), "alice");
  EXPECT_EQ(out.pending_owner(), "bob");
  EXPECT_EQ(out.escalation(), v1::ESCALATION_DISTRICT);
  EXPECT_EQ(out.escalation_reason(), v1::ESCALATION_REASON_CONTINUING_RISK);
  EXPECT_TRUE(out.staff_involved());
  EXPECT_TRUE(out.closure_pending());
  EXPECT_EQ(out.closure_reason(), v1::CLOSURE_REASON_SUPPORT_COMPLETED);
  EXPECT_THAT(out.participants(), ElementsAre("dan", "erin"));
  EXPECT_THAT(out.implicated(), ElementsAre("frank"));
  EXPECT_EQ(out.updated_at(), "2026-11-29T00:00:00.000Z");
}

TEST(CaseTranslationTest, CaseCarriesStateTimelineConsentAndClosure) {
  domain::CaseView view;
  view.id = "c-1";
  view.status = domain::CaseStatus::kClosed;
  view.created_at = kNow;
  view.updated_at = kNow;
  view.state.case_id = "c-1";
  view.state.status = domain::CaseStatus::kClosed;
  view.state.escalation = 1;
  view.state.updated_at = kNow;
  domain::StepView step;
  step.id = "s-1";
  step.case_id = "c-1";
  step.kind = 32;
  step.environment = domain::Environment::kSociety;
  view.steps.push_back(step);
  domain::ConsentView consent;
  consent.id = "k-1";
  consent.in_force = true;
  view.consents.push_back(consent);
  domain::OverrideView override_view;
  override_view.id = "o-1";
  override_view.reason = 2;
  view.overrides.push_back(override_view);
  view.closure_note = "Hỗ trợ đã hoàn tất";

  v1::Case out;
  ToProto(view, &out);
  EXPECT_EQ(out.state().case_id(), "c-1");
  EXPECT_EQ(out.state().status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(out.state().escalation(), v1::ESCALATION_PRINCIPAL);
  ASSERT_EQ(out.steps_size(), 1);
  EXPECT_EQ(out.steps(0).id(), "s-1");
  EXPECT_EQ(out.steps(0).kind(), v1::STEP_KIND_POLICE_REPORT);
  EXPECT_EQ(out.steps(0).environment(), v1::ENVIRONMENT_SOCIETY);
  ASSERT_EQ(out.consents_size(), 1);
  EXPECT_TRUE(out.consents(0).in_force());
  ASSERT_EQ(out.overrides_size(), 1);
  EXPECT_EQ(out.overrides(0).reason(), v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW);
  EXPECT_EQ(out.closure_note(), "Hỗ trợ đã hoàn tất");
}

TEST(CaseTranslationTest, SummaryCarriesEscalation) {
  domain::CaseSummary s;
  s.id = "c-1";
  s.escalation = 2;
  s.created_at = kNow;
  s.updated_at = kNow;
  v1::CaseSummary out;
  ToProto(s, &out);
  EXPECT_EQ(out.escalation(), v1::ESCALATION_DISTRICT);
}

TEST(CoordinationTranslationTest, AddStep) {
  v1::AddStepRequest r;
  r.set_case_id("c-1");
  r.set_kind(v1::STEP_KIND_HOME_VISIT);
  r.set_owner("alice");
  r.set_external_party("Hội Phụ nữ xã");
  r.set_due_date("2026-12-01");
  const domain::NewStep s = FromProto(r);
  EXPECT_EQ(s.case_id, "c-1");
  EXPECT_EQ(s.kind, 22);
  EXPECT_EQ(s.owner, "alice");
  EXPECT_EQ(s.external_party, "Hội Phụ nữ xã");
  EXPECT_EQ(s.due_date, "2026-12-01");
}

TEST(CoordinationTranslationTest, UpdateStepAbsentFieldsStayUnchanged) {
  v1::UpdateStepRequest r;
  r.set_step_id("s-1");
  r.set_version(3);
  const domain::StepChange c = FromProto(r);
  EXPECT_EQ(c.step_id, "s-1");
  EXPECT_EQ(c.version, 3);
  EXPECT_EQ(c.status, 0);
  EXPECT_FALSE(c.owner.has_value());
  EXPECT_FALSE(c.external_party.has_value());
  EXPECT_FALSE(c.due_date.has_value());
  EXPECT_FALSE(c.outcome.has_value());
}

// A field set to "" is present: it clears, where an absent one leaves as is.
TEST(CoordinationTranslationTest, UpdateStepPresentFieldsEvenEmpty) {
  v1::UpdateStepRequest r;
  r.set_step_id("s-1");
  r.set_status(v1::STEP_STATUS_CANCELLED);
  r.set_owner("");
  r.set_external_party("Trạm y tế");
  r.set_due_date("2026-12-24");
  r.set_outcome("");
  const domain::StepChange c = FromProto(r);
  EXPECT_EQ(c.status, 4);
  ASSERT_TRUE(c.owner.has_value());
  EXPECT_EQ(*c.owner, "");
  ASSERT_TRUE(c.external_party.has_value());
  EXPECT_EQ(*c.external_party, "Trạm y tế");
  ASSERT_TRUE(c.due_date.has_value());
  EXPECT_EQ(*c.due_date, "2026-12-24");
  ASSERT_TRUE(c.outcome.has_value());
  EXPECT_EQ(*c.outcome, "");
}

TEST(CoordinationTranslationTest, ListSteps) {
  v1::ListStepsRequest r;
  r.set_case_id("c-1");
  r.set_overdue(true);
  r.set_page_size(10);
  r.set_page_token("p");
  const domain::StepListQuery q = FromProto(r);
  EXPECT_EQ(q.case_id, "c-1");
  EXPECT_TRUE(q.overdue);
  EXPECT_EQ(q.page_size, 10);
  EXPECT_EQ(q.page_token, "p");
}

TEST(CoordinationTranslationTest, ConsentAndOverrideRequests) {
  v1::RecordConsentRequest consent;
  consent.set_case_id("c-1");
  consent.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  consent.set_service_kind(v1::STEP_KIND_LEGAL_AID);
  consent.set_given_by(v1::CONSENT_GIVER_BOTH);
  consent.set_child_assent(v1::CHILD_ASSENT_NOT_ABLE);
  consent.set_given_on("2026-11-28");
  const domain::NewConsent c = FromProto(consent);
  EXPECT_EQ(c.case_id, "c-1");
  EXPECT_EQ(c.purpose, 1);
  EXPECT_EQ(c.service_kind, 36);
  EXPECT_EQ(c.given_by, 3);
  EXPECT_EQ(c.child_assent, 3);
  EXPECT_EQ(c.given_on, "2026-11-28");

  v1::RecordOverrideRequest override_request;
  override_request.set_case_id("c-2");
  override_request.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  override_request.set_service_kind(v1::STEP_KIND_POLICE_REPORT);
  override_request.set_reason(v1::OVERRIDE_REASON_GUARDIAN_IS_PERPETRATOR);
  const domain::NewOverride o = FromProto(override_request);
  EXPECT_EQ(o.case_id, "c-2");
  EXPECT_EQ(o.purpose, 1);
  EXPECT_EQ(o.service_kind, 32);
  EXPECT_EQ(o.reason, 1);
}

TEST(CoordinationTranslationTest, StepView) {
  domain::StepView s;
  s.id = "s-1";
  s.case_id = "c-1";
  s.kind = 21;
  s.environment = domain::Environment::kFamily;
  s.status = domain::StepStatus::kInProgress;
  s.owner = "";
  s.external_party = "bà ngoại";
  s.due_date = "2026-11-20";
  s.outcome = "đã gọi";
  s.created_by = "alice";
  s.created_at = kNow;
  s.updated_at = kNow + 1;
  s.version = 2;
  s.overdue = true;
  v1::Step out;
  ToProto(s, &out);
  EXPECT_EQ(out.id(), "s-1");
  EXPECT_EQ(out.case_id(), "c-1");
  EXPECT_EQ(out.kind(), v1::STEP_KIND_CONTACT_GUARDIAN);
  EXPECT_EQ(out.environment(), v1::ENVIRONMENT_FAMILY);
  EXPECT_EQ(out.status(), v1::STEP_STATUS_IN_PROGRESS);
  EXPECT_EQ(out.owner(), "");
  EXPECT_EQ(out.external_party(), "bà ngoại");
  EXPECT_EQ(out.due_date(), "2026-11-20");
  EXPECT_EQ(out.outcome(), "đã gọi");
  EXPECT_EQ(out.created_by(), "alice");
  EXPECT_EQ(out.created_at(), "2026-11-29T00:00:00.000Z");
  EXPECT_EQ(out.updated_at(), "2026-11-29T00:00:00.001Z");
  EXPECT_EQ(out.version(), 2);
  EXPECT_TRUE(out.overdue());
}

TEST(CoordinationTranslationTest, ConsentInForceHasNoWithdrawal) {
  domain::ConsentView c;
  c.id = "k-1";
  c.case_id = "c-1";
  c.purpose = 1;
  c.service_kind = 35;
  c.given_by = 2;
  c.child_assent = 1;
  c.given_on = "2026-11-28";
  c.recorded_by = "alice";
  c.recorded_at = kNow;
  c.in_force = true;
  v1::Consent out;
  ToProto(c, &out);
  EXPECT_EQ(out.service_kind(), v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111);
  EXPECT_EQ(out.given_by(), v1::CONSENT_GIVER_GUARDIAN);
  EXPECT_EQ(out.child_assent(), v1::CHILD_ASSENT_GIVEN);
  EXPECT_EQ(out.recorded_at(), "2026-11-29T00:00:00.000Z");
  EXPECT_EQ(out.withdrawn_at(), "");
  EXPECT_EQ(out.withdrawn_by(), "");
  EXPECT_TRUE(out.in_force());

  c.withdrawn_at = kNow + 1000;
  c.withdrawn_by = "bob";
  c.in_force = false;
  out.Clear();
  ToProto(c, &out);
  EXPECT_EQ(out.withdrawn_at(), "2026-11-29T00:00:01.000Z");
  EXPECT_EQ(out.withdrawn_by(), "bob");
  EXPECT_FALSE(out.in_force());
}

TEST(CoordinationTranslationTest, Override) {
  domain::OverrideView o;
  o.id = "o-1";
  o.case_id = "c-1";
  o.purpose = 1;
  o.service_kind = 32;
  o.reason = 3;
  o.recorded_by = "principal";
  o.recorded_at = kNow;
  v1::ConsentOverride out;
  ToProto(o, &out);
  EXPECT_EQ(out.id(), "o-1");
  EXPECT_EQ(out.case_id(), "c-1");
  EXPECT_EQ(out.purpose(), v1::CONSENT_PURPOSE_REFERRAL);
  EXPECT_EQ(out.service_kind(), v1::STEP_KIND_POLICE_REPORT);
  EXPECT_EQ(out.reason(), v1::OVERRIDE_REASON_LEGAL_DUTY_TO_REPORT);
  EXPECT_EQ(out.recorded_by(), "principal");
  EXPECT_EQ(out.recorded_at(), "2026-11-29T00:00:00.000Z");
}

}  // namespace
}  // namespace casevault::server
