#include "server/call_scope.h"

#include <cstdio>

#include "common/log.h"
#include "crypto/digest.h"
#include "server/status_mapping.h"

namespace casevault::server {

CallScope::CallScope(grpc::ServerContext* context, std::string_view method,
                     RandomSource& random)
    : context_(context),
      method_(method),
      rule_(FindRpcRule(method)),
      request_id_(crypto::HexEncode(random.Bytes(8))),
      start_(std::chrono::steady_clock::now()) {
  context_->AddInitialMetadata("x-request-id", request_id_);
}

CallScope::~CallScope() {
  const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start_)
                      .count() / 1000.0;
  // The method is the handler's own literal and the action the table's
  // name for it, so a line never carries text from the request.
  const std::string_view action =
      rule_ != nullptr ? RuleName(*rule_) : std::string_view("NO-POLICY-ROW");
  char line[256];
  std::snprintf(line, sizeof line, "%.*s code=%d ms=%.1f action=%.*s",
                static_cast<int>(method_.size()), method_.data(), code_, ms,
                static_cast<int>(action.size()), action.data());
  Log(rule_ != nullptr ? LogLevel::kInfo : LogLevel::kError, request_id_, line);
}

absl::Status CallScope::Admit() const {
  if (rule_ != nullptr) return absl::OkStatus();
  // A handler whose method has no row: a programming error. The name comes
  // from the handler's own literal, never from the client.
  return absl::InternalError("no RPC policy row for " + method_);
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
  if (absl::Status admitted = Admit(); !admitted.ok()) return admitted;
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
