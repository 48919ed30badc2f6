// The group committer.
//
// Design notes (invariants; numbered for reference from code and tests):
//
//  G1. One thread, the committer, owns the writer connection. No other
//      thread touches it after the constructor, so it is opened NOMUTEX and
//      its statement cache needs no lock.
//  G2. Write() queues a PendingWrite that lives on the caller's stack and
//      blocks until the committer sets `done` under mu_. The committer never
//      touches a PendingWrite after setting `done`: from that moment the
//      caller may return and the frame is gone.
//  G3. The committer takes whatever is queued (at most max_batch) the moment
//      it is free. It never waits for company: a lone Write() is committed
//      at once, and batching happens only because callers queue up while the
//      previous COMMIT is being fsynced.
//  G4. A batch is one BEGIN IMMEDIATE ... COMMIT; a callback that fails
//      leaves nothing of itself and its batch-mates are unaffected. Two ways:
//      - Optimistic (the common path): callbacks run back to back with no
//        savepoint, and Transaction::Savepoint() opens none either. A
//        savepoint is not free under SQLCipher: every page first touched
//        inside one is encrypted into the sub-journal, so per-callback
//        savepoints cost about four times the COMMIT's own encryption
//        (docs/performance.md). A callback that fails without having
//        changed a row leaves nothing to undo and is simply answered. If
//        one fails after changing rows, or a nested Savepoint() does, the
//        whole transaction is rolled back and the batch run again from
//        `start` the second way.
//      - With savepoints: each callback inside its own SAVEPOINT, rolled
//        back alone when it fails; nested Savepoint()s are real. Always so
//        in disk-full mode (G10 decides per callback).
//      So a callback may run more than once; only its last run counts.
//      Store::Write's contract (store.h) makes callbacks safe to re-run.
//  G5. Results are released only after COMMIT returned OK (WAL with
//      synchronous=FULL: the batch is on disk). If COMMIT fails, the batch
//      is rolled back and every callback of it gets UNAVAILABLE, including
//      those whose callback failed: their answer may have depended on a
//      batch-mate that was not saved.
//  G6. If SQLite abandons the transaction in the middle of a batch (an I/O
//      error or a full disk rolls back everything), or a savepoint cannot be
//      released or rolled back, nothing of the transaction is committed: the
//      callbacks run so far get UNAVAILABLE (the one that hit the error keeps
//      its own error), and the rest of the batch continues in a new
//      transaction.
//  G7. Shutdown: the destructor sets closing_, after which Write() refuses;
//      the committer drains the queue before it exits. Readers are closed
//      before the writer so that the writer's close, the last one,
//      checkpoints the WAL into the main file.
//  G8. Read() borrows a read-only connection from the pool for the length of
//      one deferred transaction (a WAL snapshot) and gives it back; writes
//      fail there because the connection is SQLITE_OPEN_READONLY and
//      query_only. Re-entering Read() from a Read() callback of the same
//      store (or Write() from a Write() callback) is refused instead of
//      deadlocking.
//
//  Disk faults (sqlcipher_store_faults.cc; docs/durability.md, "Disk
//  faults"):
//
//  G9.  A failed fsync stops writes. When COMMIT, a checkpoint or a reserve
//       top-up fails with SQLITE_IOERR_FSYNC (or _DIR_FSYNC), the kernel may
//       have dropped the dirty pages and a later fsync may report success
//       for data that is gone ("fsyncgate"), so no later commit could be
//       trusted: every Write() from then on, audited reads included (their
//       entries could not be saved durably either), is refused with
//       UNAVAILABLE kWritesStoppedMessage until the store is reopened.
//       Read() keeps working. The failed batch's frames may still be whole
//       in the -wal and be recovered at reopen: UNAVAILABLE from a write
//       means "not acknowledged", not "not saved".
//  G10. Disk-full mode. Any SQLITE_FULL the writer sees (a statement of a
//       callback, COMMIT, filling the reserve) enters it; the failed callers
//       hear UNAVAILABLE kDiskFullMessage. In the mode a callback is kept
//       only if every row it changed was counted by
//       Connection::CountReserveChanges (audit entries, tree state, subtree
//       hashes, checkpoints, a session's last use: an audited read); any
//       other is rolled back and answered kDiskFullMessage, and what it did
//       is not audited since it did not happen. Before each batch a passive
//       checkpoint lets the WAL start over inside the -wal file
//       (journal_size_limit = -1: never shrunk while open). New pages come
//       from the reserve: reserve_pages rows of zeros in table
//       space_reserve, one page each, written at start (which also gives
//       the -wal room for that many frames) and deleted before the first
//       batch of the mode, which makes their pages free pages of the file.
//       Outside the mode nothing touches the reserve: ordinary writes grow
//       the file, so the reserve costs nothing per batch.
//  G11. The mode ends only when, tried at most every disk_full_retry_ms
//       before a batch, statvfs shows room for twice the reserve, the VFS
//       accepts a growth hint of the reserve's size, the reserve is filled
//       and a passive checkpoint copies the whole WAL into the main file.
//
//  WAL checkpoints (wal_checkpointer.h, C1-C3):
//
//  G12. The committer never copies the WAL in the middle of a COMMIT (the
//       writer's wal hook replaces SQLite's auto-checkpoint; a 4000-frame
//       copy stopped every caller for ~15 ms). Between batches, once the
//       WAL holds wal_checkpoint_frames frames, it asks the checkpointer
//       thread for a PASSIVE pass on its own connection; the batches go on
//       meanwhile. When the pass has ended the committer runs a catch-up
//       PASSIVE checkpoint of the frames committed during it, so that its
//       next BEGIN finds the WAL copied and starts it over (a busy writer
//       would otherwise never let the WAL restart). The catch-up holds
//       every caller, and on a large file each frame left costs a random
//       write and its share of the sync (the pass has synced its own pages
//       already, C4): it runs at once only when at most
//       wal_catch_up_frames are left; else the committer asks for another
//       pass once a quarter of the threshold more is committed, until the
//       WAL holds wal_limit_frames, when the catch-up runs whatever it
//       costs (so the WAL stays bounded). Not in disk-full mode,
//       whose own checkpoints (G10, G11) run on the committer, nor once
//       writes stopped. A failed fsync in either checkpoint is G9.
//
//  Statement journals (sql_repositories.h; statement_journal_test.cc):
//
//  G13. The repositories' writes change one row each, but for the
//       DELETEs of sessions (below). The UPDATEs and the
//       audit INSERTs say OR FAIL and the triggers that fire on INSERT
//       RAISE(FAIL) (schema v5); a plain INSERT of one row that fires no
//       trigger needs nothing; the DELETEs (sessions, a case member) fire
//       no trigger and check no constraint, so even the multi-row ones
//       cannot abort halfway. So SQLite opens no statement journal for the
//       hot writes (statement_journal_test.cc): under SQLCipher every page
//       copied into one is encrypted and MACed, a page of crypto per page
//       changed on top of the COMMIT's. A constraint is checked before a
//       single-row statement writes, so FAIL leaves what ABORT would:
//       nothing. An I/O error or a full disk inside such a statement rolls
//       back the whole transaction, which G6 already covers.
#include "storage/sqlcipher_store.h"

