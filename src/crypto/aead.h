// Authenticated encryption with associated data: XChaCha20-Poly1305 in a
// versioned envelope (docs/formats.md):
//   envelope = version:u8(0x01) || nonce:24 bytes || ciphertext-with-tag
#ifndef CASEVAULT_CRYPTO_AEAD_H_
#define CASEVAULT_CRYPTO_AEAD_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "crypto/secret_bytes.h"

namespace casevault::crypto {

inline constexpr size_t kAeadKeySize = 32;
inline constexpr uint8_t kEnvelopeVersion = 0x01;
inline constexpr size_t kEnvelopeOverhead = 1 + 24 + 16;

// Immutable and thread-safe once made.
class Aead {
 public:
  // Fails (InvalidArgument) unless `key` is exactly kAeadKeySize bytes.
  // `random` supplies nonces and must outlive the Aead.
  static absl::StatusOr<std::unique_ptr<Aead>> New(SecretBytes key,
                                                   RandomSource& random);

  // A fresh random nonce every call. Returns the envelope.
  [[nodiscard]] std::string Seal(std::string_view plaintext,
                                 std::string_view associated_data) const;

  // On success the plaintext. DATA_LOSS when the envelope is malformed,
  // of an unknown version, or fails authentication (wrong key, wrong
  // associated data, any flipped bit). The message never includes data.
  [[nodiscard]] absl::StatusOr<std::string> Open(
      std::string_view envelope, std::string_view associated_data) const;

  // Open() into protected memory, for envelopes that hold key material.
  [[nodiscard]] absl::StatusOr<SecretBytes> OpenSecret(
      std::string_view envelope, std::string_view associated_data) const;

 private:
  Aead(SecretBytes key, RandomSource& random)
      : key_(std::move(key)), random_(random) {}
  SecretBytes key_;
  RandomSource& random_;
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_AEAD_H_
