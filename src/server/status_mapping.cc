#include "server/status_mapping.h"

#include "common/field_violation.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace casevault::server {

grpc::Status ToGrpcStatus(const absl::Status& status,
                          const std::string& request_id) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  std::string message(status.message());
  switch (status.code()) {
    case absl::StatusCode::kInvalidArgument: {
      const auto violations = FieldViolationsOf(status);
      if (violations.empty()) break;
      google::rpc::BadRequest bad_request;
      for (const auto& v : violations) {
        auto* fv = bad_request.add_field_violations();
        fv->set_field(v.field);
        fv->set_description(v.description);
      }
      google::rpc::Status details;
      details.set_code(static_cast<int>(code));
      details.set_message(message);
      details.add_details()->PackFrom(bad_request);
      return grpc::Status(code, message, details.SerializeAsString());
    }
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kDeadlineExceeded:
      break;
    case absl::StatusCode::kUnavailable:
      message = "the service is temporarily unavailable; try again (request " +
                request_id + ")";
      break;
    default:
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "internal error (request " + request_id + ")");
  }
  return grpc::Status(code, message);
}

}  // namespace casevault::server
