// Opening one SQLCipher connection with a raw 32-byte key.
#ifndef CASEVAULT_STORAGE_KEYED_CONNECTION_H_
#define CASEVAULT_STORAGE_KEYED_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/secret_bytes.h"
#include "storage/connection.h"

namespace casevault::storage {

enum class AccessMode {
  kReadOnly,         // SQLITE_OPEN_READONLY: cannot write the file at all
  kReadWrite,        // the file must exist
  kReadWriteCreate,  // creates an empty file when missing
};

// The bytes SQLCipher 3 takes as a raw key through sqlite3_key(): the blob
// literal x'<64 hex digits>' (67 bytes). Anything else is treated as a
// passphrase and run through PBKDF2.
inline constexpr size_t kRawKeySize = 32;
inline constexpr size_t kRawKeyLiteralSize = 2 * kRawKeySize + 3;

// Opens `path`, keys it with `key` (raw, via sqlite3_key), sets
// cipher_page_size = 4096, checks that `PRAGMA cipher_version` answers and
// proves the key by reading sqlite_master. Sets the busy timeout and turns
// on extended result codes. Changes nothing in the file: journal mode and
// the other pragmas are the caller's business.
// INVALID_ARGUMENT if `key` is not 32 bytes;
// FAILED_PRECONDITION if SQLCipher is not the SQLite library in use;
// PERMISSION_DENIED if the file does not decrypt with `key` (or is not a
// database); UNAVAILABLE if the file cannot be opened.
// `vfs` selects a registered SQLite VFS by name ("" = the default).
absl::StatusOr<std::unique_ptr<Connection>> OpenKeyedConnection(
    const std::string& path, const crypto::SecretBytes& key, AccessMode mode,
    int busy_timeout_ms, const std::string& vfs = "");

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_KEYED_CONNECTION_H_
