// Issue 5, "Disk faults: clean errors, no damage", through the real server:
// for every N from 1 to the number of xWrite / xSync / xRead calls a short
// scenario makes (sign in, FileCase, AddNote, GetCase, ListCases), a fresh
// deployment whose N-th call of that kind fails must
//  - answer each failed RPC UNAVAILABLE or INTERNAL with a fixed sentence;
//  - serve the scenario again once the fault is gone (after a full disk:
//    at the next retry, sqlcipher_store.cc G11), or refuse cleanly until
//    restarted (a failed fsync, G9) and then serve;
//  - pass PRAGMA integrity_check, restart through the ordinary VFS (the
//    server's start-up audit-log check included) and still show every case
//    and note it acknowledged, before or during the fault.
#include <chrono>
#include <string>
#include <thread>

#include "disk_fault_harness.h"
#include "gtest/gtest.h"
#include "storage/fault_vfs.h"

namespace casevault::testing {
namespace {

using storage::testing::FaultVfs;
using storage::testing::IoCounts;
using storage::testing::IoKind;

std::string Failures(const std::vector<Answer>& answers,
                     const std::string& data_dir) {
  std::string out;
  for (const Answer& a : answers) {
    if (a.status.ok()) continue;
    const std::string bad = CheckCleanFailure(a.status, data_dir);
    out += a.rpc + (bad.empty() ? " failed cleanly; " : ": " + bad + "; ");
  }
  return out;
}

bool AllOk(const std::vector<Answer>& answers) {
  for (const Answer& a : answers) {
    if (!a.status.ok()) return false;
  }
  return true;
}

class DiskFaultSweepTest : public ::testing::Test {
 protected:
  void TearDown() override { FaultVfs::Clear(); }

  // I/O calls of the scenario on a fresh copy (which served it once).
  static IoCounts CountScenario() {
    FaultyDeployment d;
    d.Start();
    Acknowledged acked;
    FaultVfs::ResetCounts();
    const auto answers = RunScenario(d, "count", acked);
    const IoCounts counts = FaultVfs::counts();
    EXPECT_TRUE(AllOk(answers)) << Failures(answers, d.data_dir());
    return counts;
  }

  void RunWithFault(IoKind kind, int64_t n, int code) {
    SCOPED_TRACE(::testing::Message() << "fault at call " << n);
    FaultyDeployment d;
    d.Start();
    Acknowledged acked = d.template_acked();

    FaultVfs::FailNth(kind, n, code);
    const auto during = RunScenario(d, "during", acked);
    const int64_t injected = FaultVfs::injected();
    FaultVfs::Clear();
    EXPECT_EQ(injected, 1);
    for (const Answer& a : during) {
      if (!a.status.ok()) {
        EXPECT_EQ(CheckCleanFailure(a.status, d.data_dir()), "") << a.rpc;
      }
    }
    if (!AllOk(during)) ++runs_with_failures_;

    auto after = RunScenario(d, "after", acked);
    if (!AllOk(after) && d.store().stats().disk_full) {
      // G11: changes resume at the next retry once there is room.
      EXPECT_EQ(Failures(after, d.data_dir()).find(':'), std::string::npos)
          << Failures(after, d.data_dir());
      std::this_thread::sleep_for(
          std::chrono::milliseconds(2 * d.disk_full_retry_ms));
      after = RunScenario(d, "after-room", acked);
      EXPECT_TRUE(AllOk(after)) << Failures(after, d.data_dir());
    }
    if (!AllOk(after)) {
      // Only a stopped writer (G9) may refuse once the disk is fine again.
      EXPECT_TRUE(d.store().stats().writes_stopped)
          << Failures(after, d.data_dir());
      EXPECT_EQ(Failures(after, d.data_dir()).find(':'), std::string::npos)
          << Failures(after, d.data_dir());
      ++restarts_;
      d.Start();
      after = RunScenario(d, "after-restart", acked);
      EXPECT_TRUE(AllOk(after)) << Failures(after, d.data_dir());
    }
    EXPECT_EQ(d.IntegrityCheck(), "ok");

    d.Start(/*faulty=*/false);  // recovery, and the audit log's own check
    ASSERT_TRUE(d.running());
    EXPECT_EQ(d.IntegrityCheck(), "ok");
    EXPECT_EQ(CheckNothingLost(d, acked), "");
  }

  // Every `stride`-th call from 1 (1: every call).
  void Sweep(IoKind kind, int code, int stride = 1) {
    const IoCounts counts = CountScenario();
    const int64_t total = counts.of(kind);
    ASSERT_GT(total, 0);
    for (int64_t n = 1; n <= total; n += stride) {
      RunWithFault(kind, n, code);
      if (HasFatalFailure()) return;
    }
    RecordProperty("calls", static_cast<int>(total));
    RecordProperty("runs_with_failed_rpcs", runs_with_failures_);
    RecordProperty("restarts", restarts_);
    std::printf("swept %lld calls: %d runs had failed RPCs, %d needed a restart\n",
                static_cast<long long>(total), runs_with_failures_, restarts_);
  }

  int runs_with_failures_ = 0;
  int restarts_ = 0;
};

TEST_F(DiskFaultSweepTest, EveryFailedWrite) {
  Sweep(IoKind::kWrite, SQLITE_IOERR_WRITE);
}

TEST_F(DiskFaultSweepTest, EveryFailedSync) {
  Sweep(IoKind::kSync, SQLITE_IOERR_FSYNC);
}

TEST_F(DiskFaultSweepTest, EveryFailedRead) {
  Sweep(IoKind::kRead, SQLITE_IOERR_READ);
}

// A write refused for want of space; every third call, to keep the test
// short (EveryFailedWrite covers every call with an I/O error, and
// DiskFullTest a disk that stays full).
TEST_F(DiskFaultSweepTest, EveryThirdWriteHittingAFullDisk) {
  Sweep(IoKind::kWrite, SQLITE_FULL, /*stride=*/3);
}

}  // namespace
}  // namespace casevault::testing
