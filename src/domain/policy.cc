// The authorization policy. The rules are in docs/policy.md; the matrix in
// tests/domain/policy_matrix_test.cc writes out every answer by hand.
#include "domain/policy.h"

#include <algorithm>
#include <utility>

namespace casevault::domain {
namespace {

Decision Allow(Relation relation) {
  Decision d;
  d.allowed = true;
  d.relation = relation;
  return d;
}

// Denied, and the caller may know that the case exists: PERMISSION_DENIED.
Decision Deny(std::string reason, std::string message) {
  Decision d;
  d.reason = std::move(reason);
  d.message = std::move(message);
  return d;
}

// Denied, and the caller may not even know that the case exists: NOT_FOUND,
// with the same message as for a case that does not exist.
Decision Hide(std::string reason) {
  Decision d = Deny(std::move(reason), "No such case.");
  d.hidden = true;
  return d;
}

bool Contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// Whether `role` with `relation` (neither kNone nor kHandover) may take the
// case action. One case per row of the table in docs/policy.md.
bool Permits(Action action, Role role, Relation relation) {
  const bool owner = relation == Relation::kOwner;
  const bool participant = relation == Relation::kParticipant;
  const bool escalated = relation == Relation::kEscalated;
  const bool staff_involved = relation == Relation::kStaffInvolved;
  const bool counselor = role == Role::kCounselor;
  const bool principal = role == Role::kPrincipal;
  const bool district = role == Role::kDistrict;
  const bool union_officer = role == Role::kUnion;

  switch (action) {
    case Action::kViewCase:
      return true;
    case Action::kAddNote:
      return owner || participant || escalated || staff_involved;
    case Action::kEscalateCase:
    case Action::kAssignCase:
      return ((counselor || principal) && owner) || (principal && escalated);
    case Action::kAcceptCase:
      return false;  // only with kHandover, decided by the caller
    case Action::kAddParticipant:
    case Action::kAddImplicated:
    case Action::kRecordConsent:
    case Action::kWithdrawConsent:
    case Action::kCloseCase:
    case Action::kReopenCase:
      return owner || (principal && escalated) || (district && escalated);
    case Action::kRemoveImplicated:
    case Action::kRecordOverride:
    case Action::kApproveClosure:
      return (principal && (owner || escalated)) || (district && escalated);
    case Action::kAddStep:
    case Action::kUpdateStep:
    case Action::kCompleteStep:
      return owner || participant || (principal && escalated) ||
             (union_officer && staff_involved) || (district && escalated);
    case Action::kResolveCase:
      return owner || (principal && escalated);
    default:
      return false;
  }
}

Decision DecideCaseAction(const Caller& caller, Action action,
                          const CaseFacts* facts) {
  if (facts == nullptr) return Hide("NO_CASE");
  const Relation relation = RelationTo(caller, *facts);
  if (relation == Relation::kNone) return Hide("NO_RELATION");
  // Whoever a hand-over is offered to may accept it, whatever other
  // relation they also have.
  if (action == Action::kAcceptCase &&
      facts->pending_owner_id == caller.account_id) {
    return Allow(Relation::kHandover);
  }
  if (relation == Relation::kHandover) {
    if (action == Action::kViewCase || action == Action::kAcceptCase) {
      return Allow(relation);
    }
    return Deny("HANDOVER_NOT_ACCEPTED",
                "Accept the hand-over of this case before acting on it.");
  }
  if (action == Action::kAcceptCase) {
    return Deny("NO_HANDOVER",
                "No hand-over of this case was offered to you.");
  }
  if (Permits(action, caller.role, relation)) return Allow(relation);
  return Deny("RELATION_NOT_PERMITTED",
              "Your role on this case does not permit this action.");
}

}  // namespace

const std::vector<Action>& AllActions() {
  static const std::vector<Action> kActions = {
      Action::kCreateAccount,    Action::kListAccounts,
      Action::kDisableAccount,   Action::kResetPassword,
      Action::kUnlockAccount,    Action::kFileCase,
      Action::kListCases,        Action::kListSteps,
      Action::kViewCase,         Action::kAddNote,
      Action::kEscalateCase,     Action::kAssignCase,
      Action::kAcceptCase,       Action::kAddParticipant,
      Action::kAddImplicated,    Action::kRemoveImplicated,
      Action::kAddStep,          Action::kUpdateStep,
      Action::kCompleteStep,     Action::kRecordConsent,
      Action::kWithdrawConsent,  Action::kRecordOverride,
      Action::kResolveCase,      Action::kCloseCase,
      Action::kApproveClosure,   Action::kReopenCase,
      Action::kReadCheckpoint,   Action::kProveEntries,
      Action::kExportLog,        Action::kLookupCaseRef,
  };
  return kActions;
}

bool IsCaseAction(Action action) {
  const int a = static_cast<int>(action);
  return a >= static_cast<int>(Action::kViewCase) &&
         a <= static_cast<int>(Action::kReopenCase);
}

Relation RelationTo(const Caller& caller, const CaseFacts& facts) {
  // Recusal beats everything, whatever the role and whatever else holds.
  if (Contains(facts.implicated, caller.account_id)) return Relation::kNone;
  // Auditors and admins never reach a case.
  if (caller.role == Role::kAuditor || caller.role == Role::kAdmin) {
    return Relation::kNone;
  }
  // The relation with the most rights wins: owner, then role routing, then
  // participant, then a hand-over offered (view and accept only).
  if (facts.owner_id == caller.account_id) return Relation::kOwner;
  const bool same_school = caller.unit_id == facts.school_id;
  if (caller.role == Role::kPrincipal && same_school &&
      facts.escalation >= kEscalationPrincipal) {
    return Relation::kEscalated;
  }
  // One deployment serves one district: a district account reaches every
  // school of the deployment.
  if (caller.role == Role::kDistrict &&
      (facts.escalation >= kEscalationDistrict || facts.principal_recused)) {
    return Relation::kEscalated;
  }
  if (caller.role == Role::kUnion && same_school && facts.staff_involved) {
    return Relation::kStaffInvolved;
  }
  if (Contains(facts.participants, caller.account_id)) {
    return Relation::kParticipant;
  }
  if (facts.pending_owner_id == caller.account_id) return Relation::kHandover;
  return Relation::kNone;
}

Decision Decide(const Caller& caller, Action action, const CaseFacts* facts) {
  if (IsCaseAction(action)) return DecideCaseAction(caller, action, facts);
  const Role role = caller.role;
  switch (action) {
    case Action::kCreateAccount:
    case Action::kListAccounts:
    case Action::kDisableAccount:
    case Action::kResetPassword:
    case Action::kUnlockAccount:
      if (role == Role::kAdmin) return Allow(Relation::kNone);
      return Deny("ADMIN_ONLY", "Only an admin manages accounts.");
    case Action::kFileCase:
      // The filer becomes the owner: the audit entry's reason is "owner".
      if (role == Role::kCounselor || role == Role::kPrincipal) {
        return Allow(Relation::kOwner);
      }
      return Deny("FILING_NOT_PERMITTED",
                  "Only counselors and principals file cases.");
    case Action::kListCases:
    case Action::kListSteps:
      if (role == Role::kCounselor || role == Role::kPrincipal ||
          role == Role::kUnion || role == Role::kDistrict) {
        return Allow(Relation::kNone);
      }
      return Deny("NO_CASE_ACCESS", "Auditors and admins never see cases.");
    case Action::kReadCheckpoint:
    case Action::kProveEntries:
    case Action::kExportLog:
      if (role == Role::kAuditor) return Allow(Relation::kNone);
      return Deny("AUDITOR_ONLY", "Only auditors read the audit log.");
    case Action::kLookupCaseRef:
      if (role != Role::kAdmin && role != Role::kPrincipal) {
        return Deny("LOOKUP_NOT_PERMITTED",
                    "Only admins and principals look up case references.");
      }
      // An implicated account may not even learn that the case exists.
      if (facts != nullptr && Contains(facts->implicated, caller.account_id)) {
        return Hide("NO_RELATION");
      }
      if (role == Role::kAdmin) return Allow(Relation::kNone);
      if (facts == nullptr || facts->school_id == caller.unit_id) {
        return Allow(Relation::kNone);
      }
      return Hide("OTHER_SCHOOL");
    default:
      break;
  }
  return Deny("UNKNOWN_ACTION", "This action is not known.");
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
    case Action::kListSteps: return "step.list";
    case Action::kViewCase: return "case.view";
    case Action::kAddNote: return "case.note";
    case Action::kEscalateCase: return "case.escalate";
    case Action::kAssignCase: return "case.assign";
    case Action::kAcceptCase: return "case.accept";
    case Action::kAddParticipant: return "case.add_participant";
    case Action::kAddImplicated: return "case.implicate";
    case Action::kRemoveImplicated: return "case.remove_implicated";
    case Action::kAddStep: return "step.add";
    case Action::kUpdateStep: return "step.update";
    case Action::kCompleteStep: return "step.complete";
    case Action::kRecordConsent: return "consent.record";
    case Action::kWithdrawConsent: return "consent.withdraw";
    case Action::kRecordOverride: return "consent.override";
    case Action::kResolveCase: return "case.resolve";
    case Action::kCloseCase: return "case.close";
    case Action::kApproveClosure: return "case.approve_closure";
    case Action::kReopenCase: return "case.reopen";
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
    case Relation::kHandover: return "handover";
    case Relation::kParticipant: return "participant";
    case Relation::kEscalated: return "escalated";
    case Relation::kStaffInvolved: return "staff-involved";
  }
  return "";
}

}  // namespace casevault::domain
