// Coordination steps and consent: what carries a case between the school,
// the family and society. Rules: docs/lifecycle.md.
//
// Invariants:
//  1. Access is decided by Decide() (policy.h) on the step's case, loaded
//     in the change's transaction: NOT_FOUND when the caller may not view
//     the case (also for a step or consent id of such a case),
//     PERMISSION_DENIED with the policy's reason otherwise.
//  2. Outcomes and external parties are sealed under the case's key (field
//     "step/<id>/outcome", "step/<id>/party"); nothing else of a step is
//     free text.
//  3. A society step needs, for its kind, a referral consent in force or an
//     override: FAILED_PRECONDITION otherwise ("record consent or an
//     override first"). A consent is in force when not withdrawn and, for a
//     minor victim, the child's assent is not "refused".
//  4. A step's owner is an active account of the case's school or district
//     that is not implicated in the case and is not an auditor or admin;
//     assigning makes it a participant of the case.
//  5. Steps of a closed case are read-only; adding the first step to an
//     open case moves it to in progress (lifecycle.h).
//  6. Every change bumps the case's version; UpdateStep and CompleteStep
//     name the step's version (stale: ABORTED). Every call appends one
//     audit entry (fail closed).
#ifndef CASEVAULT_DOMAIN_COORDINATION_DESK_H_
#define CASEVAULT_DOMAIN_COORDINATION_DESK_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "domain/audit_trail.h"
#include "domain/coordination_model.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

class CoordinationDesk {
 public:
  CoordinationDesk(storage::Store& store, const AuditTrail& trail,
                   const crypto::CaseKeyring& keys, const Clock& clock,
                   RandomSource& random)
      : store_(store),
        trail_(trail),
        keys_(keys),
        clock_(clock),
        random_(random) {}

  [[nodiscard]] absl::StatusOr<StepView> AddStep(const Caller& caller,
                                                 const NewStep& step);
  // status kDone is refused here (INVALID_ARGUMENT, use CompleteStep).
  [[nodiscard]] absl::StatusOr<StepView> UpdateStep(const Caller& caller,
                                                    const StepChange& change);
  [[nodiscard]] absl::StatusOr<StepView> CompleteStep(
      const Caller& caller, const std::string& step_id, int64_t version,
      const std::string& outcome);
  // The steps of one case (decided as a view of it) or of every case the
  // caller may view; outcomes and parties are not opened here.
  [[nodiscard]] absl::StatusOr<StepListPage> ListSteps(
      const Caller& caller, const StepListQuery& query);

  [[nodiscard]] absl::StatusOr<ConsentView> RecordConsent(
      const Caller& caller, const NewConsent& consent);
  [[nodiscard]] absl::StatusOr<ConsentView> WithdrawConsent(
      const Caller& caller, const std::string& consent_id);
  [[nodiscard]] absl::StatusOr<OverrideView> RecordOverride(
      const Caller& caller, const NewOverride& override_request);

 private:
  storage::Store& store_;
  const AuditTrail& trail_;
  const crypto::CaseKeyring& keys_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_COORDINATION_DESK_H_
