#include "server/coordination_translation.h"

#include "server/case_translation.h"

namespace casevault::server {

domain::NewStep FromProto(const v1::AddStepRequest& r) {
  domain::NewStep s;
  s.case_id = r.case_id();
  s.kind = r.kind();
  s.owner = r.owner();
  s.external_party = r.external_party();
  s.due_date = r.due_date();
  return s;
}

domain::StepChange FromProto(const v1::UpdateStepRequest& r) {
  domain::StepChange c;
  c.step_id = r.step_id();
  c.version = r.version();
  c.status = r.status();
  if (r.has_owner()) c.owner = r.owner();
  if (r.has_external_party()) c.external_party = r.external_party();
  if (r.has_due_date()) c.due_date = r.due_date();
  if (r.has_outcome()) c.outcome = r.outcome();
  return c;
}

domain::StepListQuery FromProto(const v1::ListStepsRequest& r) {
  domain::StepListQuery q;
  q.case_id = r.case_id();
  q.overdue = r.overdue();
  q.page_size = r.page_size();
  q.page_token = r.page_token();
  return q;
}

domain::NewConsent FromProto(const v1::RecordConsentRequest& r) {
  domain::NewConsent c;
  c.case_id = r.case_id();
  c.purpose = r.purpose();
  c.service_kind = r.service_kind();
  c.given_by = r.given_by();
  c.child_assent = r.child_assent();
  c.given_on = r.given_on();
  return c;
}

domain::NewOverride FromProto(const v1::RecordOverrideRequest& r) {
  domain::NewOverride o;
  o.case_id = r.case_id();
  o.purpose = r.purpose();
  o.service_kind = r.service_kind();
  o.reason = r.reason();
  return o;
}

void ToProto(const domain::StepView& s, v1::Step* out) {
  out->set_id(s.id);
  out->set_case_id(s.case_id);
  out->set_environment(static_cast<v1::Environment>(s.environment));
  out->set_kind(static_cast<v1::StepKind>(s.kind));
  out->set_status(static_cast<v1::StepStatus>(s.status));
  out->set_owner(s.owner);
  out->set_external_party(s.external_party);
  out->set_due_date(s.due_date);
  out->set_outcome(s.outcome);
  out->set_created_by(s.created_by);
  out->set_created_at(TimeOrEmpty(s.created_at));
  out->set_updated_at(TimeOrEmpty(s.updated_at));
  out->set_version(s.version);
  out->set_overdue(s.overdue);
}

void ToProto(const domain::ConsentView& c, v1::Consent* out) {
  out->set_id(c.id);
  out->set_case_id(c.case_id);
  out->set_purpose(static_cast<v1::ConsentPurpose>(c.purpose));
  out->set_service_kind(static_cast<v1::StepKind>(c.service_kind));
  out->set_given_by(static_cast<v1::ConsentGiver>(c.given_by));
  out->set_child_assent(static_cast<v1::ChildAssent>(c.child_assent));
  out->set_given_on(c.given_on);
  out->set_recorded_by(c.recorded_by);
  out->set_recorded_at(TimeOrEmpty(c.recorded_at));
  out->set_withdrawn_at(TimeOrEmpty(c.withdrawn_at));
  out->set_withdrawn_by(c.withdrawn_by);
  out->set_in_force(c.in_force);
}

void ToProto(const domain::OverrideView& o, v1::ConsentOverride* out) {
  out->set_id(o.id);
  out->set_case_id(o.case_id);
  out->set_purpose(static_cast<v1::ConsentPurpose>(o.purpose));
  out->set_service_kind(static_cast<v1::StepKind>(o.service_kind));
  out->set_reason(static_cast<v1::OverrideReason>(o.reason));
  out->set_recorded_by(o.recorded_by);
  out->set_recorded_at(TimeOrEmpty(o.recorded_at));
}

}  // namespace casevault::server
