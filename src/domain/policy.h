// The authorization policy: one pure function decides every action.
//
// Default deny. Handlers never decide access themselves: they gather the
// facts about the case, ask Decide(), and act on the answer. A denied read
// of a case is reported as NOT_FOUND (the case's existence must not leak);
// a denied action on a case the caller can see is PERMISSION_DENIED.
// This is the first slice (issue 2): the owner, and the principal of the
// school for high-severity cases. Routing, participants and recusal arrive
// with the routing issue and extend CaseFacts, not the handlers.
#ifndef CASEVAULT_DOMAIN_POLICY_H_
#define CASEVAULT_DOMAIN_POLICY_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/role.h"

namespace casevault::domain {

enum class Action {
  // Account administration.
  kCreateAccount,
  kListAccounts,
  kDisableAccount,
  kResetPassword,
  kUnlockAccount,
  // Cases.
  kFileCase,
  kListCases,
  kViewCase,
  kAddNote,
  // The audit log (auditors), and the case-reference lookup (admins for any
  // case, principals for cases of their school).
  kReadCheckpoint,
  kProveEntries,
  kExportLog,
  kLookupCaseRef,
};

// What the policy needs to know about a case; nothing of its content.
struct CaseFacts {
  std::string school_id;
  int64_t owner_id = 0;
  bool high_severity = false;
};

enum class Relation {
  kNone,        // no relation that grants access
  kOwner,       // filed or was assigned the case
  kRoute,       // reaches the caller by role routing (principal: high severity)
};

struct Decision {
  bool allowed = false;
  Relation relation = Relation::kNone;  // why it is allowed
  std::string reason;                   // why it is denied; no case data
};

// `facts` is required for kViewCase and kAddNote and ignored by the other
// actions but kLookupCaseRef. For kLookupCaseRef, Decide without facts
// answers whether the role may look up references at all (admin,
// principal); with facts, whether it may for that case (an admin for any
// case, a principal for a case of their school). Handlers ask the first
// before loading the case, so that a role that may never look up gets
// PERMISSION_DENIED whether or not the case exists, and report a denial of
// the second as NOT_FOUND.
Decision Decide(const Caller& caller, Action action, const CaseFacts* facts);

// The action's name in the audit log ("case.view", "user.create", ...).
std::string_view ActionName(Action action);

// "owner", "route", or "" for kNone: the `reason` of an audit entry.
std::string_view RelationName(Relation relation);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_POLICY_H_
