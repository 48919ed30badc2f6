// The case lifecycle: the one table of allowed status changes.
//
//   open -> in progress -> (escalated) -> resolved -> closed, reopen.
//
// Each domain operation names the event it is; NextStatus answers the
// status after it, or FAILED_PRECONDITION naming the current status. The
// table and its reasons are in docs/lifecycle.md.
#ifndef CASEVAULT_DOMAIN_LIFECYCLE_H_
#define CASEVAULT_DOMAIN_LIFECYCLE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "domain/case_model.h"

namespace casevault::domain {

enum class CaseEvent {
  kWork,      // a step, consent or participant: open becomes in progress
  kAmend,     // a note or an assignment: status unchanged
  kRecuse,    // adding or removing an implicated account: any status
  kEscalate,  // to the principal or the district
  kResolve,
  kClose,     // also a closure that waits for approval (stays resolved)
  kReopen,
};

[[nodiscard]] absl::StatusOr<CaseStatus> NextStatus(CaseStatus from,
                                                    CaseEvent event);

// "open", "in progress", "escalated", "resolved", "closed".
std::string_view CaseStatusName(CaseStatus status);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_LIFECYCLE_H_
