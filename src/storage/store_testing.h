// Test-only access to a Store opened by OpenSqlCipherStore. Production code
// never includes this header.
#ifndef CASEVAULT_STORAGE_STORE_TESTING_H_
#define CASEVAULT_STORAGE_STORE_TESTING_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "storage/store.h"

namespace casevault::storage {

enum class StoreConnection { kWriter, kReader };

// The first column of `PRAGMA <name>` on the store's writer (run through
// Write(), so it counts as a commit) or on one of its readers.
// INVALID_ARGUMENT unless `name` is lower-case letters and underscores.
absl::StatusOr<std::string> QueryPragmaForTest(Store& store,
                                               const std::string& name,
                                               StoreConnection which);

// Blocks until at least `count` Write() calls wait in the store's queue.
void WaitForQueuedWritesForTest(Store& store, size_t count);

// From now on, in every store of this process, each batch that ran without
// savepoints and would commit is rolled back and run again with them
// (sqlcipher_store.cc, G4), so every callback runs twice: tests of callers
// use it to show their callbacks are safe to re-run.
void ReplayEveryBatchForTest(bool replay);

// OpenSqlCipherStore through the registered SQLite VFS named `vfs`.
absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStoreWithVfsForTest(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options, const std::string& vfs);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_STORE_TESTING_H_
