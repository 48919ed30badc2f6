// Invariants C1-C4 in wal_checkpointer.h.
#include "storage/wal_checkpointer.h"

#include <pthread.h>
#include <sqlcipher/sqlite3.h>

#include <utility>

#include "common/log.h"
#include "storage/space_reserve.h"
#include "storage/sqlite_status.h"

namespace casevault::storage {

WalCheckpointer::WalCheckpointer(
    std::unique_ptr<Connection> connection,
    std::function<void(int sqlite_code)> on_failed_sync)
    : connection_(std::move(connection)),
      on_failed_sync_(std::move(on_failed_sync)) {
  thread_ = std::thread([this] { Run(); });
}

WalCheckpointer::~WalCheckpointer() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  thread_.join();
  connection_.reset();
}

void WalCheckpointer::Request() {
  absl::MutexLock lock(&mu_);
  requested_ = true;
}

void WalCheckpointer::Run() {
  pthread_setname_np(pthread_self(), "cv-wal-pass");  // top -H, perf
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WalCheckpointer::HasRequestOrStop));
      if (stopping_) return;
      requested_ = false;
    }
    int rc = SQLITE_OK;
    int copied = -1;
    {
      absl::MutexLock lock(&checkpoint_mu_);  // C1
      int frames = -1;
      rc = sqlite3_wal_checkpoint_v2(connection_->db(), "main",
                                     SQLITE_CHECKPOINT_PASSIVE, &frames,
                                     &copied);
    }
    int code = rc == SQLITE_OK || rc == SQLITE_BUSY
                   ? SQLITE_OK
                   : sqlite3_extended_errcode(connection_->db());
    if (rc == SQLITE_OK && copied > 0) {  // C4, before passes() moves
      code = SqliteCodeOf(SyncMainFile(*connection_));
    }
    copied_frames_ = rc == SQLITE_OK && code == SQLITE_OK ? copied : -1;
    if (code != SQLITE_OK) {  // C3
      if (IsFailedSync(code)) {
        on_failed_sync_(code);
      } else {
        LogWarning("a background copy of the WAL into the database failed; "
                   "it is tried again later");
      }
    }
    ++passes_;
  }
}

}  // namespace casevault::storage
