// An in-memory cache of signed-in sessions, so that checking a bearer token
// does not read the database on every call.
//
// Invariants:
//  1. Keys are SHA-256(token), exactly as the sessions table stores them;
//     the cache never holds a token.
//  2. It holds at most `max_entries` sessions; a Put beyond that evicts the
//     least recently used (found or put) one. A miss only costs a database
//     read, so evicting is always safe.
//  3. An entry is never answered past its absolute expiry, nor once
//     `last_touched_at + idle_timeout <= now` (the idle rule applied to the
//     stored last-use time, exactly as Authenticator applies it to the row);
//     Find drops such an entry.
//  4. Erase and EraseAccount are the only ways a session is revoked here;
//     callers invoke them after the change that ends the session (Logout,
//     disable, password reset) has committed. Each bumps generation(); a Put
//     made with a generation read before such an erase is dropped, so a
//     lookup that read the database before a revocation committed cannot
//     bring the revoked session back.
//  5. The cache mirrors one database used by one casevaultd process: a
//     change made to the sessions or accounts tables by anyone but this
//     process's Authenticator and AccountRegistry is not seen until the
//     entry expires, idles out, is evicted or the process restarts.
// All methods are thread-safe.
#ifndef CASEVAULT_DOMAIN_SESSION_CACHE_H_
#define CASEVAULT_DOMAIN_SESSION_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/clock.h"
#include "domain/role.h"

namespace casevault::domain {

// One cached session.
struct CachedSession {
  Caller caller;                   // request_id is left empty
  UnixMillis expires_at = 0;       // absolute expiry (sessions.expires_at)
  UnixMillis last_used_at = 0;     // last time Find answered it
  UnixMillis last_touched_at = 0;  // sessions.last_used_at as stored
};

inline constexpr size_t kDefaultSessionCacheEntries = 10000;
inline constexpr UnixMillis kDefaultSessionIdleTimeout = 30 * 60 * 1000;

class SessionCache {
 public:
  // `idle_timeout` must be the SignInOptions::idle_timeout of the
  // Authenticator using the cache (it checks again with its own anyway).
  // A `max_entries` of 0 is taken as 1.
  explicit SessionCache(size_t max_entries = kDefaultSessionCacheEntries,
                        UnixMillis idle_timeout = kDefaultSessionIdleTimeout);
  SessionCache(const SessionCache&) = delete;
  SessionCache& operator=(const SessionCache&) = delete;

  // The entry of `token_hash` if there is one and it is neither expired
  // nor idle at `now` (invariant 3; an expired or idle entry is dropped).
  // A hit records `now` as last_used_at and makes the entry most recent.
  std::optional<CachedSession> Find(const std::string& token_hash,
                                    UnixMillis now);

  // Revocations so far (invariant 4). Read it before reading the database
  // for a session that will be Put.
  uint64_t generation() const;

  // Stores (or replaces) the entry of `token_hash`, evicting the least
  // recently used one when full; returns false, storing nothing, when an
  // Erase or EraseAccount happened since `seen_generation` was read.
  bool Put(const std::string& token_hash, CachedSession entry,
           uint64_t seen_generation);

  // Records that the store's last-use time of `token_hash` is now `at`
  // (after a Touch). Does nothing when the entry is gone; never inserts.
  void MarkTouched(const std::string& token_hash, UnixMillis at);

  // Forgets one session (Logout).
  void Erase(const std::string& token_hash);
  // Forgets every session of the account (disable, password reset, any
  // change of what its Caller holds).
  void EraseAccount(int64_t account_id);

  size_t size() const;
  size_t max_entries() const { return max_entries_; }

 private:
  struct Slot {
    CachedSession session;
    std::list<std::string>::iterator recency;  // into lru_
  };

  void EraseLocked(std::unordered_map<std::string, Slot>::iterator it)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const size_t max_entries_;
  const UnixMillis idle_timeout_;
  mutable absl::Mutex mu_;
  std::unordered_map<std::string, Slot> entries_ ABSL_GUARDED_BY(mu_);
  std::list<std::string> lru_ ABSL_GUARDED_BY(mu_);  // most recent first
  uint64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_SESSION_CACHE_H_
