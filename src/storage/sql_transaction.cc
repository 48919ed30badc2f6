// Nested savepoints inside a Store callback (store.h, Transaction::Savepoint).
//
// With savepoints (G4), the committer wraps each Write() callback in
// `SAVEPOINT write`; the savepoints opened here nest inside it under names of
// their own, so rolling one back never touches the callback's own savepoint
// or a batch-mate's. In the committer's optimistic mode no savepoint is
// opened at all (each costs an encryption of every page it touches, see
// docs/performance.md): `work` runs directly, which is exact as long as it
// changes nothing when it fails; if it failed after changing rows, the
// callback is made to fail and the committer rolls the batch back and runs
// it again with savepoints.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

absl::Status TransactionLost() {
  return absl::UnavailableError(
      "the database abandoned the transaction; nothing of it was saved");
}

}  // namespace

absl::StatusOr<WorkOutcome> SqlTransaction::Savepoint(
    absl::FunctionRef<absl::Status()> work) {
  if (!db_.InTransaction()) {
    // SAVEPOINT outside BEGIN would start (and RELEASE would commit) a
    // transaction of its own.
    return absl::FailedPreconditionError(
        "Savepoint() needs an open transaction");
  }
  if (optimistic_) {
    const int64_t changes = db_.TotalChanges();
    absl::Status outcome = work();
    if (!db_.InTransaction()) return TransactionLost();
    if (!outcome.ok() && db_.TotalChanges() != changes) {
      undo_needed_ = true;
      return absl::AbortedError(kUndoNeeded);
    }
    return WorkOutcome{std::move(outcome)};
  }
  const std::string name = absl::StrCat("cv_sp_", ++savepoints_opened_);
  const std::string open = absl::StrCat("SAVEPOINT ", name);
  const std::string release = absl::StrCat("RELEASE ", name);
  const std::string rollback = absl::StrCat("ROLLBACK TO ", name);

  if (absl::Status s = db_.Exec(open.c_str(), "open nested savepoint");
      !s.ok()) {
    return s;
  }
  absl::Status outcome = work();
  if (!db_.InTransaction()) return TransactionLost();
  if (!outcome.ok()) {
    if (absl::Status s =
            db_.Exec(rollback.c_str(), "roll back nested savepoint");
        !s.ok()) {
      return s;
    }
  }
  // After ROLLBACK TO the savepoint is still open; RELEASE ends it either way.
  if (absl::Status s = db_.Exec(release.c_str(), "release nested savepoint");
      !s.ok()) {
    return s;
  }
  if (!db_.InTransaction()) return TransactionLost();
  return WorkOutcome{std::move(outcome)};
}

}  // namespace casevault::storage
