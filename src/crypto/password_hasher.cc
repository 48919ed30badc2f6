#include "crypto/password_hasher.h"

#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <string>
#include <thread>

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

absl::Status PasswordHasherBusyError() {
  return absl::ResourceExhaustedError(kPasswordHasherBusyMessage);
}

PasswordHashConcurrency PasswordHashConcurrency::ForThisMachine() {
  PasswordHashConcurrency c;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  c.parallel = std::max(1, cores / 2);
  return c;
}

// A hash's turn: waits (bounded) for one of the `parallel` places and
// gives it back when destroyed. granted() is false when it was refused.
class PasswordHasher::Turn {
 public:
  explicit Turn(const PasswordHasher& h) : h_(h) {
    const PasswordHashConcurrency& c = h_.concurrency_;
    const int parallel = std::max(1, c.parallel);
    std::unique_lock<std::mutex> lock(h_.turns_mu_);
    if (h_.running_ >= parallel) {
      if (h_.waiting_ >= c.max_waiting) return;
      ++h_.waiting_;
      const bool free = h_.turn_free_.wait_for(
          lock, c.max_wait, [&] { return h_.running_ < parallel; });
      --h_.waiting_;
      if (!free) return;
    }
    ++h_.running_;
    granted_ = true;
  }
  ~Turn() {
    if (!granted_) return;
    {
      std::lock_guard<std::mutex> lock(h_.turns_mu_);
      --h_.running_;
    }
    h_.turn_free_.notify_one();
  }
  Turn(const Turn&) = delete;
  Turn& operator=(const Turn&) = delete;
  bool granted() const { return granted_; }

 private:
  const PasswordHasher& h_;
  bool granted_ = false;
};

int PasswordHasher::running() const {
  std::lock_guard<std::mutex> lock(turns_mu_);
  return running_;
}

int PasswordHasher::waiting() const {
  std::lock_guard<std::mutex> lock(turns_mu_);
  return waiting_;
}

PasswordHashLimits PasswordHashLimits::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
          crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordHashLimits PasswordHashLimits::Moderate() {
  return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
}

absl::StatusOr<std::string> PasswordHasher::Hash(
    std::string_view password) const {
  const Turn turn(*this);
  if (!turn.granted()) return PasswordHasherBusyError();
  return HashNow(password);
}

absl::StatusOr<std::string> PasswordHasher::HashNow(
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
                                     std::string_view password,
                                     std::string* rehashed) const {
  const Turn turn(*this);
  if (!turn.granted()) return PasswordCheck::kBusy;
  const PasswordCheck check = VerifyNow(stored_hash, password);
  if (check == PasswordCheck::kMatchNeedsRehash && rehashed != nullptr) {
    absl::StatusOr<std::string> made = HashNow(password);
    *rehashed = made.ok() ? *std::move(made) : std::string();
  }
  return check;
}

PasswordCheck PasswordHasher::VerifyNow(std::string_view stored_hash,
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

bool PasswordHasher::VerifyDummy(std::string_view password) const {
  const Turn turn(*this);  // one turn for making the dummy and checking it
  if (!turn.granted()) return false;
  std::string dummy;
  {
    std::lock_guard<std::mutex> lock(DummyMutex());
    if (dummy_hash_.empty()) {
      absl::StatusOr<std::string> made = HashNow(kDummyPassword);
      if (made.ok()) dummy_hash_ = *std::move(made);
    }
    dummy = dummy_hash_;
  }
  if (dummy.empty()) return true;  // could not hash: nothing to spend
  // The outcome is irrelevant (and almost surely a mismatch).
  (void)VerifyNow(dummy, password);
  return true;
}

}  // namespace casevault::crypto
