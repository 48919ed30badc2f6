// RETURN_IF_ERROR / ASSIGN_OR_RETURN for Abseil 20220623, which has none.
#ifndef CASEVAULT_COMMON_STATUS_MACROS_H_
#define CASEVAULT_COMMON_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CV_STATUS_CONCAT_INNER_(a, b) a##b
#define CV_STATUS_CONCAT_(a, b) CV_STATUS_CONCAT_INNER_(a, b)

// Evaluates `expr` (an absl::Status); returns it from the enclosing function
// when it is not OK.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    ::absl::Status cv_status_ = (expr);                        \
    if (!cv_status_.ok()) return cv_status_;                   \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status,
// otherwise moves the value into `lhs` (which may be a declaration).
#define ASSIGN_OR_RETURN(lhs, rexpr)                                       \
  ASSIGN_OR_RETURN_IMPL_(CV_STATUS_CONCAT_(cv_statusor_, __LINE__), lhs, \
                         rexpr)

#define ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                           \
  if (!statusor.ok()) return statusor.status();      \
  lhs = std::move(statusor).value()

#endif  // CASEVAULT_COMMON_STATUS_MACROS_H_
