#include "storage/connection.h"

#include <sqlcipher/sqlite3.h>

#include <utility>

#include "common/status_macros.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {

Statement::Statement(sqlite3_stmt* stmt, std::string_view operation)
    : stmt_(stmt), operation_(operation) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      operation_(other.operation_),
      bind_error_(other.bind_error_) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

void Statement::BindInt64(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindText(int index, std::string_view value) {
  int rc = sqlite3_bind_text(stmt_, index, value.data(),
                             static_cast<int>(value.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindBlob(int index, std::string_view value) {
  // A zero-length blob must not become NULL (sqlite3_bind_blob does that
  // when the pointer is null).
  int rc = value.empty() ? sqlite3_bind_zeroblob(stmt_, index, 0)
                         : sqlite3_bind_blob(stmt_, index, value.data(),
                                             static_cast<int>(value.size()),
                                             SQLITE_TRANSIENT);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

void Statement::BindNull(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK && bind_error_ == 0) bind_error_ = rc;
}

absl::StatusOr<bool> Statement::Step() {
  if (bind_error_ != 0) return StatusFromSqlite(bind_error_, operation_);
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // With extended result codes on, sqlite3_step returns the specific code.
  return StatusFromSqlite(rc, operation_);
}

absl::Status Statement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  if (row) {
    return absl::InternalError(std::string(operation_) +
                               ": statement unexpectedly returned rows");
  }
  return absl::OkStatus();
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(size));
}

std::string Statement::ColumnBlob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (blob == nullptr) return std::string();
  return std::string(static_cast<const char*>(blob), static_cast<size_t>(size));
}

Connection::Connection(sqlite3* db) : db_(db) {}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  cache_.clear();
  // Every statement is finalized above, so sqlite3_close cannot be BUSY.
  sqlite3_close(db_);
}

absl::Status Connection::Exec(const char* sql, std::string_view operation) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return absl::OkStatus();
  return StatusFromSqlite(sqlite3_extended_errcode(db_), operation);
}

absl::StatusOr<Statement> Connection::Prepare(const char* sql,
                                              std::string_view operation) {
  auto it = cache_.find(absl::string_view(sql));
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK) {
      sqlite3_finalize(stmt);
      return StatusFromSqlite(sqlite3_extended_errcode(db_), operation);
    }
    it = cache_.emplace(sql, stmt).first;
  } else if (sqlite3_stmt_busy(it->second) != 0) {
    // Another Statement for this SQL is still positioned on a row (a nested
    // call from a row callback); handing it out again would reset it.
    return absl::FailedPreconditionError(
        std::string(operation) +
        ": the statement is already in use on this connection");
  }
  return Statement(it->second, operation);
}

absl::StatusOr<std::string> Connection::QueryText(const char* sql,
                                                  std::string_view operation) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, operation));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::string();
  return stmt.ColumnText(0);
}

absl::StatusOr<int64_t> Connection::QueryInt64(const char* sql,
                                               std::string_view operation) {
  ASSIGN_OR_RETURN(Statement stmt, Prepare(sql, operation));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return 0;
  return stmt.ColumnInt64(0);
}

bool Connection::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}

int64_t Connection::LastInsertRowId() const {
  return sqlite3_last_insert_rowid(db_);
}

int64_t Connection::Changes() const { return sqlite3_changes(db_); }

absl::Status Connection::RunOnReserve(Statement& stmt) {
  RETURN_IF_ERROR(stmt.Run());
  CountReserveChanges();
  return absl::OkStatus();
}

int64_t Connection::TotalChanges() const { return sqlite3_total_changes(db_); }

}  // namespace casevault::storage
