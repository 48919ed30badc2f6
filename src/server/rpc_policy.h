// The RPC policy table: for every RPC of casevault.v1, the domain::Action
// the policy (domain/policy.h) decides for it, or the session rule for
// sign-in and one's own session, which no policy decision guards.
//
// Rows are keyed by the method's protobuf full name,
// "casevault.v1.CaseService.GetCase" (MethodDescriptor::full_name(); the
// gRPC path is "/casevault.v1.CaseService/GetCase"). Every handler names
// its method through CallScope (call_scope.h), which looks the row up: a
// handler without a row fails closed with INTERNAL, and the log line names
// the row's method and action, so the table, the handlers and the log
// cannot drift apart. tests/server/rpc_policy_test.cc walks every service
// of the proto files against this table.
//
// The table says which action each RPC is; it decides nothing. The domain
// call behind the handler asks Decide() for that action on facts it loads.
#ifndef CASEVAULT_SERVER_RPC_POLICY_H_
#define CASEVAULT_SERVER_RPC_POLICY_H_

#include <string_view>
#include <vector>

#include "domain/policy.h"

namespace casevault::server {

enum class RpcAccess {
  kSession,  // Login, Logout, WhoAmI: sign-in and one's own session
  kPolicy,   // the domain decides `action`
};

struct RpcRule {
  std::string_view method;  // "casevault.v1.CaseService.GetCase"
  RpcAccess access = RpcAccess::kPolicy;
  domain::Action action = domain::Action::kViewCase;  // kPolicy rows only
};

// Every row, grouped by service in the order of the proto files.
const std::vector<RpcRule>& RpcPolicyTable();

// The row for `method` (a full name as above), or nullptr.
const RpcRule* FindRpcRule(std::string_view method);

// "session", or the action's audit name ("case.view", ...).
std::string_view RuleName(const RpcRule& rule);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_RPC_POLICY_H_
