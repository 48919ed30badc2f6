#include "storage/store_testing.h"

#include <cassert>

#include "common/status_macros.h"
#include "storage/sqlcipher_store.h"

namespace casevault::storage {
namespace {

SqlCipherStore& AsSqlCipherStore(Store& store) {
  auto* concrete = dynamic_cast<SqlCipherStore*>(&store);
  assert(concrete != nullptr && "not a store from OpenSqlCipherStore");
  return *concrete;
}

}  // namespace

absl::StatusOr<std::string> QueryPragmaForTest(Store& store,
                                               const std::string& name,
                                               StoreConnection which) {
  if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") !=
                          std::string::npos) {
    return absl::InvalidArgumentError("not a pragma name");
  }
  const std::string sql = "PRAGMA " + name;
  std::string value;
  auto query = [&](Transaction& txn) -> absl::Status {
    Connection& db = static_cast<SqlTransaction&>(txn).connection();
    ASSIGN_OR_RETURN(value, db.QueryText(sql.c_str(), "query pragma"));
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(which == StoreConnection::kWriter ? store.Write(query)
                                                    : store.Read(query));
  return value;
}

void WaitForQueuedWritesForTest(Store& store, size_t count) {
  AsSqlCipherStore(store).WaitForQueuedWrites(count);
}

absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStoreWithVfsForTest(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options, const std::string& vfs) {
  return OpenSqlCipherStoreWithVfs(path, key, mode, options, vfs);
}

void ReplayEveryBatchForTest(bool replay) {
  SqlCipherStore::ReplayEveryBatchForTest(replay);
}

}  // namespace casevault::storage
