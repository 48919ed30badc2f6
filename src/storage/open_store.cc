// OpenSqlCipherStore: the order of the steps is what keeps a wrong key from
// ever touching the file.
//
//  1. kOpenExisting and no file: NOT_FOUND before sqlite3_open could create
//     one.
//  2. An existing file is first proved with a READ-ONLY connection (key,
//     cipher_page_size, cipher_version, read sqlite_master). A read-only
//     handle cannot write the main file nor checkpoint a leftover -wal into
//     it, so a wrong key or a foreign file leaves both byte-for-byte
//     unchanged.
//  3. Only then the writer is opened (creating the file when asked), keyed
//     and checked again, and configured: WAL, synchronous=FULL, foreign
//     keys, secure_delete. Then the migrations run.
//  4. The read-only pool is opened last, against the migrated file, and
//     then the WAL checkpointer's read-write connection.
//  The committer fills the space reserve first thing (sqlcipher_store.cc,
//  G10), before any Write() is served.
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "common/status_macros.h"
#include "storage/keyed_connection.h"
#include "storage/migrations.h"
#include "storage/sqlcipher_store.h"

namespace casevault::storage {
namespace {

absl::Status ConfigureWriter(Connection& db) {
  ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode = WAL",
                                                  "set journal_mode"));
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        "the database cannot use write-ahead logging");
  }
  RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = FULL", "set synchronous"));
  RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON", "set foreign_keys"));
  RETURN_IF_ERROR(db.Exec("PRAGMA secure_delete = ON", "set secure_delete"));
  // Every audited call, reads included, runs on the writer: 64 MiB of
  // decrypted pages keeps the indexes a million cases need in memory (the
  // default 2 MiB re-read and re-decrypted them; docs/performance.md).
  RETURN_IF_ERROR(db.Exec("PRAGMA cache_size = -65536", "set cache_size"));
  // While migrating, copy the WAL into the main file every 4000 pages (16
  // MiB). Once the store runs, the checkpointer thread does it instead
  // (sqlcipher_store.cc, G12), at StoreOptions::wal_checkpoint_frames.
  RETURN_IF_ERROR(
      db.Exec("PRAGMA wal_autocheckpoint = 4000", "set wal_autocheckpoint"));
  // Never shrink the -wal while open: its room is part of the space reserve
  // (sqlcipher_store.cc, G10).
  RETURN_IF_ERROR(
      db.Exec("PRAGMA journal_size_limit = -1", "set journal_size_limit"));
  return absl::OkStatus();
}

absl::Status ValidateOptions(const StoreOptions& options) {
  if (options.max_batch < 1) {
    return absl::InvalidArgumentError("max_batch must be at least 1");
  }
  if (options.read_connections < 1) {
    return absl::InvalidArgumentError("read_connections must be at least 1");
  }
  if (options.reserve_pages < 0 || options.disk_full_retry_ms < 0) {
    return absl::InvalidArgumentError(
        "reserve_pages and disk_full_retry_ms must not be negative");
  }
  if (options.wal_checkpoint_frames < 1) {
    return absl::InvalidArgumentError(
        "wal_checkpoint_frames must be at least 1");
  }
  if (options.wal_catch_up_frames < 0 ||
      options.wal_limit_frames < options.wal_checkpoint_frames) {
    return absl::InvalidArgumentError(
        "wal_catch_up_frames must not be negative and wal_limit_frames not "
        "below wal_checkpoint_frames");
  }
  if (options.busy_timeout_ms < 0) {
    return absl::InvalidArgumentError("busy_timeout_ms must not be negative");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStoreWithVfs(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options, const std::string& vfs) {
  RETURN_IF_ERROR(ValidateOptions(options));
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (error) {
    return absl::UnavailableError("cannot check whether the database exists");
  }
  if (!exists && mode == OpenMode::kOpenExisting) {  // step 1
    return absl::NotFoundError("there is no database file at this path");
  }
  if (exists) {  // step 2
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> probe,
                     OpenKeyedConnection(path, key, AccessMode::kReadOnly,
                                         options.busy_timeout_ms, vfs));
  }

  // Step 3.
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                   OpenKeyedConnection(path, key,
                                       exists ? AccessMode::kReadWrite
                                              : AccessMode::kReadWriteCreate,
                                       options.busy_timeout_ms, vfs));
  RETURN_IF_ERROR(ConfigureWriter(*writer));
  RETURN_IF_ERROR(MigrateTo(*writer, LatestSchemaVersion()));

  std::vector<std::unique_ptr<Connection>> readers;  // step 4
  for (int i = 0; i < options.read_connections; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> reader,
                     OpenKeyedConnection(path, key, AccessMode::kReadOnly,
                                         options.busy_timeout_ms, vfs));
    RETURN_IF_ERROR(reader->Exec("PRAGMA query_only = ON", "set query_only"));
    readers.push_back(std::move(reader));
  }
  // The WAL checkpointer's connection (sqlcipher_store.cc, G12).
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> checkpointer,
                   OpenKeyedConnection(path, key, AccessMode::kReadWrite,
                                       options.busy_timeout_ms, vfs));
  RETURN_IF_ERROR(
      checkpointer->Exec("PRAGMA synchronous = FULL", "set synchronous"));
  return std::make_unique<SqlCipherStore>(std::move(writer), std::move(readers),
                                          std::move(checkpointer), options);
}

absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStore(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options) {
  return OpenSqlCipherStoreWithVfs(path, key, mode, options, options.vfs);
}

}  // namespace casevault::storage
