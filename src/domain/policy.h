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

// `facts` is required for kViewCase and kAddNote and ignored otherwise.
Decision Decide(const Caller& caller, Action action, const CaseFacts* facts);

std::string_view ActionName(Action action);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_POLICY_H_
