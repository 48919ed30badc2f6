// The keyring: every key a deployment uses, sealed under the root key in one
// file next to the database (format in docs/formats.md).
#ifndef CASEVAULT_CRYPTO_KEYRING_H_
#define CASEVAULT_CRYPTO_KEYRING_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "crypto/secret_bytes.h"

namespace casevault::crypto {

struct Keyring {
  SecretBytes database_key;               // 32 bytes, SQLCipher raw key
  std::map<uint32_t, SecretBytes> keks;   // version -> 32-byte KEK
  uint32_t current_kek_version = 0;       // a key of `keks`
  SecretBytes audit_mac_key;              // 32 bytes
  SecretBytes index_key;                  // 32 bytes
  SecretBytes audit_signing_seed;         // 32 bytes, Ed25519 seed

  // A keyring with fresh random keys and KEK version 1.
  static Keyring Generate(RandomSource& random);
  // Adds KEK version current+1 and makes it current.
  void AddKekVersion(RandomSource& random);
};

// Seals `keyring` under `root_key` and writes it atomically: write a temp
// file in the same directory (mode 0600), fsync, rename over `path`, fsync
// the directory. A crash leaves either the old or the new file (and maybe
// a temp file `path`.tmp-<16 hex>, which ReadKeyring never reads and the
// next WriteKeyring removes before writing).
[[nodiscard]] absl::Status WriteKeyring(const std::string& path,
                                        const Keyring& keyring,
                                        const SecretBytes& root_key,
                                        RandomSource& random);

// NOT_FOUND if absent; FAILED_PRECONDITION for a symlink or a file open to
// group/others; DATA_LOSS (with a message that says the root key may be the
// wrong one) if it does not open under `root_key` or is malformed.
[[nodiscard]] absl::StatusOr<Keyring> ReadKeyring(const std::string& path,
                                                  const SecretBytes& root_key);

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_KEYRING_H_
