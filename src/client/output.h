// How results are printed: text for people (labels in English or
// Vietnamese, labels.h; control characters from the server neutralised) or
// JSON for scripts: proto field names as keys in proto order, every field
// present even when empty, enum values by the names the flags take
// (enum_names.h) whatever the language, free text as UTF-8 strings. The
// JSON shapes are documented in docs/client.md; keep them stable.
#ifndef CASEVAULT_CLIENT_OUTPUT_H_
#define CASEVAULT_CLIENT_OUTPUT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "casevault/v1/account.pb.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"
#include "client/labels.h"
#include "nlohmann/json.hpp"

namespace casevault::client {

enum class OutputFormat { kText, kJson };

// `doc` indented, ending in a newline; invalid UTF-8 becomes U+FFFD.
std::string JsonText(const nlohmann::ordered_json& doc);

nlohmann::ordered_json CaseJson(const v1::Case& c);
nlohmann::ordered_json CaseStateJson(const v1::CaseState& state);
nlohmann::ordered_json StepJson(const v1::Step& step);
nlohmann::ordered_json ConsentJson(const v1::Consent& consent);
nlohmann::ordered_json ConsentOverrideJson(const v1::ConsentOverride& override_record);
// {"cases": [summary...], "next_page_token": "..."}
nlohmann::ordered_json CaseListJson(const v1::ListCasesResponse& list);
// {"steps": [step...], "next_page_token": "..."}
nlohmann::ordered_json StepListJson(const v1::ListStepsResponse& list);
nlohmann::ordered_json AccountJson(const v1::Account& account);
// {"accounts": [account...], "next_page_token": "..."}
nlohmann::ordered_json AccountListJson(const v1::ListAccountsResponse& list);
// {"error": {"exit_code": N, "message": "...", "reason": "CODE" or ""}}
nlohmann::ordered_json FailureJson(const absl::Status& failure);

// A whole case for a person to read: its state, the case itself, the
// narrative, the notes, the steps as a timeline, consents and overrides.
std::string CaseText(const v1::Case& c, Language language = Language::kEn);

// Where a case stands (what a routing or lifecycle command answers).
std::string CaseStateText(const v1::CaseState& state, Language language = Language::kEn);

std::string StepText(const v1::Step& step, Language language = Language::kEn);
std::string ConsentText(const v1::Consent& consent, Language language = Language::kEn);
std::string ConsentOverrideText(const v1::ConsentOverride& override_record,
                                Language language = Language::kEn);

// One line per case under a header; says so when there are none; ends with
// how to fetch the next page when `list.next_page_token` is set.
std::string CaseListText(const v1::ListCasesResponse& list, Language language = Language::kEn);

// One line per step (due date first) under a header, plus the next page
// hint. An external party shows as "external": lists never show free text.
std::string StepListText(const v1::ListStepsResponse& list, Language language = Language::kEn);

// "alice  counselor  school-1  ..." one account.
std::string AccountText(const v1::Account& account);

// One line per account under a header, plus the next page hint.
std::string AccountListText(const v1::ListAccountsResponse& list);

// Rows laid out in columns two spaces apart (widths in code points); the
// cells are made printable.
std::string TableText(const std::vector<std::vector<std::string>>& rows);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_OUTPUT_H_
