#include "common/status_macros.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

SessionRecord ReadSession(const Statement& stmt) {
  SessionRecord record;
  record.token_hash = stmt.ColumnBlob(0);
  record.account_id = stmt.ColumnInt64(1);
  record.created_at = stmt.ColumnInt64(2);
  record.last_used_at = stmt.ColumnInt64(3);
  record.expires_at = stmt.ColumnInt64(4);
  return record;
}

}  // namespace

absl::Status SqlSessionRepository::Insert(const SessionRecord& record) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO sessions (token_hash, account_id, created_at, "
                  "last_used_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "insert session"));
  stmt.BindBlob(1, record.token_hash);
  stmt.BindInt64(2, record.account_id);
  stmt.BindInt64(3, record.created_at);
  stmt.BindInt64(4, record.last_used_at);
  stmt.BindInt64(5, record.expires_at);
  absl::Status status = stmt.Run();
  // The only foreign key of sessions is its account.
  if (absl::IsFailedPrecondition(status)) {
    return absl::NotFoundError("account not found");
  }
  return status;
}

absl::StatusOr<SessionRecord> SqlSessionRepository::Find(
    const std::string& token_hash) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT token_hash, account_id, created_at, last_used_at, "
                  "expires_at FROM sessions WHERE token_hash = ?1",
                  "find session"));
  stmt.BindBlob(1, token_hash);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("session not found");
  return ReadSession(stmt);
}

absl::Status SqlSessionRepository::Touch(const std::string& token_hash,
                                         UnixMillis last_used_at) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE OR FAIL sessions SET last_used_at = ?2 "
                  "WHERE token_hash = ?1",
                  "touch session"));
  stmt.BindBlob(1, token_hash);
  stmt.BindInt64(2, last_used_at);
  RETURN_IF_ERROR(db_.RunOnReserve(stmt));  // a read's bookkeeping (G10)
  if (db_.Changes() == 0) return absl::NotFoundError("session not found");
  return absl::OkStatus();
}

absl::Status SqlSessionRepository::Delete(const std::string& token_hash) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("DELETE FROM sessions WHERE token_hash = ?1",
                               "delete session"));
  stmt.BindBlob(1, token_hash);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 0) return absl::NotFoundError("session not found");
  return absl::OkStatus();
}

absl::Status SqlSessionRepository::DeleteForAccount(int64_t account_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("DELETE FROM sessions WHERE account_id = ?1",
                               "delete sessions of account"));
  stmt.BindInt64(1, account_id);
  return stmt.Run();  // an account without sessions is not an error
}

absl::StatusOr<int64_t> SqlSessionRepository::DeleteExpired(UnixMillis now) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("DELETE FROM sessions WHERE expires_at < ?1",
                               "delete expired sessions"));
  stmt.BindInt64(1, now);
  RETURN_IF_ERROR(stmt.Run());
  return db_.Changes();
}

}  // namespace casevault::storage
