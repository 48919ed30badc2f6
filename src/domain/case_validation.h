#ifndef CASEVAULT_DOMAIN_CASE_VALIDATION_H_
#define CASEVAULT_DOMAIN_CASE_VALIDATION_H_

#include <string>

#include "absl/status/status.h"
#include "common/clock.h"
#include "common/field_violation.h"
#include "domain/case_model.h"

namespace casevault::domain {

// OK, or INVALID_ARGUMENT naming every bad field (FieldViolationsOf). Field
// paths use the wire names ("victim.birth_year"). `today` is the current
// UTC day (days since the epoch): incident dates and birth years may not be
// in the future. Descriptions never repeat the submitted value.
absl::Status ValidateNewCase(const NewCase& c, int64_t today);

// A text field: required or not, valid UTF-8, at most `max` code points,
// control characters refused (newlines allowed when `multiline`).
void CheckText(Violations& v, const std::string& field,
               const std::string& value, size_t max, bool required,
               bool multiline);

// An enum code of a request: 0 is "is required", outside 1..max "is not a
// known value".
void CheckEnum(Violations& v, const std::string& field, int32_t value,
               int32_t max);

// A required date written YYYY-MM-DD (a real calendar date).
void CheckDate(Violations& v, const std::string& field,
               const std::string& date);
// The same, and not after `today` (days since the epoch).
void CheckPastDate(Violations& v, const std::string& field,
                   const std::string& date, int64_t today);

// Case ids are 24 lowercase hex characters.
bool IsWellFormedCaseId(const std::string& id);

absl::Status ValidateCaseId(const std::string& id);
absl::Status ValidateNoteText(const std::string& text);
absl::Status ValidateListQuery(const CaseListQuery& q);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_VALIDATION_H_
