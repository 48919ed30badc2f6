#include "domain/authenticator.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "common/field_violation.h"
#include "common/status_macros.h"
#include "crypto/digest.h"
#include "domain/limits.h"

namespace casevault::domain {
namespace {

constexpr size_t kTokenBytes = 32;

absl::Status Unauthenticated() {
  return absl::UnauthenticatedError(kSignInFailed);
}

}  // namespace

absl::StatusOr<Caller> CallerFromAccount(const storage::AccountRecord& a) {
  auto role = ParseRole(a.role);
  if (!role.has_value()) return absl::InternalError("account has no valid role");
  Caller c;
  c.account_id = a.id;
  c.username = a.username;
  c.role = *role;
  c.unit_id = a.unit_id;
  return c;
}

std::string Authenticator::TokenHash(const std::string& token) {
  const crypto::Sha256Digest d = crypto::Sha256(token);
  return std::string(d.begin(), d.end());
}

absl::StatusOr<SignedIn> Authenticator::Login(const std::string& username,
                                              const std::string& password,
                                              const std::string& request_id) {
  // Until the account is found, the attempt names no actor (invariant 6).
  AuditEvent event;
  event.action = kAuthLoginFailed;
  event.request = request_id;
  auto refuse = [&](absl::Status why) {
    return trail_.Record(store_, event,
                         [&](storage::Transaction&, AuditEvent&) { return why; });
  };

  Violations v;
  if (username.empty()) v.Add("username", "is required");
  if (username.size() > 64) v.Add("username", "is too long");
  if (password.empty()) v.Add("password", "is required");
  if (password.size() > kMaxPasswordBytes) v.Add("password", "is too long");
  if (absl::Status invalid = v.ToStatus(); !invalid.ok()) return refuse(invalid);

  storage::AccountRecord account;
  bool found = false;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> absl::Status {
    auto a = tx.accounts().FindByUsername(username);
    if (absl::IsNotFound(a.status())) return absl::OkStatus();
    if (!a.ok()) return a.status();
    account = *std::move(a);
    found = true;
    return absl::OkStatus();
  }));
  if (!found) {
    if (!hasher_.VerifyDummy(password)) {
      return refuse(crypto::PasswordHasherBusyError());
    }
    return refuse(Unauthenticated());
  }
  event.actor = account.username;
  event.role = account.role;
  event.unit = account.unit_id;
  std::string new_hash;  // when the stored hash has old limits
  const crypto::PasswordCheck check =
      hasher_.Verify(account.password_hash, password, &new_hash);
  // Not checked: no failure counted, whoever asked (the same answer for
  // known and unknown usernames).
  if (check == crypto::PasswordCheck::kBusy) {
    return refuse(crypto::PasswordHasherBusyError());
  }
  const UnixMillis now = clock_.Now();
  const bool locked = account.locked_until > now;
  if (check == crypto::PasswordCheck::kMismatch || locked || account.disabled) {
    if (account.disabled) return refuse(Unauthenticated());
    return RecordFailure(account, event);
  }

  SignedIn out;
  out.token = crypto::Base64UrlEncode(random_.Bytes(kTokenBytes));
  out.expires_at = now + options_.absolute_timeout;
  storage::SessionRecord session;
  session.token_hash = TokenHash(out.token);
  session.account_id = account.id;
  session.created_at = now;
  session.last_used_at = now;
  session.expires_at = out.expires_at;
  event.action = kAuthLogin;
  RETURN_IF_ERROR(trail_.Record(
      store_, event,
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        e.action = kAuthLoginFailed;  // until the session is stored
        ASSIGN_OR_RETURN(storage::AccountRecord fresh,
                         tx.accounts().FindById(account.id));
        if (fresh.disabled || fresh.locked_until > now) return Unauthenticated();
        fresh.failed_logins = 0;
        fresh.locked_until = 0;
        if (!new_hash.empty()) fresh.password_hash = new_hash;
        fresh.updated_at = now;
        RETURN_IF_ERROR(tx.accounts().Update(fresh));
        RETURN_IF_ERROR(tx.sessions().DeleteExpired(now).status());
        RETURN_IF_ERROR(tx.sessions().Insert(session));
        e.action = kAuthLogin;
        return absl::OkStatus();
      }));
  ASSIGN_OR_RETURN(out.caller, CallerFromAccount(account));
  out.caller.request_id = request_id;
  return out;
}

