// How results are printed: text for people (English labels, control
// characters from the server neutralised) or JSON for scripts: proto field
// names as keys in proto order, every field present even when empty, enum
// values by the names the flags take (enum_names.h), free text as UTF-8
// strings. The JSON shapes are documented in docs/client.md; keep them
// stable.
#ifndef CASEVAULT_CLIENT_OUTPUT_H_
#define CASEVAULT_CLIENT_OUTPUT_H_

#include <string>
#include <vector>

#include "casevault/v1/account.pb.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "nlohmann/json.hpp"

namespace casevault::client {

enum class OutputFormat { kText, kJson };

// `doc` indented, ending in a newline; invalid UTF-8 becomes U+FFFD.
std::string JsonText(const nlohmann::ordered_json& doc);

nlohmann::ordered_json CaseJson(const v1::Case& c);
// {"cases": [summary...], "next_page_token": "..."}
nlohmann::ordered_json CaseListJson(const v1::ListCasesResponse& list);
nlohmann::ordered_json AccountJson(const v1::Account& account);
// {"accounts": [account...], "next_page_token": "..."}
nlohmann::ordered_json AccountListJson(const v1::ListAccountsResponse& list);

// A whole case, with its notes, for a person to read.
std::string CaseText(const v1::Case& c);

// One line per case under a header; says so when there are none; ends with
// how to fetch the next page when `list.next_page_token` is set.
std::string CaseListText(const v1::ListCasesResponse& list);

// "alice  counselor  school-1  ..." one account.
std::string AccountText(const v1::Account& account);

// One line per account under a header, plus the next page hint.
std::string AccountListText(const v1::ListAccountsResponse& list);

// Rows laid out in columns two spaces apart (widths in code points); the
// cells are made printable.
std::string TableText(const std::vector<std::vector<std::string>>& rows);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_OUTPUT_H_
