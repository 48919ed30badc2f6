#include "server/rpc_policy.h"

namespace casevault::server {
namespace {

using domain::Action;

constexpr RpcRule Session(std::string_view method) {
  return RpcRule{method, RpcAccess::kSession, Action::kViewCase};
}

constexpr RpcRule Decided(std::string_view method, Action action) {
  return RpcRule{method, RpcAccess::kPolicy, action};
}

}  // namespace

const std::vector<RpcRule>& RpcPolicyTable() {
  static const std::vector<RpcRule>* const kTable = new std::vector<RpcRule>{
      // auth.proto: no policy decision. Login is how a caller gets a
      // session; Logout and WhoAmI act on the caller's own session.
      Session("casevault.v1.AuthService.Login"),
      Session("casevault.v1.AuthService.Logout"),
      Session("casevault.v1.AuthService.WhoAmI"),

      // account.proto
      Decided("casevault.v1.AccountService.CreateAccount", Action::kCreateAccount),
      Decided("casevault.v1.AccountService.ListAccounts", Action::kListAccounts),
      Decided("casevault.v1.AccountService.DisableAccount", Action::kDisableAccount),
      Decided("casevault.v1.AccountService.ResetPassword", Action::kResetPassword),
      Decided("casevault.v1.AccountService.UnlockAccount", Action::kUnlockAccount),

      // case.proto
      Decided("casevault.v1.CaseService.FileCase", Action::kFileCase),
      Decided("casevault.v1.CaseService.GetCase", Action::kViewCase),
      Decided("casevault.v1.CaseService.ListCases", Action::kListCases),
      Decided("casevault.v1.CaseService.AddNote", Action::kAddNote),
      Decided("casevault.v1.CaseService.EscalateCase", Action::kEscalateCase),
      Decided("casevault.v1.CaseService.AssignCase", Action::kAssignCase),
      Decided("casevault.v1.CaseService.AcceptCase", Action::kAcceptCase),
      Decided("casevault.v1.CaseService.AddParticipant", Action::kAddParticipant),
      Decided("casevault.v1.CaseService.AddImplicated", Action::kAddImplicated),
      Decided("casevault.v1.CaseService.RemoveImplicated",
              Action::kRemoveImplicated),
      Decided("casevault.v1.CaseService.ResolveCase", Action::kResolveCase),
      Decided("casevault.v1.CaseService.CloseCase", Action::kCloseCase),
      Decided("casevault.v1.CaseService.ApproveClosure", Action::kApproveClosure),
      Decided("casevault.v1.CaseService.ReopenCase", Action::kReopenCase),

      // coordination.proto
      Decided("casevault.v1.StepService.AddStep", Action::kAddStep),
      Decided("casevault.v1.StepService.UpdateStep", Action::kUpdateStep),
      Decided("casevault.v1.StepService.CompleteStep", Action::kCompleteStep),
      // One case's steps are decided as a view of that case (kViewCase, by
      // the domain); the list across cases as kListSteps.
      Decided("casevault.v1.StepService.ListSteps", Action::kListSteps),
      Decided("casevault.v1.ConsentService.RecordConsent", Action::kRecordConsent),
      Decided("casevault.v1.ConsentService.WithdrawConsent",
              Action::kWithdrawConsent),
      Decided("casevault.v1.ConsentService.RecordOverride",
              Action::kRecordOverride),

      // audit.proto
      Decided("casevault.v1.AuditService.GetCheckpoint", Action::kReadCheckpoint),
      Decided("casevault.v1.AuditService.GetInclusionProof",
              Action::kProveEntries),
      Decided("casevault.v1.AuditService.GetConsistencyProof",
              Action::kProveEntries),
      Decided("casevault.v1.AuditService.ExportLog", Action::kExportLog),
      Decided("casevault.v1.AuditService.LookupCaseReference",
              Action::kLookupCaseRef),
  };
  return *kTable;
}

const RpcRule* FindRpcRule(std::string_view method) {
  for (const RpcRule& rule : RpcPolicyTable()) {
    if (rule.method == method) return &rule;
  }
  return nullptr;
}

std::string_view RuleName(const RpcRule& rule) {
  if (rule.access == RpcAccess::kSession) return "session";
  return domain::ActionName(rule.action);
}

}  // namespace casevault::server
