#include "storage/sqlite_status.h"

#include <sqlcipher/sqlite3.h>

#include "absl/strings/cord.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace casevault::storage {
namespace {

constexpr char kSqliteCodeUrl[] = "casevault.storage/sqlite-code";

absl::Status WithCode(absl::Status status, int rc) {
  status.SetPayload(kSqliteCodeUrl, absl::Cord(absl::StrCat(rc)));
  return status;
}

}  // namespace

int SqliteCodeOf(const absl::Status& status) {
  const auto payload = status.GetPayload(kSqliteCodeUrl);
  int rc = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &rc)) {
    return 0;
  }
  return rc;
}

absl::Status StatusFromSqlite(int rc, std::string_view operation_view) {
  // Abseil here is built with its own string_view type.
  const absl::string_view operation(operation_view.data(),
                                    operation_view.size());
  const int primary = rc & 0xff;
  if (primary == SQLITE_OK || primary == SQLITE_ROW || primary == SQLITE_DONE) {
    return absl::OkStatus();
  }
  const std::string code = absl::StrCat(" (sqlite code ", rc, ")");
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return absl::AlreadyExistsError(absl::StrCat(
          operation, ": a row with this key already exists", code));
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return absl::FailedPreconditionError(
          absl::StrCat(operation, ": a referenced row does not exist", code));
    default:
      break;
  }
  switch (primary) {
    case SQLITE_FULL:
      return WithCode(absl::UnavailableError(absl::StrCat(
                          operation, ": the disk is full", code)),
                      rc);
    case SQLITE_IOERR:
      return WithCode(absl::UnavailableError(absl::StrCat(
                          operation, ": the database is unavailable", code)),
                      rc);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::UnavailableError(
          absl::StrCat(operation, ": the database is unavailable", code));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::DataLossError(
          absl::StrCat(operation, ": the database file is damaged", code));
    default:
      return absl::InternalError(
          absl::StrCat(operation, ": database error", code));
  }
}

bool IsFailedSync(int code) {
  return code == SQLITE_IOERR_FSYNC || code == SQLITE_IOERR_DIR_FSYNC;
}

}  // namespace casevault::storage
