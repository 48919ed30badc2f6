// Signs a checkpoint of the audit log when it grew and the latest
// checkpoint is at least AuditOptions::checkpoint_every old, so that an
// auditor never waits long for the recent entries to be signed.
#ifndef CASEVAULT_DOMAIN_CHECKPOINT_TIMER_H_
#define CASEVAULT_DOMAIN_CHECKPOINT_TIMER_H_

#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/audit_trail.h"
#include "storage/store.h"

namespace casevault::domain {

enum class TimerThread {
  kStart,   // a background thread calls Tick() about once a second
  kManual,  // no thread: the owner (a test) calls Tick()
};

class CheckpointTimer {
 public:
  // Times come from the trail's clock; the thread's own wake-ups use real
  // time (at most 1 s apart, less when checkpoint_every is shorter).
  CheckpointTimer(storage::Store& store, const AuditTrail& trail,
                  TimerThread thread);
  // Stop().
  ~CheckpointTimer();
  CheckpointTimer(const CheckpointTimer&) = delete;
  CheckpointTimer& operator=(const CheckpointTimer&) = delete;

  // Wakes the thread and joins it. Idempotent and thread-safe; once it
  // returns no Tick() runs from the thread. Call it before the store goes
  // away.
  void Stop();

  // One check: signs a checkpoint (AuditTrail::SignCheckpoint, in one
  // Write) when the log has entries beyond the latest checkpoint and that
  // checkpoint was signed at least checkpoint_every ago by the clock (or
  // there is none). Returns whether it signed. Thread-safe.
  [[nodiscard]] absl::StatusOr<bool> Tick();

 private:
  void Run();
  bool stopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stop_; }

  storage::Store& store_;
  const AuditTrail& trail_;
  absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  absl::Mutex join_mu_;  // one Stop() joins; others wait for it
  std::thread thread_ ABSL_GUARDED_BY(join_mu_);
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CHECKPOINT_TIMER_H_
