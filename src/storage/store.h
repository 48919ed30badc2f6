// The embedded store: one SQLCipher file, opened with a raw 32-byte key.
//
// Design notes (invariants):
//  1. Only storage/ includes the SQLCipher header; the binary links
//     libsqlcipher and never libsqlite3. Open() refuses to continue unless
//     `PRAGMA cipher_version` answers.
//  2. Writes are group-committed: Write() enqueues its callback; a single
//     committer thread runs every queued callback in one transaction (a
//     failing callback leaves nothing of itself), then COMMITs once (WAL,
//     synchronous=FULL: one fsync for the batch) and only then wakes the
//     callers. A lone request is not delayed: the committer never waits for
//     company, it takes whatever queued while the previous batch was
//     committing. Callbacks run without savepoints first; when one fails
//     after changing rows the batch is rolled back and run again with a
//     savepoint per callback (sqlcipher_store.cc, G4), so a callback may run
//     more than once.
//  3. A callback's changes are acknowledged only when the batch's COMMIT
//     succeeded; if COMMIT fails every callback of the batch gets UNAVAILABLE.
//  4. Read() runs on a separate read-only connection (WAL snapshot) and may
//     not write.
//  5. Disk faults (sqlcipher_store.cc, G9-G11; docs/storage.md): after a
//     failed fsync the store refuses every further write until it is
//     reopened (kWritesStoppedMessage); after a full disk it refuses writes
//     that change content (kDiskFullMessage) while writes that only append
//     audit entries (audited reads) go on using a reserve of free pages.
#ifndef CASEVAULT_STORAGE_STORE_H_
#define CASEVAULT_STORAGE_STORE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "crypto/secret_bytes.h"
#include "storage/repositories.h"

namespace casevault::storage {

// What the work of Transaction::Savepoint() returned. A type of its own:
// absl::StatusOr<absl::Status> would take an error Status as its value, and
// the savepoint's own errors could not be told from the work's.
struct WorkOutcome {
  absl::Status status;
};

class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual AccountRepository& accounts() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual CaseRepository& cases() = 0;
  virtual CoordinationRepository& coordination() = 0;
  virtual AuditRepository& audit() = 0;

  // Runs `work` as a nested unit of this transaction (a SQL SAVEPOINT with a
  // name of its own; savepoints nest; on the committer's optimistic path no
  // SQL savepoint is opened and a `work` that fails after changing rows
  // makes the outer status ABORTED, upon which the committer runs the
  // callback again with real savepoints). Two statuses come back:
  //  - The inner one is `work`'s (WorkOutcome::status). When it is not OK, everything `work`
  //    changed has been rolled back and the transaction carries on as if
  //    `work` had never run; when OK, its changes are kept in the
  //    transaction (still subject to the enclosing callback and COMMIT).
  //  - The outer one is the savepoint's own: non-OK (UNAVAILABLE/INTERNAL)
  //    when it could not be opened, released or rolled back, or when SQLite
  //    abandoned the whole transaction during `work` (an I/O error, a full
  //    disk). The transaction is then lost: the callback must return that
  //    status at once, and nothing of it is kept (invariant G6).
  // FAILED_PRECONDITION (outer) when called outside a transaction.
  [[nodiscard]] virtual absl::StatusOr<WorkOutcome> Savepoint(
      absl::FunctionRef<absl::Status()> work) = 0;
};

// The fixed UNAVAILABLE messages of disk faults (no path, no SQLite text).
inline constexpr char kDiskFullMessage[] =
    "the server's disk is full; nothing was saved; tell the person who looks "
    "after the server";
inline constexpr char kWritesStoppedMessage[] =
    "the server could not save to disk; nothing new is accepted until the "
    "person who looks after the server restarts it";

struct StoreStats {
  uint64_t commits = 0;        // durable COMMITs so far
  uint64_t writes = 0;         // Write() callbacks committed
  uint64_t replays = 0;        // batches run again with savepoints (G4)
  uint64_t wal_passes = 0;     // checkpoints by the checkpointer (G12)
  uint64_t wal_catch_ups = 0;  // short checkpoints by the committer (G12)
  uint64_t wal_deferrals = 0;  // catch-ups put off for another pass (G12)
  uint64_t pages_written = 0;  // pages (WAL frames) written by the COMMITs
  bool disk_full = false;      // in disk-full mode (G10)
  bool writes_stopped = false; // a sync failed; reopen to write again (G9)
};

struct StoreOptions {
  int busy_timeout_ms = 5000;
  int max_batch = 256;          // callbacks per group commit
  int read_connections = 2;     // read-only connections serving Read()
  // Free pages kept inside the database file for audit entries while the
  // disk is full (G10); topped up when fewer than half are left. 0: none.
  int reserve_pages = 64;
  // In disk-full mode, how often the store tries to top up the reserve and
  // so leave the mode (G11).
  int disk_full_retry_ms = 5000;
  // The WAL is copied into the main file on a thread of its own once it
  // holds this many frames (4 KiB pages; G12).
  int wal_checkpoint_frames = 4000;
  // After a pass, the committer's catch-up (which holds every caller) runs
  // only when at most this many frames are left to copy, or when the WAL
  // holds wal_limit_frames; else more passes go first (G12). On a large
  // file a frame left costs ~0.2 ms of catch-up here (docs/performance.md).
  int wal_catch_up_frames = 128;
  int wal_limit_frames = 32000;  // 128 MiB of -wal
  // Name of a registered SQLite VFS; "" is the default one. Tests pass a
  // fault-injecting VFS.
  std::string vfs;
};

class Store {
 public:
  virtual ~Store() = default;
  // See invariants 2 and 3. Blocks until the outcome is durable. Returns the
  // callback's status (of its last run), or UNAVAILABLE if the commit
  // failed. `work` may run more than once, each time on the database as it
  // was before its first run: it must set every output it has on each run
  // (not add to what an earlier run left) and do nothing outside the
  // transaction that a second run would get wrong. Calling Write()
  // from inside a Write() callback, or Read() from inside a Read() callback
  // of the same store, is FAILED_PRECONDITION (it would deadlock).
  virtual absl::Status Write(absl::FunctionRef<absl::Status(Transaction&)> work) = 0;
  // See invariant 4.
  virtual absl::Status Read(absl::FunctionRef<absl::Status(Transaction&)> work) = 0;
  virtual StoreStats stats() const = 0;
};

// Opens (creating when `create`) the database at `path` with `key` as the
// raw SQLCipher key (32 bytes), sets cipher_page_size=4096, WAL,
// synchronous=FULL, foreign_keys, secure_delete, busy_timeout, and runs the
// migrations up to the latest schema version.
// FAILED_PRECONDITION if SQLCipher is not the library in use;
// NOT_FOUND if the file is missing and !create;
// PERMISSION_DENIED ("the database does not open with this keyring's key")
// if the key is wrong or the file is not a casevault database; in that case
// nothing has been written to the file.
enum class OpenMode { kOpenExisting, kCreate };
absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStore(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options = {});

// The schema version the code migrates to.
int LatestSchemaVersion();

// `PRAGMA cipher_version` of the linked library, or "" if it does not answer.
std::string CipherVersion();

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_STORE_H_
