#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/case_translation.h"
#include "server/services.h"

namespace casevault::server {

grpc::Status CaseServiceImpl::FileCase(grpc::ServerContext* context,
                                       const v1::FileCaseRequest* request,
                                       v1::Case* response) {
  return HandleAuthenticated(
      context, "casevault.v1.CaseService.FileCase", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseView view,
                         desk_.File(caller, FromProto(*request)));
        ToProto(view, response);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::GetCase(grpc::ServerContext* context,
                                      const v1::GetCaseRequest* request,
                                      v1::Case* response) {
  return HandleAuthenticated(
      context, "casevault.v1.CaseService.GetCase", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseView view,
                         desk_.Get(caller, request->case_id()));
        ToProto(view, response);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::ListCases(grpc::ServerContext* context,
                                        const v1::ListCasesRequest* request,
                                        v1::ListCasesResponse* response) {
  return HandleAuthenticated(
      context, "casevault.v1.CaseService.ListCases", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseListPage page,
                         desk_.List(caller, FromProto(*request)));
        for (const auto& s : page.cases) ToProto(s, response->add_cases());
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::AddNote(grpc::ServerContext* context,
                                      const v1::AddNoteRequest* request,
                                      v1::Note* response) {
  return HandleAuthenticated(
      context, "casevault.v1.CaseService.AddNote", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseNote note,
                         desk_.AddNote(caller, request->case_id(), request->text()));
        ToProto(note, response);
        return absl::OkStatus();
      });
}

template <typename Request>
grpc::Status CaseServiceImpl::Change(grpc::ServerContext* context,
                                     std::string_view method, WorkflowOp op,
                                     const Request& request,
                                     v1::CaseState* response) {
  return HandleAuthenticated(
      context, method, random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseState state,
                         (workflow_.*op)(caller, FromProto(request)));
        ToProto(state, response);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::EscalateCase(
    grpc::ServerContext* context, const v1::EscalateCaseRequest* request,
    v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.EscalateCase",
                &domain::CaseWorkflow::Escalate, *request, response);
}

grpc::Status CaseServiceImpl::AssignCase(grpc::ServerContext* context,
                                         const v1::AssignCaseRequest* request,
                                         v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.AssignCase",
                &domain::CaseWorkflow::Assign, *request, response);
}

grpc::Status CaseServiceImpl::AcceptCase(grpc::ServerContext* context,
                                         const v1::AcceptCaseRequest* request,
                                         v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.AcceptCase",
                &domain::CaseWorkflow::Accept, *request, response);
}

grpc::Status CaseServiceImpl::AddParticipant(
    grpc::ServerContext* context, const v1::AddParticipantRequest* request,
    v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.AddParticipant",
                &domain::CaseWorkflow::AddParticipant, *request, response);
}

grpc::Status CaseServiceImpl::AddImplicated(
    grpc::ServerContext* context, const v1::AddImplicatedRequest* request,
    v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.AddImplicated",
                &domain::CaseWorkflow::AddImplicated, *request, response);
}

grpc::Status CaseServiceImpl::RemoveImplicated(
    grpc::ServerContext* context, const v1::RemoveImplicatedRequest* request,
    v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.RemoveImplicated",
                &domain::CaseWorkflow::RemoveImplicated, *request, response);
}

grpc::Status CaseServiceImpl::ResolveCase(grpc::ServerContext* context,
                                          const v1::ResolveCaseRequest* request,
                                          v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.ResolveCase",
                &domain::CaseWorkflow::Resolve, *request, response);
}

grpc::Status CaseServiceImpl::CloseCase(grpc::ServerContext* context,
                                        const v1::CloseCaseRequest* request,
                                        v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.CloseCase",
                &domain::CaseWorkflow::Close, *request, response);
}

grpc::Status CaseServiceImpl::ApproveClosure(
    grpc::ServerContext* context, const v1::ApproveClosureRequest* request,
    v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.ApproveClosure",
                &domain::CaseWorkflow::ApproveClosure, *request, response);
}

grpc::Status CaseServiceImpl::ReopenCase(grpc::ServerContext* context,
                                         const v1::ReopenCaseRequest* request,
                                         v1::CaseState* response) {
  return Change(context, "casevault.v1.CaseService.ReopenCase",
                &domain::CaseWorkflow::Reopen, *request, response);
}

}  // namespace casevault::server
