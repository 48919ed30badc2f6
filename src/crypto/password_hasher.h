// Argon2id password hashes in libsodium's crypto_pwhash_str format.
#ifndef CASEVAULT_CRYPTO_PASSWORD_HASHER_H_
#define CASEVAULT_CRYPTO_PASSWORD_HASHER_H_

#include <cstdint>
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

enum class PasswordCheck { kMismatch, kMatch, kMatchNeedsRehash };

// Thread-safe.
class PasswordHasher {
 public:
  explicit PasswordHasher(PasswordHashLimits limits) : limits_(limits) {}

  // RESOURCE_EXHAUSTED if memory for the hash cannot be had.
  [[nodiscard]] absl::StatusOr<std::string> Hash(
      std::string_view password) const;

  // kMatchNeedsRehash when the password matches but the stored hash was made
  // with other limits than this hasher's (crypto_pwhash_str_needs_rehash).
  [[nodiscard]] PasswordCheck Verify(std::string_view stored_hash,
                                     std::string_view password) const;

  // Spends the time of one Verify against a hash of this hasher's limits,
  // so that an unknown user costs what a wrong password costs.
  void VerifyDummy(std::string_view password) const;

 private:
  PasswordHashLimits limits_;
  mutable std::string dummy_hash_;  // made once, lazily, under a lock
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_PASSWORD_HASHER_H_