#include <pthread.h>
#include <sqlcipher/sqlite3.h>

#include <algorithm>
#include <utility>

#include "storage/space_reserve.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {
namespace {

// The store whose Read() callback runs on this thread, if any: a nested
// Read() on the same store could wait forever for a pooled connection.
thread_local const Store* tls_reading_store = nullptr;

// store_testing.h: roll back every optimistic batch that would commit and
// run it again with savepoints, so tests exercise re-runs everywhere.
std::atomic<bool> replay_every_batch_for_test{false};

}  // namespace

void SqlCipherStore::ReplayEveryBatchForTest(bool replay) {
  replay_every_batch_for_test.store(replay);
}

SqlCipherStore::SqlCipherStore(std::unique_ptr<Connection> writer,
                               std::vector<std::unique_ptr<Connection>> readers,
                               std::unique_ptr<Connection> checkpointer,
                               const StoreOptions& options)
    : max_batch_(static_cast<size_t>(std::max(1, options.max_batch))),
      reserve_pages_(std::max(0, options.reserve_pages)),
      disk_full_retry_(std::max(0, options.disk_full_retry_ms)),
      wal_checkpoint_frames_(std::max(1, options.wal_checkpoint_frames)),
      wal_catch_up_frames_(std::max(0, options.wal_catch_up_frames)),
      wal_limit_frames_(
          std::max(wal_checkpoint_frames_, options.wal_limit_frames)),
      writer_(std::move(writer)),
      writer_transaction_(*writer_) {
  if (const char* file = sqlite3_db_filename(writer_->db(), "main")) {
    path_ = file;
  }
  next_pass_at_ = wal_checkpoint_frames_;
  for (auto& connection : readers) {
    readers_.push_back(std::make_unique<Reader>(std::move(connection)));
  }
  {
    absl::MutexLock lock(&readers_mu_);
    for (auto& reader : readers_) free_readers_.push_back(reader.get());
  }
  FillReserveAtStart();  // G10, before the committer owns the writer
  checkpointer_ = std::make_unique<WalCheckpointer>(
      std::move(checkpointer), [this](int) { StopWrites(); });  // G9, G12
  sqlite3_wal_hook(writer_->db(), &SqlCipherStore::OnWalCommit, this);
  {
    absl::MutexLock lock(&mu_);
    PublishModes();
  }
  committer_ = std::thread([this] { CommitterLoop(); });
  committer_id_ = committer_.get_id();
}

