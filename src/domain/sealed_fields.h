// The plaintext layout of a case's sealed fields (docs/formats.md):
//   "people"    -> canonical JSON {"victim":{...},"perpetrator":{...}}
//   "place"     -> UTF-8 text
//   "narrative" -> UTF-8 text
//   "note/<id>" -> UTF-8 text
//   "step/<id>/outcome" -> UTF-8 text (a coordination step's outcome)
//   "step/<id>/party"   -> UTF-8 text (a step's external party)
#ifndef CASEVAULT_DOMAIN_SEALED_FIELDS_H_
#define CASEVAULT_DOMAIN_SEALED_FIELDS_H_

#include <string>

#include "absl/status/statusor.h"
#include "crypto/case_key.h"
#include "domain/case_model.h"
#include "storage/records.h"

namespace casevault::domain {

inline constexpr char kFieldPeople[] = "people";
inline constexpr char kFieldPlace[] = "place";
inline constexpr char kFieldNarrative[] = "narrative";
inline constexpr char kFieldClosureNote[] = "closure";
std::string NoteField(const std::string& note_id);
std::string StepOutcomeField(const std::string& step_id);
std::string StepPartyField(const std::string& step_id);

// Seals the sensitive parts of `c` into `record`.
void SealCaseContent(const crypto::CaseKey& key, const NewCase& c,
                     storage::CaseRecord& record);

// Opens them again; DATA_LOSS if any field fails to open.
absl::StatusOr<NewCase> OpenCaseContent(const crypto::CaseKey& key,
                                        const storage::CaseRecord& record);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_SEALED_FIELDS_H_
