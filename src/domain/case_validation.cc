#include "domain/case_validation.h"

#include "common/field_violation.h"
#include "common/utf8.h"
#include "domain/limits.h"

namespace casevault {
namespace domain {
void CheckEnum(Violations& v, const std::string& field, int32_t value,
               int32_t max) {
  if (value == 0) {
    v.Add(field, "is required");
  } else if (value < 1 || value > max) {
    v.Add(field, "is not a known value");
  }
}

void CheckDate(Violations& v, const std::string& field,
               const std::string& date) {
  if (date.empty()) {
    v.Add(field, "is required");
    return;
  }
  auto day = ParseIsoDate(date);
  if (!day.ok()) v.Add(field, std::string(day.status().message()));
}

void CheckPastDate(Violations& v, const std::string& field,
                   const std::string& date, int64_t today) {
  if (date.empty()) {
    v.Add(field, "is required");
    return;
  }
  auto day = ParseIsoDate(date);
  if (!day.ok()) {
    v.Add(field, std::string(day.status().message()));
  } else if (*day > today) {
    v.Add(field, "must not be in the future");
  }
}

void CheckText(Violations& v, const std::string& field,
               const std::string& value, size_t max, bool required,
               bool multiline) {
  if (!IsValidUtf8(value)) {
    v.Add(field, "must be valid UTF-8");
    return;
  }
  if (HasControlCharacters(value, multiline)) {
    v.Add(field, "must not contain control characters");
    return;
  }
  bool blank = true;
  for (char ch : value) {
    if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r') blank = false;
  }
  if (required && blank) {
    v.Add(field, "is required");
    return;
  }
  if (CodePointCount(value) > max) {
    v.Add(field, "must be at most " + std::to_string(max) + " characters");
  }
}

absl::Status ValidateNewCase(const NewCase& c, int64_t today) {
  Violations v;
  CheckEnum(v, "incident_type", c.incident_type, kIncidentTypeMax);
  CheckEnum(v, "context", c.context, kIncidentContextMax);
  CheckEnum(v, "severity", c.severity, kSeverityHigh);
  CheckEnum(v, "reporter_type", c.reporter_type, kReporterTypeMax);
  CheckPastDate(v, "incident_date", c.incident_date, today);
  CheckText(v, "place", c.place, kMaxPlaceLength, /*required=*/false,
            /*multiline=*/false);
  CheckText(v, "victim.name", c.victim.name, kMaxNameLength,
            /*required=*/true, /*multiline=*/false);
  CheckEnum(v, "victim.gender", c.victim.gender, kGenderMax);
  const int64_t this_year = std::stoll(FormatRfc3339Millis(today * 86400000).substr(0, 4));
  if (c.victim.birth_year != 0 &&
      (c.victim.birth_year < kOldestBirthYear || c.victim.birth_year > this_year)) {
    v.Add("victim.birth_year", "must be a year between 1900 and this year");
  }
  CheckText(v, "victim.class_or_job", c.victim.class_or_job,
            kMaxClassOrJobLength, /*required=*/false, /*multiline=*/false);
  CheckEnum(v, "perpetrator.relation", c.perpetrator.relation,
            kPerpetratorRelationMax);
  CheckText(v, "perpetrator.name", c.perpetrator.name, kMaxNameLength,
            /*required=*/false, /*multiline=*/false);
  CheckText(v, "narrative", c.narrative, kMaxNarrativeLength,
            /*required=*/true, /*multiline=*/true);
  return v.ToStatus();
}

bool IsWellFormedCaseId(const std::string& id) {
  if (id.size() != 24) return false;
  for (char ch : id) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  }
  return true;
}

absl::Status ValidateCaseId(const std::string& id) {
  Violations v;
  if (id.empty()) {
    v.Add("case_id", "is required");
  } else if (!IsWellFormedCaseId(id)) {
    v.Add("case_id", "must be a case id of 24 hexadecimal characters");
  }
  return v.ToStatus();
}

absl::Status ValidateNoteText(const std::string& text) {
  Violations v;
  CheckText(v, "text", text, kMaxNoteLength, /*required=*/true,
            /*multiline=*/true);
  return v.ToStatus();
}

absl::Status ValidateListQuery(const CaseListQuery& q) {
  Violations v;
  if (q.page_size < 0 || q.page_size > kMaxPageSize) {
    v.Add("page_size", "must be between 0 and " + std::to_string(kMaxPageSize));
  }
  if (q.status < 0 || q.status > static_cast<int32_t>(CaseStatus::kClosed)) {
    v.Add("status", "is not a known value");
  }
  if (q.page_token.size() > 200) v.Add("page_token", "is not a valid page token");
  return v.ToStatus();
}

}  // namespace domain
}  // namespace casevault
