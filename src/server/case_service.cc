#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/case_translation.h"
#include "server/services.h"

namespace casevault::server {

grpc::Status CaseServiceImpl::FileCase(grpc::ServerContext* context,
                                       const v1::FileCaseRequest* request,
                                       v1::Case* response) {
  return HandleAuthenticated(
      context, "CaseService.FileCase", random_, auth_,
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
      context, "CaseService.GetCase", random_, auth_,
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
      context, "CaseService.ListCases", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        domain::CaseListQuery q;
        q.page_size = request->page_size();
        q.page_token = request->page_token();
        q.status = request->status();
        ASSIGN_OR_RETURN(domain::CaseListPage page, desk_.List(caller, q));
        for (const auto& s : page.cases) ToProto(s, response->add_cases());
        response->set_next_page_token(page.next_page_token);
        return absl::OkStatus();
      });
}

grpc::Status CaseServiceImpl::AddNote(grpc::ServerContext* context,
                                      const v1::AddNoteRequest* request,
                                      v1::Note* response) {
  return HandleAuthenticated(
      context, "CaseService.AddNote", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CaseNote note,
                         desk_.AddNote(caller, request->case_id(), request->text()));
        ToProto(note, response);
        return absl::OkStatus();
      });
}

}  // namespace casevault::server
