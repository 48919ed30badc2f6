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
  }
  return "unknown";
}

}  // namespace casevault::domain
