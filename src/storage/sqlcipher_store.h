// The Store over one SQLCipher file: a writer connection owned by the
// committer thread and a small pool of read-only connections. Internal to
// storage/; everything else sees only store.h.
#ifndef CASEVAULT_STORAGE_SQLCIPHER_STORE_H_
#define CASEVAULT_STORAGE_SQLCIPHER_STORE_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/connection.h"
#include "storage/sql_repositories.h"
#include "storage/store.h"
#include "storage/wal_checkpointer.h"

namespace casevault::storage {

class SqlCipherStore final : public Store {
 public:
  // `writer` is keyed, configured and migrated; `readers` are keyed
  // read-only connections to the same file (at least one); `checkpointer`
  // a keyed read-write one for the WAL checkpointer (G12). Starts the
  // checkpointer and the committer threads.
  SqlCipherStore(std::unique_ptr<Connection> writer,
                 std::vector<std::unique_ptr<Connection>> readers,
                 std::unique_ptr<Connection> checkpointer,
                 const StoreOptions& options);
  // Refuses new writes, commits everything already queued, joins the
  // committer, stops the checkpointer, then closes the readers and last the
  // writer (whose close checkpoints the WAL into the main file).
  ~SqlCipherStore() override;

  absl::Status Write(
      absl::FunctionRef<absl::Status(Transaction&)> work) override;
  absl::Status Read(
      absl::FunctionRef<absl::Status(Transaction&)> work) override;
  StoreStats stats() const override;

  // Blocks until at least `count` Write() calls wait in the queue (tests
  // use it to build a batch deterministically; see store_testing.h).
  void WaitForQueuedWrites(size_t count);
  // store_testing.h, ReplayEveryBatchForTest.
  static void ReplayEveryBatchForTest(bool replay);

 private:
  // One Write() call, owned by the caller's stack frame until `done`.
  struct PendingWrite {
    explicit PendingWrite(absl::FunctionRef<absl::Status(Transaction&)> w)
        : work(w) {}
    absl::FunctionRef<absl::Status(Transaction&)> work;
    absl::Status result;  // written by the committer before `done`
    bool done = false;    // guarded by mu_
  };
  struct BatchOutcome {
    uint64_t commits = 0;
    uint64_t writes = 0;
    uint64_t replays = 0;
  };
  struct Reader {
    explicit Reader(std::unique_ptr<Connection> c)
        : connection(std::move(c)), transaction(*connection) {}
    std::unique_ptr<Connection> connection;
    SqlTransaction transaction;
  };

  void CommitterLoop();
  // Committer thread only. Runs every callback of `batch`, leaving each
  // result in place; returns what became durable.
  BatchOutcome RunBatch(const std::vector<PendingWrite*>& batch);
  // One transaction over batch[start, ...). Returns the index after the
  // last callback it settled.
  size_t RunTransaction(const std::vector<PendingWrite*>& batch, size_t start,
                        BatchOutcome& outcome);
  // Runs one callback with no savepoint (G4, optimistic); sets `undo` when
  // it failed with the transaction still open. Returns non-OK when the
  // transaction was lost (G6).
  absl::Status RunOptimistically(PendingWrite& pending, bool& undo);
  // Runs one callback in its savepoint (G4); in disk-full mode refuses it
  // when it changed more than the reserve may hold (G10). Returns the
  // savepoint's own status.
  absl::Status RunCallback(PendingWrite& pending);

  // Disk faults, committer thread only (sqlcipher_store_faults.cc).
  // The status for a failure whose SQLite code is `code` (G9, G10): enters
  // the matching mode and returns its fixed message.
  absl::Status FailureFor(int code);
  // G9: no write succeeds any more until the store is reopened.
  void StopWrites();
  // G10/G11: before a batch in disk-full mode, try to leave it (when due),
  // else let the WAL start over so the reserve's frames fit in it.
  void PrepareDiskFullBatch();
  // G10: once at start, fill the reserve (and the -wal's room for it).
  void FillReserveAtStart();
  // G12, committer thread only, between batches: asks the checkpointer for
  // a pass when the WAL has grown to wal_checkpoint_frames_, and after a
  // pass ended copies the frames committed meanwhile (C2) when they are
  // few or the WAL is at wal_limit_frames_, else asks for another pass.
  void MaintainWal();
  // A PASSIVE checkpoint on the writer, under the checkpointer's lock (C1):
  // the catch-up (G12) and the disk-full mode's (G10, G11). True when the
  // whole WAL was copied.
  absl::StatusOr<bool> CheckpointWriter();
  // sqlite3_wal_hook of the writer: runs inside its COMMIT.
  static int OnWalCommit(void* store, sqlite3* db, const char* name,
                         int frames);
  // Copies the committer's flags into stats_.
  void PublishModes() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool HasWorkOrClosing() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || closing_;
  }
  bool HasFreeReader() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(readers_mu_) {
    return !free_readers_.empty();
  }
  bool AllReadersFree() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(readers_mu_) {
    return free_readers_.size() == readers_.size();
  }

  const size_t max_batch_;
  const int64_t reserve_pages_;
  const std::chrono::milliseconds disk_full_retry_;
  const int wal_checkpoint_frames_;
  const int wal_catch_up_frames_;
  const int wal_limit_frames_;

  // Used only by the committer thread once it has started.
  std::unique_ptr<Connection> writer_;
  SqlTransaction writer_transaction_;

  mutable absl::Mutex mu_;
  std::deque<PendingWrite*> queue_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  StoreStats stats_ ABSL_GUARDED_BY(mu_);

  std::vector<std::unique_ptr<Reader>> readers_;  // fixed after construction
  absl::Mutex readers_mu_;
  std::vector<Reader*> free_readers_ ABSL_GUARDED_BY(readers_mu_);

  // G9-G11. `writes_stopped_` is also read by Write(); the rest belong to
  // the committer thread.
  std::atomic<bool> writes_stopped_{false};
  bool disk_full_ = false;
  // Whether space_reserve's rows hold the reserve's pages (G10): cleared
  // when they are deleted in disk-full mode, set again when refilled (G11).
  bool reserve_held_ = true;
  std::chrono::steady_clock::time_point next_probe_;
  std::string path_;  // of the main file, for statvfs

  // G12. Written by the committer thread only; catch_ups_ and
  // pages_written_ also read by stats().
  std::unique_ptr<WalCheckpointer> checkpointer_;
  int wal_frames_ = 0;             // frames in the WAL after the last COMMIT
  bool pass_requested_ = false;    // a pass was asked for and has not ended
  uint64_t passes_at_request_ = 0;
  int next_pass_at_ = 0;           // WAL frames that call for a pass
  std::atomic<uint64_t> deferrals_{0};
  std::atomic<uint64_t> catch_ups_{0};
  std::atomic<uint64_t> pages_written_{0};  // WAL frames appended by COMMITs

  std::thread committer_;  // started last in the constructor
  std::thread::id committer_id_;
};

// OpenSqlCipherStore with a named SQLite VFS ("" = the default). Tests pass
// a fault-injecting VFS.
absl::StatusOr<std::unique_ptr<Store>> OpenSqlCipherStoreWithVfs(
    const std::string& path, const crypto::SecretBytes& key, OpenMode mode,
    const StoreOptions& options, const std::string& vfs);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_SQLCIPHER_STORE_H_
