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

// Usernames of account ids, looked up once each within one transaction.
class Usernames {
 public:
  // "" for id 0.
  absl::StatusOr<std::string> Of(storage::Transaction& tx, int64_t id);
  // After the transaction: a name looked up before ("" otherwise).
  std::string Known(int64_t id) const;

 private:
  std::map<int64_t, std::string> names_;
};

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

// The active account named `username` (INVALID_ARGUMENT on "owner"
// otherwise), recorded as the entry's target, that may own a step of the
// case: a counselor, principal or union officer of the case's school, or a
// district account, not implicated in the case (FAILED_PRECONDITION
// otherwise, without saying which).
absl::StatusOr<storage::AccountRecord> FindStepOwner(
    storage::Transaction& tx, const CaseContext& context,
    const std::string& username, AuditEvent& event);

// Makes `account_id` a participant of the case (already one: OK).
absl::Status MakeParticipant(storage::Transaction& tx,
                             const std::string& case_id, int64_t account_id,
                             int64_t added_by, UnixMillis now);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_COORDINATION_VIEWS_H_
