// casevault.v1 messages <-> domain types. Enum values are passed through as
// numbers; the domain validates them.
#ifndef CASEVAULT_SERVER_CASE_TRANSLATION_H_
#define CASEVAULT_SERVER_CASE_TRANSLATION_H_

#include "casevault/v1/account.pb.h"
#include "casevault/v1/case.pb.h"
#include "domain/account_registry.h"
#include "domain/case_model.h"

namespace casevault::server {

domain::NewCase FromProto(const v1::FileCaseRequest& request);
void ToProto(const domain::CaseView& view, v1::Case* out);
void ToProto(const domain::CaseNote& note, v1::Note* out);
void ToProto(const domain::CaseSummary& summary, v1::CaseSummary* out);
void ToProto(const domain::AccountView& account, v1::Account* out);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_CASE_TRANSLATION_H_
