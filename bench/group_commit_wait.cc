#include "group_commit_wait.h"

#include <fcntl.h>
#include <unistd.h>

namespace casevault::bench {

GroupCommitWait::GroupCommitWait(const std::string& path)
    : fd_(open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600)) {
  if (ok()) committer_ = std::thread([this] { Loop(); });
}

GroupCommitWait::~GroupCommitWait() {
  {
    absl::MutexLock lock(&mu_);
    closing_ = true;
  }
  if (committer_.joinable()) committer_.join();
  if (ok()) close(fd_);
}

bool GroupCommitWait::Wait() {
  Caller me;
  absl::MutexLock lock(&mu_);
  if (!ok() || closing_) return false;
  queue_.push_back(&me);
  mu_.Await(absl::Condition(&me.done));
  return me.synced;
}

bool GroupCommitWait::HasWorkOrClosing() const { return !queue_.empty() || closing_; }

void GroupCommitWait::Loop() {
  const std::vector<char> page(4096, 0);
  while (true) {
    std::vector<Caller*> batch;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &GroupCommitWait::HasWorkOrClosing));
      if (queue_.empty()) return;  // closing, and nothing left
      batch.swap(queue_);
    }
    const bool synced = pwrite(fd_, page.data(), page.size(), 0) ==
                            static_cast<ssize_t>(page.size()) &&
                        fdatasync(fd_) == 0;
    absl::MutexLock lock(&mu_);
    for (Caller* c : batch) {
      c->synced = synced;
      c->done = true;
    }
  }
}

}  // namespace casevault::bench
