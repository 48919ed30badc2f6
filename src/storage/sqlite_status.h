// Translation of SQLite result codes into absl::Status. The messages are
// fixed text naming the operation plus the numeric code: never
// sqlite3_errmsg(), never a value that was bound to a statement.
#ifndef CASEVAULT_STORAGE_SQLITE_STATUS_H_
#define CASEVAULT_STORAGE_SQLITE_STATUS_H_

#include <string_view>

#include "absl/status/status.h"

namespace casevault::storage {

// `rc` is an extended SQLite result code; `operation` is a fixed,
// data-free description such as "insert account".
//   SQLITE_OK/ROW/DONE                      -> OK
//   SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY  -> ALREADY_EXISTS
//   SQLITE_CONSTRAINT_FOREIGNKEY            -> FAILED_PRECONDITION
//   SQLITE_FULL, SQLITE_IOERR*              -> UNAVAILABLE, carrying `rc`
//                                              (SqliteCodeOf)
//   SQLITE_BUSY*, _LOCKED*                  -> UNAVAILABLE
//   SQLITE_CORRUPT*, SQLITE_NOTADB          -> DATA_LOSS
//   anything else                           -> INTERNAL
absl::Status StatusFromSqlite(int rc, std::string_view operation);

// The extended SQLite code a disk error (SQLITE_FULL, SQLITE_IOERR*) from
// StatusFromSqlite carries, or 0. The committer uses it to tell a full disk
// and a failed fsync from other errors (sqlcipher_store.cc, G9-G10).
int SqliteCodeOf(const absl::Status& status);

// A failed fsync (SQLITE_IOERR_FSYNC or _DIR_FSYNC): writes stop (G9).
bool IsFailedSync(int code);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_SQLITE_STATUS_H_
