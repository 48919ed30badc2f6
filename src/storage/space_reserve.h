// The space reserve (sqlcipher_store.cc, G10-G11): pages held inside the
// database file by rows of zeros (table space_reserve, one page a row) and
// room kept in the -wal file, so that audit entries can still be written for
// a while when the disk is full. Ordinary writes never use the reserve: they
// grow the file; the rows are deleted, making their pages free, only when
// the disk fills.
#ifndef CASEVAULT_STORAGE_SPACE_RESERVE_H_
#define CASEVAULT_STORAGE_SPACE_RESERVE_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "storage/connection.h"

namespace casevault::storage {

// One transaction (call it outside any) after which space_reserve holds
// exactly `target` rows, each rewritten, so that `target` pages are held for
// the reserve and at least `target` WAL frames are written: the -wal file,
// never shrunk while the store is open, then has room for that many. New
// rows grow the file (or reuse free pages). Nothing when target <= 0.
// Errors carry their SQLite code (SqliteCodeOf).
absl::Status FillReserve(Connection& db, int64_t target);

// One transaction (call it outside any) deleting every row of
// space_reserve with secure_delete off (the rows are zeros; not overwriting
// them writes no frame per page), so its pages become free pages of the
// file for the writes that follow. Writes only a few pages, all of them
// already in the file.
absl::Status ReleaseReserve(Connection& db);

// PRAGMA wal_checkpoint(PASSIVE): copies what it can of the WAL into the
// main file without waiting for readers. True when all of it was copied, so
// the next write can start the WAL over from its beginning.
absl::StatusOr<bool> CheckpointPassive(Connection& db);

// fsync of the main file (through the VFS, as SQLite's own). A checkpoint
// that stops short of the WAL's end writes its pages without syncing them;
// this makes them durable before anyone counts on it (C4 of
// wal_checkpointer.h).
absl::Status SyncMainFile(Connection& db);

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
