#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/case_translation.h"
#include "server/services.h"

namespace casevault::server {
namespace {

// Runs an AccountRegistry call that answers one account.
template <typename Call>
absl::Status Answer(Call&& call, v1::Account* response) {
  ASSIGN_OR_RETURN(domain::AccountView view, call());
  ToProto(view, response);
  return absl::OkStatus();
}

}  // namespace

grpc::Status AccountServiceImpl::CreateAccount(
    grpc::ServerContext* context, const v1::CreateAccountRequest* request,
    v1::Account* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AccountService.CreateAccount", random_, auth_,
      [&](const domain::Caller& caller) {
        domain::NewAccount a;
        a.username = request->username();
        a.role = request->role();
        a.unit_id = request->unit_id();
        a.password = request->password();
        return Answer([&] { return accounts_.Create(caller, a); }, response);
      });
}

grpc::Status AccountServiceImpl::ListAccounts(
    grpc::ServerContext* context, const v1::ListAccountsRequest* request,
    v1::ListAccountsResponse* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AccountService.ListAccounts", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::AccountPage page,
                         accounts_.List(caller, request->page_size(),
                                        request->page_token()));
        for (const auto& a : page.accounts) ToProto(a, response->add_accounts());
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status AccountServiceImpl::DisableAccount(
    grpc::ServerContext* context, const v1::DisableAccountRequest* request,
    v1::Account* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AccountService.DisableAccount", random_, auth_,
      [&](const domain::Caller& caller) {
        return Answer([&] { return accounts_.Disable(caller, request->username()); },
                      response);
      });
}

grpc::Status AccountServiceImpl::ResetPassword(
    grpc::ServerContext* context, const v1::ResetPasswordRequest* request,
    v1::Account* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AccountService.ResetPassword", random_, auth_,
      [&](const domain::Caller& caller) {
        return Answer(
            [&] {
              return accounts_.ResetPassword(caller, request->username(),
                                             request->new_password());
            },
            response);
      });
}

grpc::Status AccountServiceImpl::UnlockAccount(
    grpc::ServerContext* context, const v1::UnlockAccountRequest* request,
    v1::Account* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AccountService.UnlockAccount", random_, auth_,
      [&](const domain::Caller& caller) {
        return Answer([&] { return accounts_.Unlock(caller, request->username()); },
                      response);
      });
}

}  // namespace casevault::server
