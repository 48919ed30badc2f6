#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/coordination_translation.h"
#include "server/services.h"

namespace casevault::server {

grpc::Status ConsentServiceImpl::RecordConsent(
    grpc::ServerContext* context, const v1::RecordConsentRequest* request,
    v1::Consent* response) {
  return HandleAuthenticated(
      context, "casevault.v1.ConsentService.RecordConsent", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::ConsentView consent,
                         desk_.RecordConsent(caller, FromProto(*request)));
        ToProto(consent, response);
        return absl::OkStatus();
      });
}

grpc::Status ConsentServiceImpl::WithdrawConsent(
    grpc::ServerContext* context, const v1::WithdrawConsentRequest* request,
    v1::Consent* response) {
  return HandleAuthenticated(
      context, "casevault.v1.ConsentService.WithdrawConsent", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::ConsentView consent,
                         desk_.WithdrawConsent(caller, request->consent_id()));
        ToProto(consent, response);
        return absl::OkStatus();
      });
}

grpc::Status ConsentServiceImpl::RecordOverride(
    grpc::ServerContext* context, const v1::RecordOverrideRequest* request,
    v1::ConsentOverride* response) {
  return HandleAuthenticated(
      context, "casevault.v1.ConsentService.RecordOverride", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::OverrideView override_view,
                         desk_.RecordOverride(caller, FromProto(*request)));
        ToProto(override_view, response);
        return absl::OkStatus();
      });
}

}  // namespace casevault::server
