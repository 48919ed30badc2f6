// Routing and lifecycle of a case: escalation, assignment and hand-over,
// participants, recusal (implicated accounts), resolution, closure with
// approval, and reopening. Rules: docs/lifecycle.md and docs/policy.md.
//
// Invariants:
//  1. Every change is decided by Decide() (policy.h) on facts loaded in the
//     change's transaction; a caller who may not view the case gets
//     NOT_FOUND, one who may view but not act PERMISSION_DENIED with the
//     policy's reason attached (common/error_reason.h).
//  2. Every change names the version the caller saw; a stale version is
//     ABORTED and nothing is changed. A change bumps the version.
//  3. Status changes follow the one table in lifecycle.h; anything else is
//     FAILED_PRECONDITION naming the current status.
//  4. Every call appends one audit entry in its transaction (fail closed),
//     naming the relation that granted access; the account acted on, when
//     there is one, is the entry's target.
//  5. Optional notes are sealed under the case's key, as case notes.
#ifndef CASEVAULT_DOMAIN_CASE_WORKFLOW_H_
#define CASEVAULT_DOMAIN_CASE_WORKFLOW_H_

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "domain/audit_trail.h"
#include "domain/case_model.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

class CaseWorkflow {
 public:
  CaseWorkflow(storage::Store& store, const AuditTrail& trail,
               const crypto::CaseKeyring& keys, const Clock& clock,
               RandomSource& random)
      : store_(store),
        trail_(trail),
        keys_(keys),
        clock_(clock),
        random_(random) {}

  // A counselor's escalation goes to the principal, a principal's to the
  // district; one that would reach a recused principal goes to the
  // district. FAILED_PRECONDITION when already at that level or closed.
  [[nodiscard]] absl::StatusOr<CaseState> Escalate(const Caller& caller,
                                                   const CaseChange& change);
  // A principal reassigns at once; the owning counselor offers a hand-over
  // that the other counselor accepts. The new owner is a counselor (or
  // principal) of the case's school, active and not implicated. The
  // previous owner keeps no access unless a participant.
  [[nodiscard]] absl::StatusOr<CaseState> Assign(const Caller& caller,
                                                 const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> Accept(const Caller& caller,
                                                 const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> AddParticipant(
      const Caller& caller, const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> AddImplicated(
      const Caller& caller, const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> RemoveImplicated(
      const Caller& caller, const CaseChange& change);

  [[nodiscard]] absl::StatusOr<CaseState> Resolve(const Caller& caller,
                                                  const CaseChange& change);
  // Closes a resolved case. When the case was ever escalated and the caller
  // may not approve closure, the closure waits for approval
  // (closure_pending) and the status stays resolved.
  [[nodiscard]] absl::StatusOr<CaseState> Close(const Caller& caller,
                                                const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> ApproveClosure(
      const Caller& caller, const CaseChange& change);
  [[nodiscard]] absl::StatusOr<CaseState> Reopen(const Caller& caller,
                                                 const CaseChange& change);

 private:
  storage::Store& store_;
  const AuditTrail& trail_;
  const crypto::CaseKeyring& keys_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_WORKFLOW_H_
