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
//   SQLITE_FULL                             -> RESOURCE_EXHAUSTED
//   SQLITE_IOERR*, SQLITE_BUSY*, _LOCKED*   -> UNAVAILABLE
//   SQLITE_CORRUPT*, SQLITE_NOTADB          -> DATA_LOSS
//   anything else                           -> INTERNAL
absl::Status StatusFromSqlite(int rc, std::string_view operation);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_SQLITE_STATUS_H_
