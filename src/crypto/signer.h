// Ed25519 signatures (checkpoints of the audit log).
#ifndef CASEVAULT_CRYPTO_SIGNER_H_
#define CASEVAULT_CRYPTO_SIGNER_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "crypto/secret_bytes.h"

namespace casevault::crypto {

inline constexpr size_t kEd25519PublicKeySize = 32;
inline constexpr size_t kEd25519SignatureSize = 64;

class Signer {
 public:
  // From a 32-byte seed (crypto_sign_seed_keypair). InvalidArgument when the
  // seed is not 32 bytes. The secret key lives in protected memory.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<Signer>> FromSeed(
      const SecretBytes& seed);
  // Deterministic Ed25519 (RFC 8032) signature of `message`: 64 bytes.
  std::string Sign(std::string_view message) const;
  const std::string& public_key() const { return public_key_; }  // 32 bytes

 private:
  Signer() = default;
  SecretBytes secret_key_;  // 64 bytes, libsodium layout
  std::string public_key_;
};

// True if `signature` (64 bytes) is valid for `message` under `public_key`
// (32 bytes); false for any other sizes.
[[nodiscard]] bool VerifyEd25519(std::string_view public_key,
                                 std::string_view message,
                                 std::string_view signature);

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_SIGNER_H_
