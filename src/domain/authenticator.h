// Sign-in and sessions.
//
// Invariants:
//  1. A session token is 32 random bytes (base64url, 43 characters); only
//     SHA-256(token) is stored. The token exists on the server only while a
//     Login reply is being built.
//  2. Unknown user, wrong password, disabled account and locked account all
//     fail with the same UNAUTHENTICATED message, and all spend one Argon2id
//     verification, so neither the answer nor its timing tells them apart.
//  3. After `slow_after` consecutive failures each further failure waits
//     (1 s, 2 s, 4 s, ...); at `lock_after` the account is locked for
//     `lock_duration`. A successful sign-in resets the count; the admin can
//     unlock.
//  4. A session ends at its absolute expiry, after `idle_timeout` without
//     use, at Logout, and when its account is disabled or its password reset.
//  5. With a SessionCache (session_cache.h), a token found there and still
//     valid is answered from memory: no database read, and a write only
//     when the stored last-use time is `touch_interval` old (the same Touch
//     as without a cache, so idle expiry survives a restart). A miss reads
//     the session and account rows and caches them. The same expiry rules
//     (absolute, idle on the stored last-use time) apply to a cached entry
//     as to the row. Logout erases its session from the cache once the
//     delete has committed (or failed); AccountRegistry erases an account's
//     sessions after disabling it or resetting its password.
//  6. Every sign-in attempt (auth.login, auth.login_failed, auth.lockout for
//     the failure that locks) and every sign-out (auth.logout) appends an
//     audit entry in the transaction that records it; when the entry cannot
//     be written the attempt fails with that error and changes nothing. A
//     failed attempt with an unknown username names no actor (the typed
//     name may be a password). Authenticate() is not an operation and is
//     not audited.
#ifndef CASEVAULT_DOMAIN_AUTHENTICATOR_H_
#define CASEVAULT_DOMAIN_AUTHENTICATOR_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/password_hasher.h"
#include "domain/audit_trail.h"
#include "domain/role.h"
#include "domain/session_cache.h"
#include "storage/store.h"

namespace casevault::domain {

struct SignInOptions {
  UnixMillis idle_timeout = 30 * 60 * 1000;
  UnixMillis absolute_timeout = 12 * 60 * 60 * 1000;
  int slow_after = 2;
  int lock_after = 5;
  UnixMillis lock_duration = 15 * 60 * 1000;
  UnixMillis max_failure_delay = 8000;
  // Last-used times are written at most this often (idle expiry precision).
  UnixMillis touch_interval = 60 * 1000;
};

struct SignedIn {
  std::string token;
  UnixMillis expires_at = 0;
  Caller caller;
};

class Authenticator {
 public:
  Authenticator(storage::Store& store, const AuditTrail& trail,
                const crypto::PasswordHasher& hasher, const Clock& clock,
                RandomSource& random, SignInOptions options,
                SessionCache* cache = nullptr)
      : store_(store), trail_(trail), hasher_(hasher), clock_(clock),
        random_(random), options_(options), cache_(cache) {}

  // UNAUTHENTICATED (invariant 2) or INVALID_ARGUMENT for a malformed request;
  // the error of the audit log when the attempt cannot be audited (6).
  [[nodiscard]] absl::StatusOr<SignedIn> Login(const std::string& username,
                                 const std::string& password,
                                 const std::string& request_id);

  // The caller a bearer token belongs to; UNAUTHENTICATED if it is unknown,
  // expired, idle too long, or its account is disabled (invariants 4, 5).
  [[nodiscard]] absl::StatusOr<Caller> Authenticate(const std::string& token,
                                      const std::string& request_id);

  // Revokes the session of `token`, which `caller` authenticated with, and
  // drops it from the cache.
  [[nodiscard]] absl::Status Logout(const Caller& caller,
                                    const std::string& token);

  // SHA-256 of a token, as stored.
  static std::string TokenHash(const std::string& token);

 private:
  // Counts a failed sign-in of an existing, enabled account (locking it at
  // `lock_after`) and audits it; then waits per invariant 3. Returns
  // UNAUTHENTICATED, or the error that kept the attempt from being audited.
  [[nodiscard]] absl::Status RecordFailure(const storage::AccountRecord& account,
                             AuditEvent event);

  storage::Store& store_;
  const AuditTrail& trail_;
  const crypto::PasswordHasher& hasher_;
  const Clock& clock_;
  RandomSource& random_;
  const SignInOptions options_;
  SessionCache* const cache_;  // may be null: every check reads the store
};

// The one message every failed sign-in gets (invariant 2).
inline constexpr char kSignInFailed[] =
    "sign-in failed: wrong username or password, or the account is locked or "
    "disabled";

// An account row as the domain sees it.
absl::StatusOr<Caller> CallerFromAccount(const storage::AccountRecord& a);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_AUTHENTICATOR_H_
