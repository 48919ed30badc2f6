#include "crypto/signer.h"

#include <sodium.h>

#include <cstdlib>

#include "absl/status/status.h"
#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

static_assert(crypto_sign_PUBLICKEYBYTES == kEd25519PublicKeySize);
static_assert(crypto_sign_BYTES == kEd25519SignatureSize);
static_assert(crypto_sign_SEEDBYTES == 32);
static_assert(crypto_sign_SECRETKEYBYTES == 64);

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

absl::StatusOr<std::unique_ptr<Signer>> Signer::FromSeed(
    const SecretBytes& seed) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  if (seed.size() != crypto_sign_SEEDBYTES) {
    return absl::InvalidArgumentError("Ed25519 seed must be 32 bytes");
  }
  std::unique_ptr<Signer> signer(new Signer());
  // Allocate the secret key in protected memory, then let libsodium fill it.
  const uint8_t zeros[crypto_sign_SECRETKEYBYTES] = {};
  signer->secret_key_ = SecretBytes::CopyFrom(zeros, sizeof(zeros));
  signer->public_key_.assign(crypto_sign_PUBLICKEYBYTES, '\0');
  if (crypto_sign_seed_keypair(
          reinterpret_cast<unsigned char*>(signer->public_key_.data()),
          signer->secret_key_.ExposeSecretMutable(),
          seed.ExposeSecret()) != 0) {
    return absl::InternalError("Ed25519 key derivation failed");
  }
  return signer;
}

std::string Signer::Sign(std::string_view message) const {
  std::string signature(crypto_sign_BYTES, '\0');
  // Cannot fail for a well-formed secret key, which FromSeed guarantees.
  if (crypto_sign_detached(reinterpret_cast<unsigned char*>(signature.data()),
                           /*siglen_p=*/nullptr, Bytes(message), message.size(),
                           secret_key_.ExposeSecret()) != 0) {
    std::abort();
  }
  return signature;
}

bool VerifyEd25519(std::string_view public_key, std::string_view message,
                   std::string_view signature) {
  if (!InitializeCrypto()) return false;
  if (public_key.size() != crypto_sign_PUBLICKEYBYTES ||
      signature.size() != crypto_sign_BYTES) {
    return false;
  }
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message),
                                     message.size(), Bytes(public_key)) == 0;
}

}  // namespace casevault::crypto
