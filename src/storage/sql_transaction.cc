// Nested savepoints inside a Store callback (store.h, Transaction::Savepoint).
//
// The committer wraps each Write() callback in `SAVEPOINT write` (G4); the
// savepoints opened here nest inside it under names of their own, so rolling
// one back never touches the callback's own savepoint or a batch-mate's.
#include <string>

#include "absl/strings/str_cat.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

absl::Status TransactionLost() {
  return absl::UnavailableError(
      "the database abandoned the transaction; nothing of it was saved");
}

}  // namespace

absl::StatusOr<absl::Status> SqlTransaction::Savepoint(
    absl::FunctionRef<absl::Status()> work) {
  if (!db_.InTransaction()) {
    // SAVEPOINT outside BEGIN would start (and RELEASE would commit) a
    // transaction of its own.
    return absl::FailedPreconditionError(
        "Savepoint() needs an open transaction");
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
  return outcome;
}

}  // namespace casevault::storage