SqlCipherStore::~SqlCipherStore() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  committer_.join();  // G7: returns once the queue is drained
  checkpointer_.reset();
  {
    absl::MutexLock lock(&readers_mu_);
    // A Read() still running now would be a use-after-destroy by the caller.
    readers_mu_.Await(absl::Condition(this, &SqlCipherStore::AllReadersFree));
    free_readers_.clear();
  }
  readers_.clear();
  writer_.reset();  // G7: last connection closed; checkpoints the WAL
}

absl::Status SqlCipherStore::Write(
    absl::FunctionRef<absl::Status(Transaction&)> work) {
  if (std::this_thread::get_id() == committer_id_) {
    // The committer would wait for itself.
    return absl::FailedPreconditionError(
        "Write() may not be called from inside a Write() callback");
  }
  if (writes_stopped_.load()) {  // G9
    return absl::UnavailableError(kWritesStoppedMessage);
  }
  PendingWrite pending(work);
  absl::MutexLock lock(&mu_);
  if (closing_) return absl::FailedPreconditionError("the store is closing");
  queue_.push_back(&pending);
  mu_.Await(absl::Condition(&pending.done));  // G2
  return pending.result;
}

void SqlCipherStore::WaitForQueuedWrites(size_t count) {
  absl::MutexLock lock(&mu_);
  auto enough = [this, count]() ABSL_NO_THREAD_SAFETY_ANALYSIS {
    return queue_.size() >= count;
  };
  mu_.Await(absl::Condition(&enough));
}

StoreStats SqlCipherStore::stats() const {
  absl::MutexLock lock(&mu_);
  StoreStats now = stats_;
  // Read live: the checkpointer thread stops writes (G9, G12) and counts
  // its passes, and Write() refuses without a batch that would publish
  // them.
  now.writes_stopped = writes_stopped_.load();
  now.wal_passes = checkpointer_->passes();
  now.wal_catch_ups = catch_ups_.load();
  now.wal_deferrals = deferrals_.load();
  now.pages_written = pages_written_.load(std::memory_order_relaxed);
  return now;
}

