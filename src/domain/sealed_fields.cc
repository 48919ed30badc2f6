#include "domain/sealed_fields.h"

#include <nlohmann/json.hpp>

#include "common/status_macros.h"

namespace casevault::domain {

std::string NoteField(const std::string& note_id) { return "note/" + note_id; }

std::string StepOutcomeField(const std::string& step_id) {
  return "step/" + step_id + "/outcome";
}

std::string StepPartyField(const std::string& step_id) {
  return "step/" + step_id + "/party";
}

void SealCaseContent(const crypto::CaseKey& key, const NewCase& c,
                     storage::CaseRecord& record) {
  nlohmann::ordered_json people = {
      {"victim",
       {{"name", c.victim.name},
        {"gender", c.victim.gender},
        {"birth_year", c.victim.birth_year},
        {"class_or_job", c.victim.class_or_job},
        {"is_staff", c.victim.is_staff}}},
      {"perpetrator",
       {{"relation", c.perpetrator.relation}, {"name", c.perpetrator.name}}}};
  std::string people_text = people.dump();
  record.sealed_people = key.SealField(kFieldPeople, people_text);
  record.sealed_place = key.SealField(kFieldPlace, c.place);
  record.sealed_narrative = key.SealField(kFieldNarrative, c.narrative);
  // The plaintext copy is a heap string; overwrite it before it is freed.
  std::fill(people_text.begin(), people_text.end(), '\0');
}

absl::StatusOr<NewCase> OpenCaseContent(const crypto::CaseKey& key,
                                        const storage::CaseRecord& record) {
  NewCase c;
  c.incident_type = record.incident_type;
  c.context = record.context;
  c.severity = record.severity;
  c.incident_date = record.incident_date;
  c.reporter_type = record.reporter_type;
  ASSIGN_OR_RETURN(c.place, key.OpenField(kFieldPlace, record.sealed_place));
  ASSIGN_OR_RETURN(c.narrative,
                   key.OpenField(kFieldNarrative, record.sealed_narrative));
  ASSIGN_OR_RETURN(std::string people_text,
                   key.OpenField(kFieldPeople, record.sealed_people));
  const auto people = nlohmann::json::parse(people_text, nullptr,
                                            /*allow_exceptions=*/false);
  std::fill(people_text.begin(), people_text.end(), '\0');
  if (!people.is_object()) return absl::DataLossError("a sealed field is malformed");
  try {
    const auto& v = people.at("victim");
    const auto& p = people.at("perpetrator");
    c.victim.name = v.at("name").get<std::string>();
    c.victim.gender = v.at("gender").get<int32_t>();
    c.victim.birth_year = v.at("birth_year").get<int32_t>();
    c.victim.class_or_job = v.at("class_or_job").get<std::string>();
    c.victim.is_staff = v.at("is_staff").get<bool>();
    c.perpetrator.relation = p.at("relation").get<int32_t>();
    c.perpetrator.name = p.at("name").get<std::string>();
  } catch (const nlohmann::json::exception&) {
    return absl::DataLossError("a sealed field is malformed");
  }
  return c;
}

}  // namespace casevault::domain
