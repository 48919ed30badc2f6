#include "crypto/aead.h"

#include <sodium.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

constexpr size_t kNonceSize = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t kTagSize = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(kAeadKeySize == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);
static_assert(kEnvelopeOverhead == 1 + kNonceSize + kTagSize);

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// One message for every failure, so that a caller learns nothing about
// which check failed; never includes any of the data.
absl::Status OpenFailed() {
  return absl::DataLossError(
      "ciphertext does not open: wrong key, wrong associated data, or "
      "damaged or truncated envelope");
}

// Splits a well-formed envelope into nonce and ciphertext-with-tag, or
// returns false for one that is too short or of an unknown version.
bool SplitEnvelope(std::string_view envelope, const unsigned char** nonce,
                   std::string_view* sealed) {
  if (envelope.size() < kEnvelopeOverhead) return false;
  if (static_cast<uint8_t>(envelope[0]) != kEnvelopeVersion) return false;
  *nonce = Bytes(envelope.substr(1, kNonceSize));
  *sealed = envelope.substr(1 + kNonceSize);
  return true;
}

// Decrypts into out[0, sealed.size() - kTagSize). False if authentication
// fails, in which case libsodium has written nothing.
bool DecryptInto(const uint8_t* key, const unsigned char* nonce,
                 std::string_view sealed, std::string_view associated_data,
                 unsigned char* out) {
  unsigned long long out_len = 0;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(
             out, &out_len, /*nsec=*/nullptr, Bytes(sealed), sealed.size(),
             Bytes(associated_data), associated_data.size(), nonce, key) == 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Aead>> Aead::New(SecretBytes key,
                                                RandomSource& random) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  if (key.size() != kAeadKeySize) {
    return absl::InvalidArgumentError("AEAD key must be exactly 32 bytes");
  }
  return std::unique_ptr<Aead>(new Aead(std::move(key), random));
}

std::string Aead::Seal(std::string_view plaintext,
                       std::string_view associated_data) const {
  std::string envelope(kEnvelopeOverhead + plaintext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(envelope.data());
  out[0] = kEnvelopeVersion;
  unsigned char* nonce = out + 1;
  random_.Fill(nonce, kNonceSize);
  unsigned long long sealed_len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(
      nonce + kNonceSize, &sealed_len, Bytes(plaintext), plaintext.size(),
      Bytes(associated_data), associated_data.size(), /*nsec=*/nullptr, nonce,
      key_.ExposeSecret());
  return envelope;
}

absl::StatusOr<std::string> Aead::Open(std::string_view envelope,
                                       std::string_view associated_data) const {
  const unsigned char* nonce = nullptr;
  std::string_view sealed;
  if (!SplitEnvelope(envelope, &nonce, &sealed)) return OpenFailed();
  std::string plaintext(sealed.size() - kTagSize, '\0');
  if (!DecryptInto(key_.ExposeSecret(), nonce, sealed, associated_data,
                   reinterpret_cast<unsigned char*>(plaintext.data()))) {
    sodium_memzero(plaintext.data(), plaintext.size());
    return OpenFailed();
  }
  return plaintext;
}

absl::StatusOr<SecretBytes> Aead::OpenSecret(
    std::string_view envelope, std::string_view associated_data) const {
  const unsigned char* nonce = nullptr;
  std::string_view sealed;
  if (!SplitEnvelope(envelope, &nonce, &sealed)) return OpenFailed();
  // Decrypt straight into protected memory: the plaintext never exists
  // anywhere else. The zeros copied in are not secret.
  SecretBytes plaintext =
      SecretBytes::CopyFrom(std::string(sealed.size() - kTagSize, '\0'));
  if (!DecryptInto(key_.ExposeSecret(), nonce, sealed, associated_data,
                   plaintext.ExposeSecretMutable())) {
    return OpenFailed();  // SecretBytes wipes itself
  }
  return plaintext;
}

}  // namespace casevault::crypto
