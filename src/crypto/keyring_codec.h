// Internal to crypto/: the plaintext layout of the keyring (docs/formats.md,
// "Keyring file"). Not for use outside src/crypto.
#ifndef CASEVAULT_CRYPTO_KEYRING_CODEC_H_
#define CASEVAULT_CRYPTO_KEYRING_CODEC_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/keyring.h"
#include "crypto/secret_bytes.h"

namespace casevault::crypto {

// Every key in the keyring is this long.
inline constexpr size_t kKeyringKeySize = 32;

namespace internal {

// Record types of the keyring plaintext.
enum class KeyringRecord : uint8_t {
  kDatabaseKey = 0x01,
  kKek = 0x02,  // value = version:u32be || key
  kCurrentKekVersion = 0x03,
  kAuditMacKey = 0x04,
  kIndexKey = 0x05,
  kAuditSigningSeed = 0x06,
};

// OK if `keyring` can be serialised: every key 32 bytes, at least one KEK,
// KEK versions >= 1, the current version among them. INVALID_ARGUMENT
// (naming the field, never bytes) otherwise.
[[nodiscard]] absl::Status ValidateKeyring(const Keyring& keyring);

// The plaintext of a keyring that passed ValidateKeyring.
[[nodiscard]] SecretBytes SerializeKeyring(const Keyring& keyring);

// Parses a plaintext; INVALID_ARGUMENT with a short reason (no data) for
// anything but exactly the layout SerializeKeyring writes.
[[nodiscard]] absl::StatusOr<Keyring> ParseKeyring(
    const SecretBytes& plaintext);

}  // namespace internal
}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_KEYRING_CODEC_H_
