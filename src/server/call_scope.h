// What every RPC handler does around the domain call, wired once:
// a request id, authentication from `authorization: Bearer <token>`, the
// status mapping, and one log line per call (method, code, milliseconds,
// request id; never request or response content).
#ifndef CASEVAULT_SERVER_CALL_SCOPE_H_
#define CASEVAULT_SERVER_CALL_SCOPE_H_

#include <chrono>
#include <string>

#include <grpcpp/server_context.h>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "domain/authenticator.h"

namespace casevault::server {

class CallScope {
 public:
  CallScope(grpc::ServerContext* context, const char* method,
            RandomSource& random);
  ~CallScope();

  const std::string& request_id() const { return request_id_; }

  // The caller of this call, or UNAUTHENTICATED.
  absl::StatusOr<domain::Caller> Authenticate(domain::Authenticator& auth);

  // The bearer token sent with the call ("" if none).
  std::string BearerToken() const;

  // Maps `status`, remembers its code for the log line, and returns it.
  grpc::Status Finish(const absl::Status& status);

 private:
  grpc::ServerContext* context_;
  const char* method_;
  std::string request_id_;
  std::chrono::steady_clock::time_point start_;
  int code_ = -1;
};

// Runs `body(caller)` for an authenticated call and maps its status.
template <typename Body>
grpc::Status HandleAuthenticated(grpc::ServerContext* context,
                                 const char* method, RandomSource& random,
                                 domain::Authenticator& auth, Body&& body) {
  CallScope scope(context, method, random);
  absl::StatusOr<domain::Caller> caller = scope.Authenticate(auth);
  if (!caller.ok()) return scope.Finish(caller.status());
  return scope.Finish(body(*caller));
}

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_CALL_SCOPE_H_