absl::Status Authenticator::RecordFailure(const storage::AccountRecord& account,
                                          AuditEvent event) {
  int failures = 0;
  // The count must be kept although the attempt fails: it is written
  // outside a savepoint, and the entry records UNAUTHENTICATED.
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> absl::Status {
    failures = 0;  // each run sets its outputs afresh (Store::Write)
    AuditEvent entry = event;
    ASSIGN_OR_RETURN(storage::AccountRecord a, tx.accounts().FindById(account.id));
    const UnixMillis now = clock_.Now();
    if (a.locked_until <= now) {  // an attempt on a locked account counts not
      a.failed_logins += 1;
      failures = a.failed_logins;
      if (a.failed_logins >= options_.lock_after) {
        a.locked_until = now + options_.lock_duration;
        a.failed_logins = 0;
        entry.action = kAuthLockout;
      }
      a.updated_at = now;
      RETURN_IF_ERROR(tx.accounts().Update(a));
    }
    return trail_.Append(tx, entry, Unauthenticated());
  }));
  if (failures > options_.slow_after) {
    const int doublings = std::min(failures - options_.slow_after - 1, 20);
    clock_.SleepFor(std::min<UnixMillis>(options_.max_failure_delay,
                                         UnixMillis{1000} << doublings));
  }
  return Unauthenticated();
}

absl::StatusOr<Caller> Authenticator::Authenticate(const std::string& token,
                                                   const std::string& request_id) {
  if (token.empty() || token.size() > 128) {
    return absl::UnauthenticatedError("a valid session token is required; sign in");
  }
  const std::string hash = TokenHash(token);
  const UnixMillis now = clock_.Now();
  auto expired = [&](UnixMillis expires_at, UnixMillis last_used_at) {
    return expires_at <= now || last_used_at + options_.idle_timeout <= now;
  };
  // Writes the last-use time when the stored one is touch_interval old;
  // whether it wrote, or the error (UNAUTHENTICATED when the row is gone).
  auto touch = [&](UnixMillis stored_last_used) -> absl::StatusOr<bool> {
    if (now - stored_last_used < options_.touch_interval) return false;
    absl::Status touched = store_.Write([&](storage::Transaction& tx) {
      return tx.sessions().Touch(hash, now);
    });
    if (absl::IsNotFound(touched)) {
      if (cache_ != nullptr) cache_->Erase(hash);
      return absl::UnauthenticatedError("the session is not valid; sign in again");
    }
    RETURN_IF_ERROR(touched);
    return true;
  };

  if (cache_ != nullptr) {
    if (std::optional<CachedSession> hit = cache_->Find(hash, now)) {
      if (expired(hit->expires_at, hit->last_touched_at)) {
        cache_->Erase(hash);
        return absl::UnauthenticatedError("the session has expired; sign in again");
      }
      ASSIGN_OR_RETURN(const bool touched, touch(hit->last_touched_at));
      if (touched) cache_->MarkTouched(hash, now);
      Caller caller = std::move(hit->caller);
      caller.request_id = request_id;
      return caller;
    }
  }

  // Taken before the store is read (SessionCache invariant 4).
  const uint64_t generation = cache_ != nullptr ? cache_->generation() : 0;
  storage::SessionRecord session;
  storage::AccountRecord account;
  absl::Status found = store_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(session, tx.sessions().Find(hash));
    ASSIGN_OR_RETURN(account, tx.accounts().FindById(session.account_id));
    return absl::OkStatus();
  });
  if (absl::IsNotFound(found)) {
    return absl::UnauthenticatedError("the session is not valid; sign in again");
  }
  RETURN_IF_ERROR(found);
  if (expired(session.expires_at, session.last_used_at) || account.disabled) {
    return absl::UnauthenticatedError("the session has expired; sign in again");
  }
  ASSIGN_OR_RETURN(const bool touched, touch(session.last_used_at));
  ASSIGN_OR_RETURN(Caller caller, CallerFromAccount(account));
  if (cache_ != nullptr) {
    CachedSession entry;
    entry.caller = caller;
    entry.expires_at = session.expires_at;
    entry.last_used_at = now;
    entry.last_touched_at = touched ? now : session.last_used_at;
    cache_->Put(hash, std::move(entry), generation);
  }
  caller.request_id = request_id;
  return caller;
}

absl::Status Authenticator::Logout(const Caller& caller,
                                   const std::string& token) {
  const std::string hash = TokenHash(token);
  const absl::Status done = trail_.Record(
      store_, EventOf(caller, kAuthLogout),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        absl::Status s = tx.sessions().Delete(hash);
        if (absl::IsNotFound(s)) return absl::OkStatus();
        return s;
      });
  // After the commit (or its failure): erasing too much costs one read.
  if (cache_ != nullptr) cache_->Erase(hash);
  return done;
}

}  // namespace casevault::domain
