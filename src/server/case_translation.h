// casevault.v1 messages <-> domain types. Enum values are passed through as
// numbers; the domain validates them. `bytes` fields carry UTF-8 that the
// domain checks. Times go out as RFC 3339 UTC with milliseconds; a time
// that is not set (0) goes out as "".
#ifndef CASEVAULT_SERVER_CASE_TRANSLATION_H_
#define CASEVAULT_SERVER_CASE_TRANSLATION_H_

#include "casevault/v1/account.pb.h"
#include "casevault/v1/case.pb.h"
#include "domain/account_registry.h"
#include "domain/case_model.h"

namespace casevault::server {

domain::NewCase FromProto(const v1::FileCaseRequest& request);
domain::CaseListQuery FromProto(const v1::ListCasesRequest& request);

// Routing and lifecycle requests, as the change they ask for. Fields a
// request does not have stay empty.
domain::CaseChange FromProto(const v1::EscalateCaseRequest& request);
domain::CaseChange FromProto(const v1::AssignCaseRequest& request);
domain::CaseChange FromProto(const v1::AcceptCaseRequest& request);
domain::CaseChange FromProto(const v1::AddParticipantRequest& request);
domain::CaseChange FromProto(const v1::AddImplicatedRequest& request);
domain::CaseChange FromProto(const v1::RemoveImplicatedRequest& request);
domain::CaseChange FromProto(const v1::ResolveCaseRequest& request);
domain::CaseChange FromProto(const v1::CloseCaseRequest& request);
domain::CaseChange FromProto(const v1::ApproveClosureRequest& request);
domain::CaseChange FromProto(const v1::ReopenCaseRequest& request);

void ToProto(const domain::CaseView& view, v1::Case* out);
void ToProto(const domain::CaseState& state, v1::CaseState* out);
void ToProto(const domain::CaseNote& note, v1::Note* out);
void ToProto(const domain::CaseSummary& summary, v1::CaseSummary* out);
void ToProto(const domain::AccountView& account, v1::Account* out);

// FormatRfc3339Millis(t), or "" for 0.
std::string TimeOrEmpty(UnixMillis t);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_CASE_TRANSLATION_H_
