// What every RPC handler does around the domain call, wired once:
// a request id, the method's row in the RPC policy table (rpc_policy.h),
// authentication from `authorization: Bearer <token>`, the status mapping,
// and one log line per call (method, code, milliseconds, request id, the
// table's action; never request or response content).
#ifndef CASEVAULT_SERVER_CALL_SCOPE_H_
#define CASEVAULT_SERVER_CALL_SCOPE_H_

#include <chrono>
#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "domain/authenticator.h"
#include "server/rpc_policy.h"

namespace casevault::server {

class CallScope {
 public:
  // `method` is the RPC's full name, "casevault.v1.CaseService.GetCase",
  // as its row in RpcPolicyTable() spells it.
  CallScope(grpc::ServerContext* context, std::string_view method,
            RandomSource& random);
  ~CallScope();

  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

  const std::string& request_id() const { return request_id_; }

  // The method's row, or nullptr when the table has none.
  const RpcRule* rule() const { return rule_; }

  // OK when the method has a row in the RPC policy table; INTERNAL (fail
  // closed) when it has none. Authenticate() checks it first; a handler
  // that does not authenticate (Login) calls it itself.
  absl::Status Admit() const;

  // The caller of this call, or UNAUTHENTICATED (INTERNAL as Admit()).
  absl::StatusOr<domain::Caller> Authenticate(domain::Authenticator& auth);

  // The bearer token sent with the call ("" if none).
  std::string BearerToken() const;

  // Maps `status`, remembers its code for the log line, and returns it.
  grpc::Status Finish(const absl::Status& status);

 private:
  grpc::ServerContext* context_;
  std::string method_;
  const RpcRule* rule_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_;
  int code_ = -1;
};

// Runs `body(caller)` for an authenticated call of `method` (see CallScope)
// and maps its status.
template <typename Body>
grpc::Status HandleAuthenticated(grpc::ServerContext* context,
                                 std::string_view method, RandomSource& random,
                                 domain::Authenticator& auth, Body&& body) {
  CallScope scope(context, method, random);
  absl::StatusOr<domain::Caller> caller = scope.Authenticate(auth);
  if (!caller.ok()) return scope.Finish(caller.status());
  return scope.Finish(body(*caller));
}

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_CALL_SCOPE_H_
