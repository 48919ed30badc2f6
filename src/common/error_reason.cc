#include "common/error_reason.h"

#include "absl/strings/cord.h"

namespace casevault {
namespace {

constexpr char kPayloadUrl[] = "casevault.internal/ErrorReason";

}  // namespace

absl::Status WithErrorReason(absl::Status status, const std::string& reason) {
  if (!status.ok()) status.SetPayload(kPayloadUrl, absl::Cord(reason));
  return status;
}

std::optional<std::string> ErrorReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  return std::string(*payload);
}

}  // namespace casevault
