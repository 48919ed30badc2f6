// A machine-readable reason carried inside absl::Status (for example why a
// permission was denied), so that domain code can give one without knowing
// google.rpc. The server's status mapper turns it into google.rpc.ErrorInfo
// (domain "casevault.v1").
#ifndef CASEVAULT_COMMON_ERROR_REASON_H_
#define CASEVAULT_COMMON_ERROR_REASON_H_

#include <optional>
#include <string>

#include "absl/status/status.h"

namespace casevault {

// `status` with `reason` (UPPER_SNAKE_CASE, no user data) attached.
absl::Status WithErrorReason(absl::Status status, const std::string& reason);

// The reason attached by WithErrorReason, if any.
std::optional<std::string> ErrorReasonOf(const absl::Status& status);

}  // namespace casevault

#endif  // CASEVAULT_COMMON_ERROR_REASON_H_
