#include "domain/policy.h"

namespace casevault::domain {
namespace {

Decision Allow(Relation relation) { return {true, relation, ""}; }
Decision Deny(std::string reason) {
  return {false, Relation::kNone, std::move(reason)};
}

// Which relation, if any, the caller has to the case.
Relation RelationTo(const Caller& caller, const CaseFacts& facts) {
  if (caller.role == Role::kCounselor || caller.role == Role::kPrincipal) {
    if (facts.owner_id == caller.account_id) return Relation::kOwner;
  }
  if (caller.role == Role::kPrincipal && caller.unit_id == facts.school_id &&
      facts.high_severity) {
    return Relation::kRoute;
  }
  return Relation::kNone;
}

}  // namespace

Decision Decide(const Caller& caller, Action action, const CaseFacts* facts) {
  switch (action) {
    case Action::kCreateAccount:
    case Action::kListAccounts:
    case Action::kDisableAccount:
    case Action::kResetPassword:
    case Action::kUnlockAccount:
      if (caller.role == Role::kAdmin) return Allow(Relation::kNone);
      return Deny("only an admin manages accounts");
    case Action::kFileCase:
      if (caller.role == Role::kCounselor || caller.role == Role::kPrincipal) {
        return Allow(Relation::kOwner);
      }
      return Deny("only counselors and principals file cases");
    case Action::kListCases:
      if (caller.role == Role::kAuditor || caller.role == Role::kAdmin) {
        return Deny("auditors and admins never see cases");
      }
      return Allow(Relation::kNone);
    case Action::kViewCase:
    case Action::kAddNote: {
      if (facts == nullptr) return Deny("no case");
      const Relation relation = RelationTo(caller, *facts);
      if (relation == Relation::kNone) return Deny("no relation to the case");
      return Allow(relation);
    }
    case Action::kReadCheckpoint:
    case Action::kProveEntries:
    case Action::kExportLog:
      if (caller.role == Role::kAuditor) return Allow(Relation::kNone);
      return Deny("only auditors read the audit log");
    case Action::kLookupCaseRef:
      if (caller.role == Role::kAdmin) return Allow(Relation::kNone);
      if (caller.role != Role::kPrincipal) {
        return Deny("only admins and principals look up case references");
      }
      if (facts == nullptr || facts->school_id == caller.unit_id) {
        return Allow(Relation::kNone);
      }
      return Deny("the case is not of the principal's school");
  }
  return Deny("unknown action");
}

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kCreateAccount: return "user.create";
    case Action::kListAccounts: return "user.list";
    case Action::kDisableAccount: return "user.disable";
    case Action::kResetPassword: return "user.reset_password";
    case Action::kUnlockAccount: return "user.unlock";
    case Action::kFileCase: return "case.file";
    case Action::kListCases: return "case.list";
    case Action::kViewCase: return "case.view";
    case Action::kAddNote: return "case.note";
    case Action::kReadCheckpoint: return "audit.checkpoint";
    case Action::kProveEntries: return "audit.proof";
    case Action::kExportLog: return "audit.export";
    case Action::kLookupCaseRef: return "audit.case_ref";
  }
  return "unknown";
}

std::string_view RelationName(Relation relation) {
  switch (relation) {
    case Relation::kNone: return "";
    case Relation::kOwner: return "owner";
    case Relation::kRoute: return "route";
  }
  return "";
}

}  // namespace casevault::domain
