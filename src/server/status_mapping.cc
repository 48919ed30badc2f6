#include "server/status_mapping.h"

#include <optional>

#include "common/error_reason.h"
#include "common/field_violation.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "storage/store.h"

namespace casevault::server {
namespace {

// google.rpc.ErrorInfo.reason: UPPER_SNAKE_CASE, at most 63 characters
// ([A-Z][A-Z0-9_]+[A-Z0-9]). Anything else is dropped rather than sent, so
// that a mistake in the domain can never put user data into the details.
bool IsWellFormedReason(const std::string& reason) {
  if (reason.size() < 2 || reason.size() > 63) return false;
  if (reason.front() < 'A' || reason.front() > 'Z') return false;
  if (reason.back() == '_') return false;
  for (char c : reason) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

grpc::Status WithDetails(grpc::StatusCode code, const std::string& message,
                         const google::protobuf::Message& detail) {
  google::rpc::Status details;
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  details.add_details()->PackFrom(detail);
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace

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
      return WithDetails(code, message, bad_request);
    }
    case absl::StatusCode::kPermissionDenied:
    case absl::StatusCode::kFailedPrecondition: {
      const std::optional<std::string> reason = ErrorReasonOf(status);
      if (!reason.has_value() || !IsWellFormedReason(*reason)) break;
      google::rpc::ErrorInfo info;
      info.set_reason(*reason);
      info.set_domain(kErrorDomain);
      return WithDetails(code, message, info);
    }
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kUnauthenticated:
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kOutOfRange:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kDeadlineExceeded:
      break;
    case absl::StatusCode::kUnavailable:
      // The store's two disk-fault sentences are fixed texts written for
      // the person at the client; anything else is replaced.
      if (message == storage::kDiskFullMessage ||
          message == storage::kWritesStoppedMessage) {
        message += " (request " + request_id + ")";
      } else {
        message = "the service is temporarily unavailable; try again (request " +
                  request_id + ")";
      }
      break;
    default:
      return grpc::Status(grpc::StatusCode::INTERNAL,
                          "internal error (request " + request_id + ")");
  }
  return grpc::Status(code, message);
}

}  // namespace casevault::server
