// The committer's handling of disk faults: invariants G9-G11 at the top of
// sqlcipher_store.cc. Everything here runs on the committer thread.
#include <sqlcipher/sqlite3.h>

#include <algorithm>

#include "common/log.h"
#include "storage/space_reserve.h"
#include "storage/sqlcipher_store.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {
namespace {

constexpr int64_t kPageBytes = 4096;

constexpr char kNothingSaved[] =
    "the database could not commit; nothing was saved";

}  // namespace

absl::Status SqlCipherStore::FailureFor(int code) {
  if (IsFailedSync(code)) StopWrites();  // G9
  if (writes_stopped_) return absl::UnavailableError(kWritesStoppedMessage);
  if ((code & 0xff) == SQLITE_FULL) {  // G10
    if (!disk_full_) {
      disk_full_ = true;
      next_probe_ = std::chrono::steady_clock::now() + disk_full_retry_;
      LogError(
          "the disk holding the database is full: changes are refused, "
          "reads go on from the space reserve; free space on that disk "
          "(casevaultd resumes by itself)");
    }
    return absl::UnavailableError(kDiskFullMessage);
  }
  return absl::UnavailableError(kNothingSaved);
}

void SqlCipherStore::StopWrites() {
  if (!writes_stopped_.exchange(true)) {
    LogError(
        "an fsync of the database failed: what is on disk is uncertain, so "
        "every write is refused until casevaultd is restarted; check the "
        "disk (dmesg), then restart casevaultd");
  }
  writes_stopped_ = true;
}

absl::Status SqlCipherStore::RunOptimistically(PendingWrite& pending,
                                               bool& undo) {
  const int64_t changes = writer_->TotalChanges();
  pending.result = pending.work(writer_transaction_);
  if (!writer_->InTransaction()) {  // SQLite rolled everything back (G6)
    return absl::UnavailableError(kNothingSaved);
  }
  // G4: what it changed before failing cannot be undone alone (a failed
  // statement undoes itself, so a failure that changed no row leaves
  // nothing to undo). A full disk is always handled with savepoints, where
  // G10 enters disk-full mode and answers with its fixed message.
  undo = writer_transaction_.TakeUndoNeeded() ||
         (!pending.result.ok() && writer_->TotalChanges() != changes) ||
         (SqliteCodeOf(pending.result) & 0xff) == SQLITE_FULL;
  return absl::OkStatus();
}

absl::Status SqlCipherStore::RunCallback(PendingWrite& pending) {
  Connection& db = *writer_;
  absl::Status control = db.Exec("SAVEPOINT write", "open savepoint");
  if (!control.ok()) return control;
  const int64_t changes = db.TotalChanges();
  const int64_t reserve_changes = db.reserve_changes();
  pending.result = pending.work(writer_transaction_);
  if (!db.InTransaction()) {  // SQLite rolled everything back (G6)
    return absl::UnavailableError(kNothingSaved);
  }
  if ((SqliteCodeOf(pending.result) & 0xff) == SQLITE_FULL) {
    pending.result = FailureFor(SQLITE_FULL);  // G10
  } else if (disk_full_ && pending.result.ok() &&
             db.TotalChanges() - changes >
                 db.reserve_changes() - reserve_changes) {
    pending.result = absl::UnavailableError(kDiskFullMessage);  // G10
  }
  if (pending.result.ok()) return db.Exec("RELEASE write", "release savepoint");
  control = db.Exec("ROLLBACK TO write", "roll back savepoint");
  if (control.ok()) control = db.Exec("RELEASE write", "release savepoint");
  return control;
}

void SqlCipherStore::PrepareDiskFullBatch() {
  Connection& db = *writer_;
  const auto now = std::chrono::steady_clock::now();
  if (now >= next_probe_) {  // G11
    next_probe_ = now + disk_full_retry_;
    const int64_t bytes = std::max<int64_t>(reserve_pages_, 1) * kPageBytes;
    absl::Status probe =
        HasFreeSpace(path_, 2 * bytes)
            ? HintGrowth(db, bytes)
            : absl::UnavailableError(kDiskFullMessage);
    if (probe.ok()) probe = FillReserve(db, reserve_pages_);
    absl::StatusOr<bool> copied =
        probe.ok() ? CheckpointWriter() : absl::StatusOr<bool>(probe);
    if (probe.ok()) reserve_held_ = true;
    if (copied.ok() && *copied) {
      disk_full_ = false;
      LogWarning("the database's disk has room again: changes are accepted");
      return;
    }
    if (!copied.ok() && IsFailedSync(SqliteCodeOf(copied.status()))) {
      StopWrites();
      return;
    }
  }
  // G10: let the next commit start the WAL over inside the -wal file.
  const absl::StatusOr<bool> copied = CheckpointWriter();
  if (!copied.ok() && IsFailedSync(SqliteCodeOf(copied.status()))) {
    StopWrites();
    return;
  }
  if (reserve_held_ && reserve_pages_ > 0) {  // G10: free its pages
    const absl::Status released = ReleaseReserve(db);
    if (released.ok()) {
      reserve_held_ = false;
    } else if (IsFailedSync(SqliteCodeOf(released))) {
      StopWrites();
    }  // otherwise tried again before the next batch
  }
}

void SqlCipherStore::FillReserveAtStart() {
  if (reserve_pages_ <= 0) return;
  const absl::Status filled = FillReserve(*writer_, reserve_pages_);
  // Enters the mode the failure calls for (G9, G10); the mode then frees
  // whatever rows the reserve still has, fewer pages to go on with.
  if (!filled.ok()) FailureFor(SqliteCodeOf(filled)).IgnoreError();
}

void SqlCipherStore::PublishModes() {
  stats_.disk_full = disk_full_;
  stats_.writes_stopped = writes_stopped_;
}

}  // namespace casevault::storage
