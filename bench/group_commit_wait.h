// The shape of casevaultd's group commit without its work, for the echo
// server's EchoCommitted: a caller queues and blocks; one thread takes the
// whole queue, writes one 4 KiB page and fdatasyncs it, then marks the batch
// done, and the callers wake through absl::Mutex::Await, exactly as
// SqlCipherStore::Write and its committer do (storage/sqlcipher_store.cc).
// No crypto, no SQL: what a call costs for waiting on a shared durable
// commit alone, the ceiling of any server built this way on this machine.
#ifndef CASEVAULT_BENCH_GROUP_COMMIT_WAIT_H_
#define CASEVAULT_BENCH_GROUP_COMMIT_WAIT_H_

#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace casevault::bench {

class GroupCommitWait {
 public:
  // Opens (creating) `path`; ok() is false when it cannot.
  explicit GroupCommitWait(const std::string& path);
  ~GroupCommitWait();  // finishes the queued callers, then stops
  GroupCommitWait(const GroupCommitWait&) = delete;
  GroupCommitWait& operator=(const GroupCommitWait&) = delete;

  bool ok() const { return fd_ >= 0; }
  // Blocks until a batch holding this call is on disk; false if its
  // write or fdatasync failed.
  bool Wait();

 private:
  struct Caller {
    bool done = false;
    bool synced = false;
  };
  void Loop();
  bool HasWorkOrClosing() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const int fd_;
  absl::Mutex mu_;
  std::vector<Caller*> queue_ ABSL_GUARDED_BY(mu_);
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  std::thread committer_;
};

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_GROUP_COMMIT_WAIT_H_
