// Checks the entry lines of an export on a thread of its own, in batches of
// about 1 MiB, while the caller hashes them: parsing an entry costs about as
// much as hashing it, so the two run side by side (docs/audit-log.md,
// "Verifying an export"). When the thread is still busy with the previous
// batch, the caller checks the next one itself, so the work is shared
// whichever side is faster. Memory: two batches, whatever the export's size.
#ifndef CASEVAULT_CLIENT_ENTRY_CHECKER_H_
#define CASEVAULT_CLIENT_ENTRY_CHECKER_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/status.h"

namespace casevault::client {

// One entry line's own checks: audit::ParseEntry accepts it, its seq is
// `seq`, and audit::EncodeEntry gives back the same bytes. DataLoss
// "line N (entry seq S): ..." otherwise.
absl::Status CheckEntryLine(std::string_view bytes, uint64_t line, uint64_t seq);

class EntryChecker {
 public:
  EntryChecker();
  // Stops the thread; pending lines are dropped.
  ~EntryChecker();
  EntryChecker(const EntryChecker&) = delete;
  EntryChecker& operator=(const EntryChecker&) = delete;

  // Queues one entry line. Lines must come in order, one line and one seq
  // after the previous.
  void Add(std::string_view bytes, uint64_t line, uint64_t seq);

  // True once some line failed; the caller may stop reading early.
  bool failed() const { return failed_.load(std::memory_order_relaxed); }

  // Checks what is still queued and returns the first failure (the one with
  // the lowest line number), or OK. Call once; Add() is not used after it.
  absl::Status Finish();

 private:
  struct Batch {
    std::string bytes;
    std::vector<size_t> ends;  // end offset of each line in `bytes`
    uint64_t first_line = 0;
    uint64_t first_seq = 0;
  };

  static std::unique_ptr<Batch> NewBatch();
  void Submit();
  void Work();
  // Checks every line of `batch`; records the first fault.
  void Check(const Batch& batch);

  std::unique_ptr<Batch> filling_;  // the caller's
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<Batch> pending_;  // handed over, not yet taken
  std::unique_ptr<Batch> spare_;    // checked, free for the caller
  bool done_ = false;
  bool abandoned_ = false;  // destroyed before Finish()
  std::atomic<bool> failed_{false};
  absl::Status fault_;       // the fault on the lowest line, under mu_
  uint64_t fault_line_ = 0;
  std::thread worker_;  // last: starts once the rest is ready
};

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_ENTRY_CHECKER_H_
