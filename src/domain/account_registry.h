// Account administration (admin role only). Never touches case content.
// Every call, allowed or not, appends one audit entry (user.create,
// user.list, user.disable, user.reset_password, user.unlock) in the
// transaction of its change; its `target` names the account acted on only
// when that account exists. When the entry cannot be written the call fails
// with that error and changes nothing (audit_trail.h, Record).
//
// With a SessionCache, a call that ends an account's sessions (Disable,
// ResetPassword) erases them from the cache once its transaction has
// committed, and also when the outcome is an error after the account was
// found (erasing too much only costs a database read).
#ifndef CASEVAULT_DOMAIN_ACCOUNT_REGISTRY_H_
#define CASEVAULT_DOMAIN_ACCOUNT_REGISTRY_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/field_violation.h"
#include "crypto/password_hasher.h"
#include "domain/audit_trail.h"
#include "domain/policy.h"
#include "domain/role.h"
#include "domain/session_cache.h"
#include "storage/store.h"

namespace casevault::domain {

struct AccountView {
  std::string username;
  Role role = Role::kCounselor;
  std::string unit_id;
  bool disabled = false;
  UnixMillis locked_until = 0;
  UnixMillis created_at = 0;
};

struct NewAccount {
  std::string username;
  int32_t role = 0;  // Role number; checked
  std::string unit_id;
  std::string password;
};

struct AccountPage {
  std::vector<AccountView> accounts;
  std::string next_page_token;
};

class AccountRegistry {
 public:
  AccountRegistry(storage::Store& store, const AuditTrail& trail,
                  const crypto::PasswordHasher& hasher, const Clock& clock,
                  SessionCache* cache = nullptr)
      : store_(store), trail_(trail), hasher_(hasher), clock_(clock),
        cache_(cache) {}

  // ALREADY_EXISTS if the username is taken; INVALID_ARGUMENT per field.
  [[nodiscard]] absl::StatusOr<AccountView> Create(const Caller& caller,
                                                   const NewAccount& a);
  [[nodiscard]] absl::StatusOr<AccountPage> List(const Caller& caller,
                                                 int32_t page_size,
                                                 const std::string& page_token);
  // Disabling also ends every session of the account.
  [[nodiscard]] absl::StatusOr<AccountView> Disable(
      const Caller& caller, const std::string& username);
  // Sets a new password, clears any lock, ends every session.
  [[nodiscard]] absl::StatusOr<AccountView> ResetPassword(
      const Caller& caller, const std::string& username,
      const std::string& new_password);
  [[nodiscard]] absl::StatusOr<AccountView> Unlock(const Caller& caller,
                                                   const std::string& username);

  // For operator commands (casevaultd init): no caller, no policy; audited
  // as the operator (OperatorEvent).
  [[nodiscard]] absl::StatusOr<AccountView> CreateUnchecked(
      const NewAccount& a);

 private:
  // Creates `a` if `allowed` is OK and `a` is valid, auditing `event`.
  [[nodiscard]] absl::StatusOr<AccountView> CreateAudited(
      AuditEvent event, const NewAccount& a, const absl::Status& allowed);
  // Applies `change` to the account `username` when the policy allows
  // `action` and `precondition` is OK, auditing the attempt either way.
  // When `ends_sessions`, the account's cached sessions are erased after
  // the transaction (see above).
  [[nodiscard]] absl::StatusOr<AccountView> Change(
      const Caller& caller, Action action, const std::string& username,
      const absl::Status& precondition, bool ends_sessions,
      const std::function<absl::Status(storage::Transaction&,
                                       storage::AccountRecord&)>& change);

  storage::Store& store_;
  const AuditTrail& trail_;
  const crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  SessionCache* const cache_;  // may be null
};

// Usernames: 3-64 of a-z 0-9 . _ -, starting with a letter or digit.
bool IsValidUsername(const std::string& name);
// Unit ids (school or district): 1-64 of a-z 0-9 -.
bool IsValidUnitId(const std::string& id);
// Passwords: valid UTF-8, at least 12 code points, at most 1024 bytes.
void CheckPassword(Violations& v, const std::string& field,
                   const std::string& password);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_ACCOUNT_REGISTRY_H_
