// Versioned schema migrations. The database's `PRAGMA user_version` is the
// number of the last step applied; each step runs in its own transaction
// together with the bump of user_version, so a crash leaves the schema at a
// step boundary.
//
// To change the schema, append a step to the list in migrations.cc (never
// edit a released step), and add its expected tables/indexes to
// tests/storage/migrations_test.cc. SQLite is 3.15: no JSON1, UPSERT,
// RETURNING, window functions or STRICT tables.
#ifndef CASEVAULT_STORAGE_MIGRATIONS_H_
#define CASEVAULT_STORAGE_MIGRATIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "storage/connection.h"

namespace casevault::storage {

struct Migration {
  int version;      // 1, 2, 3, ... without gaps
  const char* sql;  // fixed DDL; may hold several statements
};

// Every step, oldest first.
const std::vector<Migration>& Migrations();

// Applies the steps newer than the database's user_version, up to and
// including `target_version`. A database already at `target_version` is
// left untouched. FAILED_PRECONDITION if the database's user_version is
// newer than the code knows (or than `target_version`); INVALID_ARGUMENT if
// `target_version` is not a known step (or 0).
[[nodiscard]] absl::Status MigrateTo(Connection& db, int target_version);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_MIGRATIONS_H_
