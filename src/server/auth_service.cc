#include "common/clock.h"
#include "server/call_scope.h"
#include "server/services.h"

namespace casevault::server {

grpc::Status AuthServiceImpl::Login(grpc::ServerContext* context,
                                    const v1::LoginRequest* request,
                                    v1::LoginResponse* response) {
  CallScope scope(context, "casevault.v1.AuthService.Login", random_);
  if (absl::Status admitted = scope.Admit(); !admitted.ok()) {
    return scope.Finish(admitted);
  }
  auto signed_in =
      auth_.Login(request->username(), request->password(), scope.request_id());
  if (!signed_in.ok()) return scope.Finish(signed_in.status());
  response->set_session_token(signed_in->token);
  response->set_expires_at(FormatRfc3339Millis(signed_in->expires_at));
  response->set_role(static_cast<v1::Role>(signed_in->caller.role));
  response->set_unit_id(signed_in->caller.unit_id);
  return scope.Finish(absl::OkStatus());
}

grpc::Status AuthServiceImpl::Logout(grpc::ServerContext* context,
                                     const v1::LogoutRequest*,
                                     v1::LogoutResponse*) {
  CallScope scope(context, "casevault.v1.AuthService.Logout", random_);
  auto caller = scope.Authenticate(auth_);
  if (!caller.ok()) return scope.Finish(caller.status());
  return scope.Finish(auth_.Logout(*caller, scope.BearerToken()));
}

grpc::Status AuthServiceImpl::WhoAmI(grpc::ServerContext* context,
                                     const v1::WhoAmIRequest*,
                                     v1::WhoAmIResponse* response) {
  return HandleAuthenticated(context, "casevault.v1.AuthService.WhoAmI", random_, auth_,
                             [&](const domain::Caller& caller) {
                               response->set_username(caller.username);
                               response->set_role(static_cast<v1::Role>(caller.role));
                               response->set_unit_id(caller.unit_id);
                               return absl::OkStatus();
                             });
}

}  // namespace casevault::server
