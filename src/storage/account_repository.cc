#include <utility>

#include "common/status_macros.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

// Column order of ReadAccount.
#define CV_ACCOUNT_SELECT                                         \
  "SELECT id, username, role, unit_id, password_hash, disabled, " \
  "failed_logins, locked_until, created_at, updated_at FROM accounts "

AccountRecord ReadAccount(const Statement& stmt) {
  AccountRecord record;
  record.id = stmt.ColumnInt64(0);
  record.username = stmt.ColumnText(1);
  record.role = stmt.ColumnText(2);
  record.unit_id = stmt.ColumnText(3);
  record.password_hash = stmt.ColumnText(4);
  record.disabled = stmt.ColumnInt64(5) != 0;
  record.failed_logins = static_cast<int32_t>(stmt.ColumnInt64(6));
  record.locked_until = stmt.ColumnInt64(7);
  record.created_at = stmt.ColumnInt64(8);
  record.updated_at = stmt.ColumnInt64(9);
  return record;
}

absl::StatusOr<AccountRecord> FindOneAccount(Statement& stmt) {
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("account not found");
  return ReadAccount(stmt);
}

}  // namespace

absl::StatusOr<int64_t> SqlAccountRepository::Insert(
    const AccountRecord& record) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO accounts (username, role, unit_id, "
                  "password_hash, disabled, failed_logins, locked_until, "
                  "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                  "?7, ?8, ?9)",
                  "insert account"));
  stmt.BindText(1, record.username);
  stmt.BindText(2, record.role);
  stmt.BindText(3, record.unit_id);
  stmt.BindText(4, record.password_hash);
  stmt.BindInt64(5, record.disabled ? 1 : 0);
  stmt.BindInt64(6, record.failed_logins);
  stmt.BindInt64(7, record.locked_until);
  stmt.BindInt64(8, record.created_at);
  stmt.BindInt64(9, record.updated_at);
  RETURN_IF_ERROR(stmt.Run());
  return db_.LastInsertRowId();
}

absl::StatusOr<AccountRecord> SqlAccountRepository::FindByUsername(
    const std::string& username) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare(CV_ACCOUNT_SELECT "WHERE username = ?1",
                               "find account by username"));
  stmt.BindText(1, username);
  return FindOneAccount(stmt);
}

absl::StatusOr<AccountRecord> SqlAccountRepository::FindById(int64_t id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare(CV_ACCOUNT_SELECT "WHERE id = ?1", "find account by id"));
  stmt.BindInt64(1, id);
  return FindOneAccount(stmt);
}

absl::Status SqlAccountRepository::Update(const AccountRecord& record) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE OR FAIL accounts SET role = ?2, unit_id = ?3, "
                  "password_hash = ?4, disabled = ?5, failed_logins = ?6, "
                  "locked_until = ?7, updated_at = ?8 WHERE id = ?1",
                  "update account"));
  stmt.BindInt64(1, record.id);
  stmt.BindText(2, record.role);
  stmt.BindText(3, record.unit_id);
  stmt.BindText(4, record.password_hash);
  stmt.BindInt64(5, record.disabled ? 1 : 0);
  stmt.BindInt64(6, record.failed_logins);
  stmt.BindInt64(7, record.locked_until);
  stmt.BindInt64(8, record.updated_at);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 0) return absl::NotFoundError("account not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<AccountRecord>> SqlAccountRepository::List(
    const std::string& after_username, int32_t limit) {
  if (limit < 0)
    return absl::InvalidArgumentError("limit must not be negative");
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare(CV_ACCOUNT_SELECT
                               "WHERE username > ?1 ORDER BY username LIMIT ?2",
                               "list accounts"));
  stmt.BindText(1, after_username);
  stmt.BindInt64(2, limit);
  std::vector<AccountRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadAccount(stmt));
  }
  return out;
}

absl::StatusOr<int64_t> SqlAccountRepository::Count() {
  return db_.QueryInt64("SELECT count(*) FROM accounts", "count accounts");
}

#undef CV_ACCOUNT_SELECT

}  // namespace casevault::storage
