#include "server/case_translation.h"

#include "common/clock.h"

namespace casevault::server {

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

void ToProto(const domain::CaseNote& note, v1::Note* out) {
  out->set_id(note.id);
  out->set_author(note.author);
  out->set_created_at(FormatRfc3339Millis(note.created_at));
  out->set_text(note.text);
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
}

void ToProto(const domain::CaseSummary& s, v1::CaseSummary* out) {
  out->set_id(s.id);
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
