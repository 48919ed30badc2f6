#include "storage/keyed_connection.h"

#include <sqlcipher/sqlite3.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite_status.h"
#include "storage/store.h"

namespace casevault::storage {
namespace {

constexpr char kWrongKeyMessage[] =
    "the database does not open with this keyring's key";
constexpr char kNotSqlCipherMessage[] =
    "SQLCipher is not the SQLite library in use; refusing to write plaintext";

// Builds x'<hex>' in protected memory so the hex form of the key is wiped
// with the SecretBytes, never left in an ordinary heap string.
crypto::SecretBytes RawKeyLiteral(const crypto::SecretBytes& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::string zeros(kRawKeyLiteralSize, '\0');
  crypto::SecretBytes literal = crypto::SecretBytes::CopyFrom(zeros);
  uint8_t* out = literal.ExposeSecretMutable();
  const uint8_t* in = key.ExposeSecret();
  out[0] = 'x';
  out[1] = '\'';
  for (size_t i = 0; i < kRawKeySize; ++i) {
    out[2 + 2 * i] = static_cast<uint8_t>(kHex[in[i] >> 4]);
    out[3 + 2 * i] = static_cast<uint8_t>(kHex[in[i] & 0x0f]);
  }
  out[kRawKeyLiteralSize - 1] = '\'';
  return literal;
}

// sqlite3_open_v2 hands back a handle even on failure; this owns it until
// the Connection does.
struct HandleCloser {
  sqlite3* db = nullptr;
  ~HandleCloser() {
    if (db != nullptr) sqlite3_close(db);
  }
  sqlite3* Release() {
    sqlite3* out = db;
    db = nullptr;
    return out;
  }
};

int OpenFlags(AccessMode mode) {
  switch (mode) {
    case AccessMode::kReadOnly:
      return SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
    case AccessMode::kReadWrite:
      return SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    case AccessMode::kReadWriteCreate:
      return SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  }
  return SQLITE_OPEN_READONLY;
}

// The first column of the first row of a fixed statement, as text.
// Returns the SQLite result code; `out` is "" when there is no row.
int QueryFirstText(sqlite3* db, const char* sql, std::string& out) {
  out.clear();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  if (rc == SQLITE_OK) {
    rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      if (text != nullptr) out = reinterpret_cast<const char*>(text);
      rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
      rc = SQLITE_OK;
    }
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_OK ? rc : sqlite3_extended_errcode(db);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Connection>> OpenKeyedConnection(
    const std::string& path, const crypto::SecretBytes& key, AccessMode mode,
    int busy_timeout_ms, const std::string& vfs) {
  if (key.size() != kRawKeySize) {
    return absl::InvalidArgumentError("the database key must be 32 bytes");
  }
  HandleCloser handle;
  int rc = sqlite3_open_v2(path.c_str(), &handle.db, OpenFlags(mode),
                           vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    if (handle.db == nullptr) {
      return absl::ResourceExhaustedError("out of memory opening the database");
    }
    return absl::UnavailableError(
        absl::StrCat("the database file cannot be opened (sqlite code ",
                     sqlite3_extended_errcode(handle.db), ")"));
  }
  sqlite3_extended_result_codes(handle.db, 1);
  sqlite3_busy_timeout(handle.db, busy_timeout_ms);

  {
    crypto::SecretBytes literal = RawKeyLiteral(key);
    rc = sqlite3_key(handle.db, literal.ExposeSecret(),
                     static_cast<int>(literal.size()));
  }  // `literal` is wiped here; SQLCipher keeps its own copy.
  if (rc != SQLITE_OK) {
    return StatusFromSqlite(rc, "key the database");
  }
  // Must precede the first read of the file: the page size is part of how
  // pages are decrypted.
  rc = sqlite3_exec(handle.db, "PRAGMA cipher_page_size = 4096", nullptr,
                    nullptr, nullptr);
  if (rc != SQLITE_OK) {
    return StatusFromSqlite(sqlite3_extended_errcode(handle.db),
                            "set cipher_page_size");
  }
  std::string version;
  rc = QueryFirstText(handle.db, "PRAGMA cipher_version", version);
  if (rc != SQLITE_OK || version.empty()) {
    return absl::FailedPreconditionError(kNotSqlCipherMessage);
  }
  // The first read of the file: with a wrong key page 1 does not decrypt
  // and SQLite reports SQLITE_NOTADB. Nothing has been written so far.
  std::string ignored;
  rc = QueryFirstText(handle.db, "SELECT count(*) FROM sqlite_master", ignored);
  if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT) {
    return absl::PermissionDeniedError(kWrongKeyMessage);
  }
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, "verify the database key");
  return std::make_unique<Connection>(handle.Release());
}

std::string CipherVersion() {
  HandleCloser handle;
  if (sqlite3_open_v2(":memory:", &handle.db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                      nullptr) != SQLITE_OK) {
    return std::string();
  }
  std::string version;
  if (QueryFirstText(handle.db, "PRAGMA cipher_version", version) !=
      SQLITE_OK) {
    return std::string();
  }
  return version;
}

}  // namespace casevault::storage
