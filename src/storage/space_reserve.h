// The space reserve (sqlcipher_store.cc, G10-G11): free pages kept inside
// the database file, and room kept in the -wal file, so that audit entries
// can still be written for a while when the disk is full.
#ifndef CASEVAULT_STORAGE_SPACE_RESERVE_H_
#define CASEVAULT_STORAGE_SPACE_RESERVE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/connection.h"

namespace casevault::storage {

// PRAGMA freelist_count: pages of the file that hold nothing.
absl::StatusOr<int64_t> FreePages(Connection& db);

// One transaction (call it outside any) that leaves at least `target` free
// pages in the file and writes at least `target` WAL frames, so the -wal
// file, which is never shrunk while the store is open, has room for that
// many: a scratch table is created, a zero blob of `target` pages inserted
// (taking free pages first, then growing the file) and the table dropped
// again, so the schema is the same afterwards. Nothing when target <= 0.
// Errors carry their SQLite code (SqliteCodeOf).
absl::Status FillReserve(Connection& db, int64_t target);

// PRAGMA wal_checkpoint(PASSIVE): copies what it can of the WAL into the
// main file without waiting for readers. True when all of it was copied, so
// the next write can start the WAL over from its beginning.
absl::StatusOr<bool> CheckpointPassive(Connection& db);

// Whether the file system holding `path` has `bytes` available to this
// process (statvfs); true when it cannot tell.
bool HasFreeSpace(const std::string& path, int64_t bytes);

// Tells the VFS the main file is about to grow by `bytes`
// (SQLITE_FCNTL_SIZE_HINT). The default VFS only allocates when a chunk
// size is set, so this is mostly a no-op; a VFS that models a full disk
// refuses it with SQLITE_FULL.
absl::Status HintGrowth(Connection& db, int64_t bytes);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_SPACE_RESERVE_H_
