// How a policy denial reaches the caller, in one place: NOT_FOUND when the
// case is hidden from them (exactly as for a case that does not exist),
// otherwise PERMISSION_DENIED with the decision's message and its reason
// attached (common/error_reason.h; the server sends it as ErrorInfo).
#ifndef CASEVAULT_DOMAIN_DENIAL_H_
#define CASEVAULT_DOMAIN_DENIAL_H_

#include "absl/status/status.h"
#include "domain/policy.h"

namespace casevault::domain {

// "no case with this id is visible to you": a missing or hidden case.
absl::Status CaseNotFound();

absl::Status DenialStatus(const Decision& decision);

// Decide(caller, action, nullptr) for a role-level action, as a status.
absl::Status RequireRole(const Caller& caller, Action action);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_DENIAL_H_