void SqlCipherStore::CommitterLoop() {
  pthread_setname_np(pthread_self(), "cv-committer");  // top -H, perf
  while (true) {
    std::vector<PendingWrite*> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &SqlCipherStore::HasWorkOrClosing));
      if (queue_.empty()) return;  // closing, and nothing left (G7)
      const size_t n = std::min(queue_.size(), max_batch_);  // G3
      batch.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    const BatchOutcome outcome = RunBatch(batch);
    {
      absl::MutexLock lock(&mu_);
      stats_.commits += outcome.commits;
      stats_.writes += outcome.writes;
      stats_.replays += outcome.replays;
      PublishModes();
      for (PendingWrite* pending : batch) pending->done = true;  // G2, G5
      // `batch` now points at frames that may be gone; not used again.
    }
    MaintainWal();  // G12, while the callers are on their way
  }
}

absl::StatusOr<bool> SqlCipherStore::CheckpointWriter() {
  absl::MutexLock lock(&checkpointer_->lock());  // C1
  return CheckpointPassive(*writer_);
}

int SqlCipherStore::OnWalCommit(void* store, sqlite3*, const char*,
                                int frames) {
  SqlCipherStore& self = *static_cast<SqlCipherStore*>(store);
  // The WAL starts over after a complete checkpoint: then every frame in it
  // is this COMMIT's, and the next pass is due at the usual size again
  // (also after the disk-full mode's own checkpoints, G10).
  const bool restarted = frames <= self.wal_frames_;
  if (restarted) self.next_pass_at_ = self.wal_checkpoint_frames_;
  const int added = restarted ? frames : frames - self.wal_frames_;
  self.pages_written_.fetch_add(static_cast<uint64_t>(added),
                                std::memory_order_relaxed);
  self.wal_frames_ = frames;
  return SQLITE_OK;
}

void SqlCipherStore::MaintainWal() {
  if (disk_full_ || writes_stopped_) return;  // G12: not now
  if (pass_requested_) {
    if (checkpointer_->passes() == passes_at_request_) return;  // running
    pass_requested_ = false;
    // What the pass left, plus what was committed since it ended; unknown
    // (a failed pass) counts as everything.
    const int64_t copied = checkpointer_->copied_frames();
    const int64_t left = copied < 0 ? wal_frames_ : wal_frames_ - copied;
    if (left > wal_catch_up_frames_ && wal_frames_ < wal_limit_frames_) {
      // Too costly to copy while every caller waits: another pass first,
      // once a quarter of the threshold more has been committed.
      ++deferrals_;
      next_pass_at_ = wal_frames_ + std::max(1, wal_checkpoint_frames_ / 4);
      return;
    }
    const absl::StatusOr<bool> copied_all = CheckpointWriter();  // C2
    ++catch_ups_;
    if (copied_all.ok() && *copied_all) wal_frames_ = 0;
    next_pass_at_ = wal_checkpoint_frames_;
    if (!copied_all.ok() &&
        IsFailedSync(SqliteCodeOf(copied_all.status()))) {
      StopWrites();  // G9
    }
  } else if (wal_frames_ >= next_pass_at_) {
    passes_at_request_ = checkpointer_->passes();
    pass_requested_ = true;
    checkpointer_->Request();
  }
}

SqlCipherStore::BatchOutcome SqlCipherStore::RunBatch(
    const std::vector<PendingWrite*>& batch) {
  BatchOutcome outcome;
  if (disk_full_ && !writes_stopped_) PrepareDiskFullBatch();  // G10, G11
  size_t next = 0;
  while (next < batch.size()) {
    if (writes_stopped_) {  // G9
      for (; next < batch.size(); ++next) {
        batch[next]->result = absl::UnavailableError(kWritesStoppedMessage);
      }
      break;
    }
    next = RunTransaction(batch, next, outcome);
  }
  return outcome;
}

