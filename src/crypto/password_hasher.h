// Argon2id password hashes in libsodium's crypto_pwhash_str format.
#ifndef CASEVAULT_CRYPTO_PASSWORD_HASHER_H_
#define CASEVAULT_CRYPTO_PASSWORD_HASHER_H_

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace casevault::crypto {

struct PasswordHashLimits {
  uint64_t ops_limit;
  size_t mem_limit;
  // crypto_pwhash_OPSLIMIT_INTERACTIVE / MEMLIMIT_INTERACTIVE: the floor.
  static PasswordHashLimits Interactive();
  // crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE.
  static PasswordHashLimits Moderate();
};

// How many hashes may run at once. Each holds `mem_limit` bytes (64 MiB at
// Interactive) and a core for its whole run, so without a bound a morning
// when a whole district signs in, or anyone sending sign-ins in a loop,
// would take all the memory and starve every other call. Past `parallel`,
// a hash waits its turn: at most `max_waiting` of them, each at most
// `max_wait`; beyond either it is refused without hashing (docs/
// decisions.md, "Sign-ins take turns").
struct PasswordHashConcurrency {
  int parallel = 1;
  int max_waiting = 64;
  std::chrono::milliseconds max_wait{5000};
  // Half the cores (at least one): the other half keep serving cases.
  static PasswordHashConcurrency ForThisMachine();
};

// Not hashed: the hasher was busy (PasswordHashConcurrency).
inline constexpr char kPasswordHasherBusyMessage[] =
    "too many sign-ins at once";
// RESOURCE_EXHAUSTED with kPasswordHasherBusyMessage.
absl::Status PasswordHasherBusyError();

enum class PasswordCheck { kMismatch, kMatch, kMatchNeedsRehash, kBusy };

// Thread-safe.
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashLimits limits,
                          PasswordHashConcurrency concurrency =
                              PasswordHashConcurrency::ForThisMachine())
      : limits_(limits), concurrency_(concurrency) {}

  // RESOURCE_EXHAUSTED if memory for the hash cannot be had, or
  // (kPasswordHasherBusyMessage) when it got no turn: too many waiting
  // already, or none came free within max_wait.
  [[nodiscard]] absl::StatusOr<std::string> Hash(
      std::string_view password) const;

  // kMatchNeedsRehash when the password matches but the stored hash was made
  // with other limits than this hasher's (crypto_pwhash_str_needs_rehash);
  // then, when `rehashed` is given, the password's hash with this hasher's
  // limits goes there, made in the same turn (left empty if that fails).
  // kBusy when it was not checked because it got no turn (as for Hash).
  [[nodiscard]] PasswordCheck Verify(std::string_view stored_hash,
                                     std::string_view password,
                                     std::string* rehashed = nullptr) const;

  // Spends the time of one Verify against a hash of this hasher's limits,
  // so that an unknown user costs what a wrong password costs; false
  // (nothing spent) when it would have been kBusy.
  [[nodiscard]] bool VerifyDummy(std::string_view password) const;

  // Hashes running now and waiting now (for tests and diagnostics).
  int running() const;
  int waiting() const;

 private:
  class Turn;  // one hash's place among the `parallel`

  absl::StatusOr<std::string> HashNow(std::string_view password) const;
  PasswordCheck VerifyNow(std::string_view stored_hash,
                          std::string_view password) const;

  PasswordHashLimits limits_;
  PasswordHashConcurrency concurrency_;
  mutable std::mutex turns_mu_;
  mutable std::condition_variable turn_free_;
  mutable int running_ = 0;  // guarded by turns_mu_
  mutable int waiting_ = 0;  // guarded by turns_mu_
  mutable std::string dummy_hash_;  // made once, lazily, under a lock
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_PASSWORD_HASHER_H_
