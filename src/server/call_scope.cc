#include "server/call_scope.h"

#include "common/log.h"
#include "crypto/digest.h"
#include "server/status_mapping.h"

namespace casevault::server {

CallScope::CallScope(grpc::ServerContext* context, const char* method,
                     RandomSource& random)
    : context_(context),
      method_(method),
      request_id_(crypto::HexEncode(random.Bytes(8))),
      start_(std::chrono::steady_clock::now()) {
  context_->AddInitialMetadata("x-request-id", request_id_);
}

CallScope::~CallScope() {
  const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start_)
                      .count() / 1000.0;
  char line[160];
  std::snprintf(line, sizeof line, "%s code=%d ms=%.1f", method_, code_, ms);
  Log(LogLevel::kInfo, request_id_, line);
}

std::string CallScope::BearerToken() const {
  const auto& md = context_->client_metadata();
  auto it = md.find("authorization");
  if (it == md.end()) return "";
  const std::string value(it->second.data(), it->second.size());
  static constexpr char kPrefix[] = "Bearer ";
  if (value.rfind(kPrefix, 0) != 0) return "";
  return value.substr(sizeof(kPrefix) - 1);
}

absl::StatusOr<domain::Caller> CallScope::Authenticate(
    domain::Authenticator& auth) {
  const std::string token = BearerToken();
  if (token.empty()) {
    return absl::UnauthenticatedError(
        "this call needs a session: send 'authorization: Bearer <token>'");
  }
  return auth.Authenticate(token, request_id_);
}

grpc::Status CallScope::Finish(const absl::Status& status) {
  code_ = static_cast<int>(status.code());
  return ToGrpcStatus(status, request_id_);
}

}  // namespace casevault::server
