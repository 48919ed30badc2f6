// The authorization policy: one pure function decides every action.
//
// Default deny. Handlers never decide access themselves: they gather the
// facts about the case (CaseFacts; nothing of its content), ask Decide(),
// and act on the answer. The rules, and the matrix that tests them, are in
// docs/policy.md.
//
//  - Account and audit actions, filing and the cross-case lists depend on
//    the role alone.
//  - Every other action is on one case and depends on the caller's relation
//    to it (Relation). An implicated account has no relation to the case,
//    whatever its role and whatever else would grant one (recusal).
//  - A denial is `hidden` when the caller may not even view the case: the
//    handler answers NOT_FOUND, exactly as for a case that does not exist.
//    Otherwise it answers PERMISSION_DENIED with `reason` in an ErrorInfo.
#ifndef CASEVAULT_DOMAIN_POLICY_H_
#define CASEVAULT_DOMAIN_POLICY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/role.h"

namespace casevault::domain {

enum class Action {
  // Account administration.
  kCreateAccount,
  kListAccounts,
  kDisableAccount,
  kResetPassword,
  kUnlockAccount,
  // Role-level case actions (no case yet, or across cases).
  kFileCase,
  kListCases,
  kListSteps,
  // Actions on one case.
  kViewCase,
  kAddNote,
  kEscalateCase,
  kAssignCase,        // principal: reassign; owner counselor: offer hand-over
  kAcceptCase,        // the counselor a hand-over was offered to
  kAddParticipant,
  kAddImplicated,
  kRemoveImplicated,
  kAddStep,
  kUpdateStep,
  kCompleteStep,
  kRecordConsent,
  kWithdrawConsent,
  kRecordOverride,
  kResolveCase,
  kCloseCase,
  kApproveClosure,
  kReopenCase,
  // The audit log (auditors), and the case-reference lookup (admins for any
  // case, principals for cases of their school).
  kReadCheckpoint,
  kProveEntries,
  kExportLog,
  kLookupCaseRef,
};

// Every action, for tests that walk them all.
extern const std::vector<Action>& AllActions();

// True for the actions on one case (kViewCase .. kReopenCase): they need
// CaseFacts.
bool IsCaseAction(Action action);

// Escalation levels (stored in the case row).
inline constexpr int32_t kEscalationNone = 0;
inline constexpr int32_t kEscalationPrincipal = 1;
inline constexpr int32_t kEscalationDistrict = 2;

// What the policy needs to know about a case; nothing of its content.
struct CaseFacts {
  std::string school_id;
  int64_t owner_id = 0;
  int64_t pending_owner_id = 0;  // hand-over offered to; 0 when none
  int32_t escalation = kEscalationNone;
  bool staff_involved = false;     // staff member is victim or perpetrator
  bool principal_recused = false;  // a principal of the school is implicated
  std::vector<int64_t> participants;
  std::vector<int64_t> implicated;
};

// Why a caller may act on a case. Recorded as the audit entry's `reason`.
enum class Relation {
  kNone,           // no relation that grants access (or not a case action)
  kOwner,          // filed the case, or was assigned it
  kHandover,       // a hand-over of the case was offered to the caller
  kParticipant,    // added to the case, or assigned one of its steps
  kEscalated,      // principal: high severity or escalated to the school's
                   // leadership; district: escalated to the district, or a
                   // principal of the school is recused
  kStaffInvolved,  // union of the school: a staff member is involved
};

struct Decision {
  bool allowed = false;
  bool hidden = false;                  // denied, and the case is not visible
  Relation relation = Relation::kNone;  // why it is allowed (case actions)
  std::string reason;   // denied: UPPER_SNAKE_CASE code for ErrorInfo.reason
  std::string message;  // denied: a sentence for the user; no case data
};

// The caller's relation to the case (kNone if implicated or unrelated).
Relation RelationTo(const Caller& caller, const CaseFacts& facts);

// `facts` is required for case actions (a null `facts` is a hidden denial)
// and for kLookupCaseRef with a case; ignored by the other actions.
// For kLookupCaseRef, Decide without facts answers whether the role may
// look up references at all (admin, principal); with facts, whether it may
// for that case (an admin for any case, a principal for a case of their
// school). Handlers ask the first before loading the case, so that a role
// that may never look up gets PERMISSION_DENIED whether or not the case
// exists, and report a denial of the second as NOT_FOUND.
Decision Decide(const Caller& caller, Action action, const CaseFacts* facts);

// The action's name in the audit log ("case.view", "user.create", ...).
std::string_view ActionName(Action action);

// "owner", "handover", "participant", "escalated", "staff-involved", or ""
// for kNone: the `reason` of an audit entry.
std::string_view RelationName(Relation relation);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_POLICY_H_
