// One SQLite connection with a cache of prepared statements, and a borrowed
// statement handle that binds values (never string concatenation) and
// resets itself when it goes out of scope.
//
// Connection is not thread-safe: connections are opened with
// SQLITE_OPEN_NOMUTEX and each one has exactly one user at a time (the
// committer thread for the writer, the reader pool for readers).
#ifndef CASEVAULT_STORAGE_CONNECTION_H_
#define CASEVAULT_STORAGE_CONNECTION_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

struct sqlite3;
struct sqlite3_stmt;

namespace casevault::storage {

// A prepared statement borrowed from a Connection's cache. Bind errors are
// remembered and reported by the next Step()/Run(). On destruction the
// statement is reset and its bindings cleared, so no value outlives its use.
class Statement {
 public:
  // `operation` names what the statement does ("insert account") for error
  // messages; it must outlive the Statement (pass a string literal).
  Statement(sqlite3_stmt* stmt, std::string_view operation);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Parameter indexes start at 1, as in SQLite.
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  void BindBlob(int index, std::string_view value);
  void BindNull(int index);

  // true when a row is available, false when the statement is done.
  [[nodiscard]] absl::StatusOr<bool> Step();
  // Steps to completion; a statement that yields rows is an error.
  [[nodiscard]] absl::Status Run();

  // Column indexes start at 0. Valid only after Step() returned true.
  int64_t ColumnInt64(int column) const;
  bool ColumnIsNull(int column) const;
  std::string ColumnText(int column) const;
  std::string ColumnBlob(int column) const;

 private:
  sqlite3_stmt* stmt_;
  std::string_view operation_;
  int bind_error_ = 0;  // first failing sqlite3_bind_* code, 0 if none
};

class Connection {
 public:
  // Takes ownership of an open handle.
  explicit Connection(sqlite3* db);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // Finalizes every cached statement, then closes the handle.
  ~Connection();

  sqlite3* db() const { return db_; }

  // Runs fixed SQL text (one or more statements, no values).
  [[nodiscard]] absl::Status Exec(const char* sql, std::string_view operation);

  // The cached statement for `sql`, preparing it on first use. `sql` and
  // `operation` must be string literals (or otherwise outlive the call's
  // result). FAILED_PRECONDITION while a Statement for the same `sql` is
  // still stepping through rows (a nested use would reset it).
  [[nodiscard]] absl::StatusOr<Statement> Prepare(const char* sql,
                                                  std::string_view operation);

  // First column of the first row of `sql` ("" / 0 for NULL or no row).
  [[nodiscard]] absl::StatusOr<std::string> QueryText(
      const char* sql, std::string_view operation);
  [[nodiscard]] absl::StatusOr<int64_t> QueryInt64(const char* sql,
                                                   std::string_view operation);

  // True while a transaction is open (sqlite3_get_autocommit() == 0).
  bool InTransaction() const;
  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int64_t Changes() const;
  // Rows changed since the connection was opened (sqlite3_total_changes).
  int64_t TotalChanges() const;
  // Repositories call CountReserveChanges() right after a statement whose
  // changes may run on the space reserve while the disk is full (audit
  // entries and their tree, a session's last-use time; sqlcipher_store.cc,
  // G10): it adds Changes() to reserve_changes().
  void CountReserveChanges() { reserve_changes_ += Changes(); }
  // stmt.Run(), then CountReserveChanges() when it succeeded.
  [[nodiscard]] absl::Status RunOnReserve(Statement& stmt);
  int64_t reserve_changes() const { return reserve_changes_; }

 private:
  sqlite3* db_;
  // Looked up by the SQL text as a string_view: no copy of it per call.
  absl::flat_hash_map<std::string, sqlite3_stmt*> cache_;
  int64_t reserve_changes_ = 0;
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_CONNECTION_H_
