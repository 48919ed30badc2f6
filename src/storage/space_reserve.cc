#include "storage/space_reserve.h"

#include <sqlcipher/sqlite3.h>
#include <sys/statvfs.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {

namespace {

// Runs `work` between BEGIN IMMEDIATE and COMMIT; rolls back on failure.
template <typename Work>
absl::Status InOwnTransaction(Connection& db, Work work) {
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin reserve"));
  absl::Status status = work();
  if (status.ok()) status = db.Exec("COMMIT", "commit reserve");
  if (!status.ok() && db.InTransaction()) {
    db.Exec("ROLLBACK", "roll back reserve").IgnoreError();
  }
  return status;
}

}  // namespace

absl::Status FillReserve(Connection& db, int64_t target) {
  if (target <= 0) return absl::OkStatus();
  return InOwnTransaction(db, [&]() -> absl::Status {
    RETURN_IF_ERROR(db.Exec(
        "UPDATE space_reserve SET filler = zeroblob(4000)", "rewrite reserve"));
    ASSIGN_OR_RETURN(const int64_t rows,
                     db.QueryInt64("SELECT count(*) FROM space_reserve",
                                   "count reserve"));
    for (int64_t i = rows; i < target; ++i) {
      RETURN_IF_ERROR(db.Exec(
          "INSERT INTO space_reserve (filler) VALUES (zeroblob(4000))",
          "fill reserve"));
    }
    if (rows > target) {
      const std::string trim = absl::StrCat(
          "DELETE FROM space_reserve WHERE id NOT IN "
          "(SELECT id FROM space_reserve ORDER BY id LIMIT ", target, ")");
      RETURN_IF_ERROR(db.Exec(trim.c_str(), "trim reserve"));
    }
    return absl::OkStatus();
  });
}

absl::Status ReleaseReserve(Connection& db) {
  return InOwnTransaction(db, [&]() -> absl::Status {
    RETURN_IF_ERROR(db.Exec("PRAGMA secure_delete = OFF", "release reserve"));
    absl::Status status =
        db.Exec("DELETE FROM space_reserve", "release reserve");
    // Back on whatever happened: every other delete overwrites what it frees.
    const absl::Status restored =
        db.Exec("PRAGMA secure_delete = ON", "release reserve");
    return status.ok() ? restored : status;
  });
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

namespace {

// The main file's handle in the VFS, or nullptr when it is not open.
sqlite3_file* MainFile(Connection& db) {
  sqlite3_file* file = nullptr;
  const int rc = sqlite3_file_control(db.db(), "main",
                                      SQLITE_FCNTL_FILE_POINTER, &file);
  if (rc != SQLITE_OK || file == nullptr || file->pMethods == nullptr) {
    return nullptr;
  }
  return file;
}

}  // namespace

absl::Status SyncMainFile(Connection& db) {
  sqlite3_file* file = MainFile(db);
  if (file == nullptr) return absl::OkStatus();  // nothing written
  const int rc = file->pMethods->xSync(file, SQLITE_SYNC_NORMAL);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, "sync the database file");
  return absl::OkStatus();
}

absl::Status HintGrowth(Connection& db, int64_t bytes) {
  sqlite3_file* file = MainFile(db);
  if (file == nullptr) return absl::OkStatus();  // nothing to ask
  sqlite3_int64 size = 0;
  int rc = file->pMethods->xFileSize(file, &size);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, "size the database file");
  sqlite3_int64 wanted = size + bytes;
  rc = sqlite3_file_control(db.db(), "main", SQLITE_FCNTL_SIZE_HINT, &wanted);
  if (rc != SQLITE_OK && rc != SQLITE_NOTFOUND) {
    return StatusFromSqlite(rc, "make room in the database file");
  }
  return absl::OkStatus();
}

}  // namespace casevault::storage
