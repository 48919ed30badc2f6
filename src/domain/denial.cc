#include "domain/denial.h"

#include "common/error_reason.h"

namespace casevault::domain {

absl::Status CaseNotFound() {
  return absl::NotFoundError("no case with this id is visible to you");
}

absl::Status DenialStatus(const Decision& decision) {
  if (decision.hidden) return CaseNotFound();
  return WithErrorReason(absl::PermissionDeniedError(decision.message),
                         decision.reason);
}

absl::Status RequireRole(const Caller& caller, Action action) {
  const Decision d = Decide(caller, action, nullptr);
  return d.allowed ? absl::OkStatus() : DenialStatus(d);
}

}  // namespace casevault::domain