size_t SqlCipherStore::RunTransaction(const std::vector<PendingWrite*>& batch,
                                      size_t start, BatchOutcome& outcome) {
  Connection& db = *writer_;
  bool optimistic = !disk_full_;  // G4, G10
  while (true) {
    if (absl::Status begin = db.Exec("BEGIN IMMEDIATE", "begin batch");
        !begin.ok()) {
      const absl::Status failure = FailureFor(SqliteCodeOf(begin));
      for (size_t i = start; i < batch.size(); ++i) batch[i]->result = failure;
      return batch.size();
    }
    writer_transaction_.set_optimistic(optimistic);
    // `failed_at` is the callback during which the transaction was lost
    // (G6), if any; `failure` what the others hear.
    size_t end = start;
    size_t failed_at = batch.size();
    bool undo = false;  // G4: roll back, run again with savepoints
    absl::Status failure;
    for (; end < batch.size(); ++end) {
      PendingWrite& pending = *batch[end];
      const absl::Status control = optimistic
                                       ? RunOptimistically(pending, undo)
                                       : RunCallback(pending);
      if (undo) break;
      if (!control.ok()) {
        const int code = SqliteCodeOf(control) != 0
                             ? SqliteCodeOf(control)
                             : SqliteCodeOf(pending.result);
        failure = FailureFor(code);
        // The callback that hit the error keeps its own, unless it is a
        // disk error (then it hears the fixed message, like its
        // batch-mates).
        if (pending.result.ok() || SqliteCodeOf(pending.result) != 0) {
          pending.result = failure;
        }
        failed_at = end++;
        break;
      }
    }
    writer_transaction_.set_optimistic(false);
    if (!undo && optimistic && failed_at == batch.size() &&
        replay_every_batch_for_test.load()) {
      undo = true;
    }
    if (undo) {
      const absl::Status rollback = db.Exec("ROLLBACK", "roll back batch");
      if (rollback.ok()) {
        ++outcome.replays;
        optimistic = false;
        continue;
      }
      failure = FailureFor(SqliteCodeOf(rollback));
      end = std::min(end + 1, batch.size());
    } else if (failed_at == batch.size()) {
      const absl::Status commit = db.Exec("COMMIT", "commit batch");  // G5
      if (commit.ok()) {
        ++outcome.commits;
        for (size_t i = start; i < end; ++i) {
          if (batch[i]->result.ok()) ++outcome.writes;
        }
        return end;
      }
      failure = FailureFor(SqliteCodeOf(commit));  // G9, G10
    }
    // G5/G6: nothing of [start, end) was acknowledged.
    if (db.InTransaction()) {
      db.Exec("ROLLBACK", "roll back batch").IgnoreError();
    }
    for (size_t i = start; i < end; ++i) {
      if (i != failed_at) batch[i]->result = failure;
    }
    return end;
  }
}

absl::Status SqlCipherStore::Read(
    absl::FunctionRef<absl::Status(Transaction&)> work) {
  if (tls_reading_store == this) {
    return absl::FailedPreconditionError(
        "Read() may not be called from inside a Read() callback");
  }
  Reader* reader = nullptr;
  {
    absl::MutexLock lock(&readers_mu_);
    readers_mu_.Await(absl::Condition(this, &SqlCipherStore::HasFreeReader));
    reader = free_readers_.back();
    free_readers_.pop_back();
  }
  Connection& db = *reader->connection;
  absl::Status status = db.Exec("BEGIN", "begin read");  // G8
  if (status.ok()) {
    const Store* outer = std::exchange(tls_reading_store, this);
    status = work(reader->transaction);
    tls_reading_store = outer;
    // A read-only transaction has nothing to keep; ending it releases the
    // WAL snapshot so checkpoints can make progress.
    if (db.InTransaction()) {
      absl::Status end = db.Exec("ROLLBACK", "end read");
      if (status.ok()) status = end;
    }
  }
  absl::MutexLock lock(&readers_mu_);
  free_readers_.push_back(reader);
  return status;
}

}  // namespace casevault::storage
