// Copies the WAL into the main file on a thread and a connection of its
// own, so that the committer does not stop for it (sqlcipher_store.cc, G12;
// docs/storage.md). Internal to storage/.
//
// Invariants:
//  C1. Every checkpoint of the store's file, this thread's and the
//      committer's own (its catch-up and the disk-full ones), runs under
//      lock(): two PASSIVE checkpoints at once would make one of them
//      SQLITE_BUSY and copy nothing.
//  C2. A pass copies what it can (PASSIVE: it never waits for readers or
//      the writer, and the writer never waits for it). It cannot let the
//      WAL start over: SQLite does that when a write transaction begins with
//      every frame already copied, which only the committer can arrange
//      between two of its batches. So after a pass the committer runs a
//      short catch-up checkpoint of the frames committed meanwhile
//      (passes() tells it a pass ended, copied_frames() how far it got),
//      or asks for another pass first when they are many (G12).
//  C3. A pass whose fsync fails calls `on_failed_sync` (the store stops
//      writes, G9) before it counts as ended, so the committer never acts
//      on a pass whose sync failed; any other error ends the pass and is
//      retried at the next request.
//  C4. A pass that ends with any frame copied syncs the main file before
//      it counts as ended (an fsync with nothing left to write is cheap).
//      SQLite syncs it only when the checkpoint reached the WAL's
//      end, which a pass under a busy writer never does; the pages it
//      copied would otherwise stay dirty in the kernel until the
//      catch-up's sync, which holds every caller: at 10k cases that sync
//      took 20-30 ms for a catch-up of ~100 frames, ~3.5 ms with C4
//      (docs/performance.md, item 12). An extra fsync is never unsafe.
#ifndef CASEVAULT_STORAGE_WAL_CHECKPOINTER_H_
#define CASEVAULT_STORAGE_WAL_CHECKPOINTER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "storage/connection.h"

namespace casevault::storage {

class WalCheckpointer {
 public:
  // `connection` is a read-write keyed connection to the store's file.
  // Starts the thread.
  WalCheckpointer(std::unique_ptr<Connection> connection,
                  std::function<void(int sqlite_code)> on_failed_sync);
  // Ends the pass in progress, joins the thread, closes the connection.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Asks for one pass; returns at once. A request made while a pass runs
  // is served by the pass after it.
  void Request();
  // Passes ended so far (with or without error).
  uint64_t passes() const { return passes_.load(); }
  // After the last pass, how many frames of the WAL had been copied into
  // the main file (by any checkpoint); -1 when that pass failed.
  int64_t copied_frames() const { return copied_frames_.load(); }
  // C1.
  absl::Mutex& lock() { return checkpoint_mu_; }

 private:
  void Run();
  bool HasRequestOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return requested_ || stopping_;
  }

  std::unique_ptr<Connection> connection_;  // this thread's only
  const std::function<void(int)> on_failed_sync_;
  absl::Mutex checkpoint_mu_;
  absl::Mutex mu_;
  bool requested_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::atomic<uint64_t> passes_{0};
  std::atomic<int64_t> copied_frames_{-1};
  std::thread thread_;  // started last
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_WAL_CHECKPOINTER_H_
