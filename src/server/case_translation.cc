#include "server/case_translation.h"

#include "common/clock.h"
#include "server/coordination_translation.h"

namespace casevault::server {
namespace {

// The fields every routing or lifecycle request shares.
template <typename Request>
domain::CaseChange ChangeOf(const Request& r) {
  domain::CaseChange c;
  c.case_id = r.case_id();
  c.version = r.version();
  return c;
}

}  // namespace

std::string TimeOrEmpty(UnixMillis t) {
  return t == 0 ? std::string() : FormatRfc3339Millis(t);
}

domain::NewCase FromProto(const v1::FileCaseRequest& r) {
  domain::NewCase c;
  c.incident_type = r.incident_type();
  c.context = r.context();
  c.severity = r.severity();
  c.incident_date = r.incident_date();
  c.place = r.place();
  c.reporter_type = r.reporter_type();
  c.victim.name = r.victim().name();
  c.victim.gender = r.victim().gender();
  c.victim.birth_year = r.victim().birth_year();
  c.victim.class_or_job = r.victim().class_or_job();
  c.victim.is_staff = r.victim().is_staff();
  c.perpetrator.relation = r.perpetrator().relation();
  c.perpetrator.name = r.perpetrator().name();
  c.narrative = r.narrative();
  return c;
}

domain::CaseListQuery FromProto(const v1::ListCasesRequest& r) {
  domain::CaseListQuery q;
  q.page_size = r.page_size();
  q.page_token = r.page_token();
  q.status = r.status();
  q.severity = r.severity();
  q.overdue = r.overdue();
  q.environment = r.environment();
  return q;
}

domain::CaseChange FromProto(const v1::EscalateCaseRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.reason = r.reason();
  c.note = r.note();
  return c;
}

domain::CaseChange FromProto(const v1::AssignCaseRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.username = r.username();
  return c;
}

domain::CaseChange FromProto(const v1::AcceptCaseRequest& r) {
  return ChangeOf(r);
}

domain::CaseChange FromProto(const v1::AddParticipantRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.username = r.username();
  return c;
}

domain::CaseChange FromProto(const v1::AddImplicatedRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.username = r.username();
  return c;
}

domain::CaseChange FromProto(const v1::RemoveImplicatedRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.username = r.username();
  c.reason = r.reason();
  c.note = r.note();
  return c;
}

domain::CaseChange FromProto(const v1::ResolveCaseRequest& r) {
  return ChangeOf(r);
}

domain::CaseChange FromProto(const v1::CloseCaseRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.reason = r.reason();
  c.note = r.note();
  return c;
}

domain::CaseChange FromProto(const v1::ApproveClosureRequest& r) {
  return ChangeOf(r);
}

domain::CaseChange FromProto(const v1::ReopenCaseRequest& r) {
  domain::CaseChange c = ChangeOf(r);
  c.note = r.note();
  return c;
}

void ToProto(const domain::CaseNote& note, v1::Note* out) {
  out->set_id(note.id);
  out->set_author(note.author);
  out->set_created_at(FormatRfc3339Millis(note.created_at));
  out->set_text(note.text);
}

void ToProto(const domain::CaseState& s, v1::CaseState* out) {
  out->set_case_id(s.case_id);
  out->set_status(static_cast<v1::CaseStatus>(s.status));
  out->set_version(s.version);
  out->set_owner(s.owner);
  out->set_pending_owner(s.pending_owner);
  out->set_escalation(static_cast<v1::Escalation>(s.escalation));
  out->set_escalation_reason(
      static_cast<v1::EscalationReason>(s.escalation_reason));
  out->set_staff_involved(s.staff_involved);
  out->set_closure_pending(s.closure_pending);
  out->set_closure_reason(static_cast<v1::ClosureReason>(s.closure_reason));
  for (const auto& p : s.participants) out->add_participants(p);
  for (const auto& i : s.implicated) out->add_implicated(i);
  out->set_updated_at(TimeOrEmpty(s.updated_at));
}

void ToProto(const domain::CaseView& view, v1::Case* out) {
  const domain::NewCase& c = view.content;
  out->set_id(view.id);
  out->set_incident_type(static_cast<v1::IncidentType>(c.incident_type));
  out->set_context(static_cast<v1::IncidentContext>(c.context));
  out->set_severity(static_cast<v1::Severity>(c.severity));
  out->set_incident_date(c.incident_date);
  out->set_place(c.place);
  out->set_reporter_type(static_cast<v1::ReporterType>(c.reporter_type));
  auto* victim = out->mutable_victim();
  victim->set_name(c.victim.name);
  victim->set_gender(static_cast<v1::Gender>(c.victim.gender));
  victim->set_birth_year(c.victim.birth_year);
  victim->set_class_or_job(c.victim.class_or_job);
  victim->set_is_staff(c.victim.is_staff);
  auto* perpetrator = out->mutable_perpetrator();
  perpetrator->set_relation(
      static_cast<v1::PerpetratorRelation>(c.perpetrator.relation));
  perpetrator->set_name(c.perpetrator.name);
  out->set_narrative(c.narrative);
  out->set_status(static_cast<v1::CaseStatus>(view.status));
  out->set_school_id(view.school_id);
  out->set_owner(view.owner);
  out->set_created_at(FormatRfc3339Millis(view.created_at));
  out->set_updated_at(FormatRfc3339Millis(view.updated_at));
  out->set_version(view.version);
  for (const auto& note : view.notes) ToProto(note, out->add_notes());
  ToProto(view.state, out->mutable_state());
  for (const auto& step : view.steps) ToProto(step, out->add_steps());
  for (const auto& consent : view.consents) {
    ToProto(consent, out->add_consents());
  }
  for (const auto& o : view.overrides) ToProto(o, out->add_overrides());
  out->set_closure_note(view.closure_note);
}

void ToProto(const domain::CaseSummary& s, v1::CaseSummary* out) {
  out->set_id(s.id);
  out->set_escalation(static_cast<v1::Escalation>(s.escalation));
  out->set_incident_type(static_cast<v1::IncidentType>(s.incident_type));
  out->set_context(static_cast<v1::IncidentContext>(s.context));
  out->set_severity(static_cast<v1::Severity>(s.severity));
  out->set_status(static_cast<v1::CaseStatus>(s.status));
  out->set_incident_date(s.incident_date);
  out->set_owner(s.owner);
  out->set_created_at(FormatRfc3339Millis(s.created_at));
  out->set_updated_at(FormatRfc3339Millis(s.updated_at));
}

void ToProto(const domain::AccountView& a, v1::Account* out) {
  out->set_username(a.username);
  out->set_role(static_cast<v1::Role>(a.role));
  out->set_unit_id(a.unit_id);
  out->set_disabled(a.disabled);
  if (a.locked_until != 0) {
    out->set_locked_until(FormatRfc3339Millis(a.locked_until));
  }
  out->set_created_at(FormatRfc3339Millis(a.created_at));
}

}  // namespace casevault::server
