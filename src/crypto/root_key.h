// The root key file: exactly 32 raw bytes, a regular file (not a symlink),
// owned by the user running casevaultd, mode 0600 or 0400. A systemd
// credential (root's, 0400, readable by this user through an ACL entry and
// by no one else) is accepted too (docs/formats.md, "Root key file rules").
#ifndef CASEVAULT_CRYPTO_ROOT_KEY_H_
#define CASEVAULT_CRYPTO_ROOT_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "crypto/secret_bytes.h"

namespace casevault::crypto {

inline constexpr size_t kRootKeySize = 32;

// On success the key. FAILED_PRECONDITION, with a message that says how to
// fix it (e.g. "chmod 600 <path>"), when the file is a symlink, not a regular
// file, readable or writable by group or others, or not 32 bytes; NOT_FOUND
// when it does not exist. The message names the path, never the bytes.
[[nodiscard]] absl::StatusOr<SecretBytes> LoadRootKey(const std::string& path);

// Creates a new root key file with mode 0600 (O_CREAT|O_EXCL|O_NOFOLLOW),
// fsyncs it and its directory. ALREADY_EXISTS if the path exists.
[[nodiscard]] absl::StatusOr<SecretBytes> CreateRootKey(const std::string& path,
                                                        RandomSource& random);

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_ROOT_KEY_H_
