#ifndef CASEVAULT_SERVER_STATUS_MAPPING_H_
#define CASEVAULT_SERVER_STATUS_MAPPING_H_

#include <string>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace casevault::server {

// google.rpc.ErrorInfo.domain of every reason casevault sends.
inline constexpr char kErrorDomain[] = "casevault.v1";

// The one place an absl::Status becomes a grpc::Status.
//  - Codes a user can act on keep their message (the domain writes those
//    messages without case data) and INVALID_ARGUMENT carries a
//    google.rpc.BadRequest with one violation per field.
//  - PERMISSION_DENIED and FAILED_PRECONDITION that carry a reason
//    (common/error_reason.h) carry a google.rpc.ErrorInfo {reason, domain
//    "casevault.v1"}; a reason that is not UPPER_SNAKE_CASE (at most 63
//    characters) is dropped.
//  - Details travel as a serialized google.rpc.Status in the status's
//    binary details (grpc-status-details-bin), code and message repeated.
//  - INTERNAL, DATA_LOSS, UNKNOWN and any other code keep only a generic
//    message with the request id, so no internal detail reaches a client.
//  - UNAVAILABLE keeps a fixed "try again" message.
grpc::Status ToGrpcStatus(const absl::Status& status,
                          const std::string& request_id);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_STATUS_MAPPING_H_
