#include "storage/space_reserve.h"

#include <sqlcipher/sqlite3.h>
#include <sys/statvfs.h>

#include "common/status_macros.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {
namespace {

// Bytes of a zero blob that fill about one page (4096-byte pages less
// SQLCipher's per-page reserve and the overflow-page header).
constexpr int64_t kBlobBytesPerPage = 4000;

}  // namespace

absl::StatusOr<int64_t> FreePages(Connection& db) {
  return db.QueryInt64("PRAGMA freelist_count", "count free pages");
}

absl::Status FillReserve(Connection& db, int64_t target) {
  if (target <= 0) return absl::OkStatus();
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin reserve"));
  absl::Status status =
      db.Exec("CREATE TABLE cv_space_reserve (b BLOB)", "create reserve");
  if (status.ok()) {
    sqlite3_stmt* raw = nullptr;  // not cached: the table comes and goes
    status = StatusFromSqlite(
        sqlite3_prepare_v2(db.db(),
                           "INSERT INTO cv_space_reserve (b) "
                           "VALUES (zeroblob(?1))",
                           -1, &raw, nullptr),
        "fill reserve");
    if (status.ok()) {
      sqlite3_bind_int64(raw, 1, target * kBlobBytesPerPage);
      const int rc = sqlite3_step(raw);
      status = rc == SQLITE_DONE ? absl::OkStatus()
                                 : StatusFromSqlite(rc, "fill reserve");
    }
    sqlite3_finalize(raw);
  }
  if (status.ok()) status = db.Exec("DROP TABLE cv_space_reserve", "drop reserve");
  if (status.ok()) status = db.Exec("COMMIT", "commit reserve");
  if (!status.ok() && db.InTransaction()) {
    db.Exec("ROLLBACK", "roll back reserve").IgnoreError();
  }
  return status;
}

absl::StatusOr<bool> CheckpointPassive(Connection& db) {
  int log = 0;
  int copied = 0;
  const int rc = sqlite3_wal_checkpoint_v2(db.db(), "main",
                                           SQLITE_CHECKPOINT_PASSIVE, &log,
                                           &copied);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
    return StatusFromSqlite(sqlite3_extended_errcode(db.db()), "checkpoint");
  }
  return rc == SQLITE_OK && copied == log;
}

bool HasFreeSpace(const std::string& path, int64_t bytes) {
  struct statvfs fs;
  if (::statvfs(path.c_str(), &fs) != 0) return true;
  return static_cast<int64_t>(fs.f_bavail) * static_cast<int64_t>(fs.f_frsize) >=
         bytes;
}

absl::Status HintGrowth(Connection& db, int64_t bytes) {
  sqlite3_file* file = nullptr;
  int rc = sqlite3_file_control(db.db(), "main", SQLITE_FCNTL_FILE_POINTER,
                                &file);
  if (rc != SQLITE_OK || file == nullptr || file->pMethods == nullptr) {
    return absl::OkStatus();  // nothing to ask
  }
  sqlite3_int64 size = 0;
  rc = file->pMethods->xFileSize(file, &size);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, "size the database file");
  sqlite3_int64 wanted = size + bytes;
  rc = sqlite3_file_control(db.db(), "main", SQLITE_FCNTL_SIZE_HINT, &wanted);
  if (rc != SQLITE_OK && rc != SQLITE_NOTFOUND) {
    return StatusFromSqlite(rc, "make room in the database file");
  }
  return absl::OkStatus();
}

}  // namespace casevault::storage
