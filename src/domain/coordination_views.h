// Steps, consent and overrides from their stored rows to what callers see,
// and the rules that the coordination desk and a case's timeline share
// (docs/lifecycle.md, "Steps" and "Consent").
#ifndef CASEVAULT_DOMAIN_COORDINATION_VIEWS_H_
#define CASEVAULT_DOMAIN_COORDINATION_VIEWS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/case_key.h"
#include "domain/case_access.h"
#include "domain/coordination_model.h"
#include "storage/records.h"
#include "storage/store.h"

namespace casevault::domain {

// "no step with this id is visible to you": a missing step, or one of a
// case the caller may not view.
absl::Status StepNotFound();
// The same for a consent id.
absl::Status ConsentNotFound();

// Not done or cancelled and due before `today` (YYYY-MM-DD, UTC).
bool IsOverdue(const storage::StepRecord& step, const std::string& today);

// Counts for a referral now: not withdrawn and, for a minor victim, the
// child's assent not refused.
bool ConsentInForce(const storage::ConsentRecord& consent, bool victim_minor);

// The view of `step` without its sealed fields (external party and
// outcome empty); names from `names`, which must have looked up the
// owner and creator.
StepView StepViewOf(const storage::StepRecord& step, const Usernames& names,
                    const std::string& today);

// Opens the external party and outcome into `view`; DATA_LOSS if either
// does not open as that field of that case.
absl::Status OpenStepFields(const crypto::CaseKey& key,
                            const storage::StepRecord& step, StepView& view);

ConsentView ConsentViewOf(const storage::ConsentRecord& consent,
                          bool victim_minor, const Usernames& names);
OverrideView OverrideViewOf(const storage::OverrideRecord& override_record,
                            const Usernames& names);

// FAILED_PRECONDITION unless the case holds, for society step kind `kind`,
// a referral consent in force or a referral override.
absl::Status CheckReferralAllowed(storage::Transaction& tx,
                                  const storage::CaseRecord& record,
                                  int32_t kind);


}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_COORDINATION_VIEWS_H_
