#include "crypto/password_hasher.h"

#include <sodium.h>

#include <cerrno>
#include <mutex>
#include <string>

#include "absl/status/status.h"
#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

constexpr std::string_view kArgon2idPrefix = "$argon2id$";
// What VerifyDummy checks the password against. Not a secret: it only has
// to cost what a real hash of the same limits costs.
constexpr std::string_view kDummyPassword = "casevault dummy password";

// Guards every PasswordHasher's dummy_hash_. Held for the one slow hash per
// hasher, then only to copy the finished string.
std::mutex& DummyMutex() {
  static std::mutex* mu = new std::mutex;
  return *mu;
}

}  // namespace

PasswordHashLimits PasswordHashLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashLimits PasswordHashLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

absl::StatusOr<std::string> PasswordHasher::Hash(
    std::string_view password) const {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  if (limits_.ops_limit < crypto_pwhash_argon2id_OPSLIMIT_MIN ||
      limits_.ops_limit > crypto_pwhash_argon2id_OPSLIMIT_MAX ||
      limits_.mem_limit < crypto_pwhash_argon2id_MEMLIMIT_MIN ||
      limits_.mem_limit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return absl::InvalidArgumentError("password hash limits out of range");
  }
  if (password.size() > crypto_pwhash_argon2id_PASSWD_MAX) {
    return absl::InvalidArgumentError("password too long");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            limits_.ops_limit, limits_.mem_limit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::ResourceExhaustedError(
        "not enough memory to hash the password");
  }
  return std::string(out);  // NUL-terminated by libsodium
}

PasswordCheck PasswordHasher::Verify(std::string_view stored_hash,
                                     std::string_view password) const {
  if (!InitializeCrypto()) return PasswordCheck::kMismatch;
  // libsodium reads a C string: refuse what it would silently truncate.
  if (stored_hash.size() >= crypto_pwhash_STRBYTES ||
      stored_hash.find('\0') != std::string_view::npos) {
    return PasswordCheck::kMismatch;
  }
  const std::string hash(stored_hash);
  if (crypto_pwhash_str_verify(hash.c_str(), password.data(),
                               password.size()) != 0) {
    return PasswordCheck::kMismatch;
  }
  // A match. Another algorithm (Argon2i) or other limits: rehash on login.
  if (stored_hash.substr(0, kArgon2idPrefix.size()) != kArgon2idPrefix ||
      crypto_pwhash_str_needs_rehash(hash.c_str(), limits_.ops_limit,
                                     limits_.mem_limit) != 0) {
    return PasswordCheck::kMatchNeedsRehash;
  }
  return PasswordCheck::kMatch;
}

void PasswordHasher::VerifyDummy(std::string_view password) const {
  std::string dummy;
  {
    std::lock_guard<std::mutex> lock(DummyMutex());
    if (dummy_hash_.empty()) {
      absl::StatusOr<std::string> made = Hash(kDummyPassword);
      if (made.ok()) dummy_hash_ = *std::move(made);
    }
    dummy = dummy_hash_;
  }
  if (dummy.empty()) return;  // could not hash: nothing to spend time on
  // The outcome is irrelevant (and almost surely a mismatch).
  (void)Verify(dummy, password);
}

}  // namespace casevault::crypto
