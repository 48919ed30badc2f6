#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/coordination_translation.h"
#include "server/services.h"

namespace casevault::server {

grpc::Status StepServiceImpl::AddStep(grpc::ServerContext* context,
                                      const v1::AddStepRequest* request,
                                      v1::Step* response) {
  return HandleAuthenticated(
      context, "casevault.v1.StepService.AddStep", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::StepView step,
                         desk_.AddStep(caller, FromProto(*request)));
        ToProto(step, response);
        return absl::OkStatus();
      });
}

grpc::Status StepServiceImpl::UpdateStep(grpc::ServerContext* context,
                                         const v1::UpdateStepRequest* request,
                                         v1::Step* response) {
  return HandleAuthenticated(
      context, "casevault.v1.StepService.UpdateStep", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::StepView step,
                         desk_.UpdateStep(caller, FromProto(*request)));
        ToProto(step, response);
        return absl::OkStatus();
      });
}

grpc::Status StepServiceImpl::CompleteStep(
    grpc::ServerContext* context, const v1::CompleteStepRequest* request,
    v1::Step* response) {
  return HandleAuthenticated(
      context, "casevault.v1.StepService.CompleteStep", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(
            domain::StepView step,
            desk_.CompleteStep(caller, request->step_id(), request->version(),
                               request->outcome()));
        ToProto(step, response);
        return absl::OkStatus();
      });
}

grpc::Status StepServiceImpl::ListSteps(grpc::ServerContext* context,
                                        const v1::ListStepsRequest* request,
                                        v1::ListStepsResponse* response) {
  return HandleAuthenticated(
      context, "casevault.v1.StepService.ListSteps", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::StepListPage page,
                         desk_.ListSteps(caller, FromProto(*request)));
        for (const auto& step : page.steps) ToProto(step, response->add_steps());
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

}  // namespace casevault::server
