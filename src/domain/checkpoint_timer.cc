#include "domain/checkpoint_timer.h"

#include <pthread.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace casevault::domain {
namespace {

// Whether the log is due a timed checkpoint, as `tx` sees it.
absl::StatusOr<bool> Due(storage::Transaction& tx, const AuditTrail& trail) {
  ASSIGN_OR_RETURN(uint64_t count, tx.audit().EntryCount());
  absl::StatusOr<storage::AuditCheckpointRecord> latest =
      tx.audit().LatestCheckpoint();
  if (absl::IsNotFound(latest.status())) return count > 0;
  RETURN_IF_ERROR(latest.status());
  return count > latest->size && trail.clock().Now() - latest->created_at >=
                                     trail.options().checkpoint_every;
}

}  // namespace

CheckpointTimer::CheckpointTimer(storage::Store& store, const AuditTrail& trail,
                                 TimerThread thread)
    : store_(store), trail_(trail) {
  if (thread == TimerThread::kStart) {
    absl::MutexLock lock(&join_mu_);
    thread_ = std::thread([this] { Run(); });
  }
}

CheckpointTimer::~CheckpointTimer() { Stop(); }

void CheckpointTimer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  absl::MutexLock lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<bool> CheckpointTimer::Tick() {
  // A cheap look on a reader first: most ticks find nothing to do and
  // should not take a turn on the shared committer.
  bool due = false;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(due, Due(tx, trail_));
    return absl::OkStatus();
  }));
  if (!due) return false;
  bool signed_one = false;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> absl::Status {
    signed_one = false;  // each run sets its outputs afresh (Store::Write)
    ASSIGN_OR_RETURN(due, Due(tx, trail_));  // still, under the writer
    if (!due) return absl::OkStatus();
    RETURN_IF_ERROR(trail_.SignCheckpoint(tx).status());
    signed_one = true;
    return absl::OkStatus();
  }));
  return signed_one;
}

void CheckpointTimer::Run() {
  pthread_setname_np(pthread_self(), "cv-audit-ckpt");  // top -H, perf
  const absl::Duration wake = std::min(
      absl::Seconds(1), absl::Milliseconds(trail_.options().checkpoint_every));
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      if (mu_.AwaitWithTimeout(
              absl::Condition(this, &CheckpointTimer::stopping), wake)) {
        return;  // Stop()
      }
    }
    absl::StatusOr<bool> ticked = Tick();
    if (!ticked.ok()) {
      LogError(absl::StrCat("audit: timed checkpoint failed: ",
                            ticked.status().ToString()));
    }
  }
}

}  // namespace casevault::domain
