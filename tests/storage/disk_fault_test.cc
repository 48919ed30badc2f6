// Invariants G6 and G9-G11 of storage/sqlcipher_store.cc: a failed fsync
// stops writes until reopen; a full disk refuses changes but keeps audited
// reads going on the reserve, also when it is met inside a statement, and
// the mode ends once the reserve can be refilled.
// Also the fault VFS's own model of a full disk and of the n-th failure.
#include <string>
#include <thread>

#include "fault_store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sql_repositories.h"
#include "storage/sqlite_status.h"
#include "storage/store_testing.h"

namespace casevault::storage::testing {
namespace {

using ::testing::HasSubstr;

class DiskFaultTest : public FaultStoreTest {
 protected:
  // What an audited read writes: one audit entry and nothing else.
  absl::Status AppendAuditEntry() {
    return store_->Write([&](Transaction& txn) -> absl::Status {
      auto count = txn.audit().EntryCount();
      if (!count.ok()) return count.status();
      return txn.audit().Append(*count, std::string(300, 'e'),
                                std::string(32, 'h'));
    });
  }
};

TEST_F(DiskFaultTest, FullDiskRefusesOnlyWritesThatGrowAFile) {
  ASSERT_OK(InsertAccount("before"));
  FaultVfs::SetDiskFull(true);
  // Writes keep landing inside existing files until one must grow: 200
  // accounts is far more than the -wal's room.
  absl::Status last;
  for (int i = 0; i < 200 && last.ok(); ++i) {
    last = InsertAccount("filler-" + std::to_string(i));
  }
  EXPECT_THAT(last, StatusIs(absl::StatusCode::kUnavailable,
                             HasSubstr("disk is full")));
  EXPECT_GT(FaultVfs::injected(), 0);
  EXPECT_TRUE(store_->stats().disk_full);
  FaultVfs::Clear();
  ExpectIntact();
}

TEST_F(DiskFaultTest, FullDiskKeepsAuditedReadsAndRefusesChanges) {
  OpenFaulty(/*retry_ms=*/60 * 1000);  // no leaving the mode in this test
  ASSERT_OK(InsertAccount("before"));
  FaultVfs::SetDiskFull(true);
  absl::Status failed;
  int acknowledged = 0;
  for (int i = 0; i < 200 && failed.ok(); ++i) {
    failed = InsertAccount("filler-" + std::to_string(i));
    if (failed.ok()) ++acknowledged;
  }
  ASSERT_THAT(failed, StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(failed.message(), kDiskFullMessage);
  ASSERT_TRUE(store_->stats().disk_full);

  // Changes are refused at once; audited reads go on, many of them.
  EXPECT_THAT(InsertAccount("refused"),
              StatusIs(absl::StatusCode::kUnavailable, kDiskFullMessage));
  for (int i = 0; i < 100; ++i) ASSERT_OK(AppendAuditEntry()) << i;
  EXPECT_OK(FindAccount("before"));
  EXPECT_THAT(FindAccount("refused"), StatusIs(absl::StatusCode::kNotFound));
  ExpectIntact();

  // Everything acknowledged survives a reopen without faults.
  FaultVfs::Clear();
  OpenStore();
  EXPECT_OK(FindAccount("before"));
  for (int i = 0; i < acknowledged; ++i) {
    EXPECT_OK(FindAccount("filler-" + std::to_string(i))) << i;
  }
  EXPECT_THAT(FindAccount("refused"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(store_->Read([](Transaction& txn) -> absl::Status {
    auto count = txn.audit().EntryCount();
    if (!count.ok()) return count.status();
    return *count == 100 ? absl::OkStatus() : absl::InternalError("count");
  }), IsOk());
  ExpectIntact();
}

TEST_F(DiskFaultTest, DiskFullModeEndsOnceTheReserveRefills) {
  ASSERT_OK(InsertAccount("before"));
  FaultVfs::SetDiskFull(true);
  absl::Status failed;
  for (int i = 0; i < 200 && failed.ok(); ++i) {
    failed = InsertAccount("filler-" + std::to_string(i));
  }
  ASSERT_TRUE(store_->stats().disk_full);
  // Still full: the probe (retry 0 ms: before every batch) keeps failing.
  EXPECT_THAT(InsertAccount("refused"),
              StatusIs(absl::StatusCode::kUnavailable, kDiskFullMessage));
  FaultVfs::Clear();  // the IT person made room
  EXPECT_OK(InsertAccount("after"));
  EXPECT_FALSE(store_->stats().disk_full);
  EXPECT_OK(FindAccount("after"));
  ExpectIntact();
}

// G6 and G10 with the full disk met inside a statement, not at COMMIT: with
// a page cache of a few pages, a callback that writes many rows spills
// pages into the -wal before its batch commits, and the spill cannot grow
// the file. SQLite abandons the transaction; the batch-mate that ran before
// hears UNAVAILABLE with it, the one after runs in a new transaction (and
// is refused, being a change in disk-full mode); nothing of the three is
// stored, and audited reads go on.
TEST_F(DiskFaultTest, FullDiskInsideAStatementLosesNothingAcknowledged) {
  OpenFaulty(/*retry_ms=*/60 * 1000);  // no leaving the mode in this test
  ASSERT_OK(InsertAccount("before"));
  ASSERT_OK(store_->Write([](Transaction& txn) {
    return static_cast<SqlTransaction&>(txn).connection().Exec(
        "PRAGMA cache_size = 4", "a tiny page cache");
  }));
  FaultVfs::SetDiskFull(true);
  CommitterHold hold(*store_);

  absl::Status first, big, third;
  int statement_code = 0;
  int rows_written = 0;
  std::thread t1([&] { first = InsertAccount("lost-first"); });
  WaitForQueuedWritesForTest(*store_, 1);
  std::thread t2([&] {
    big = store_->Write([&](Transaction& txn) -> absl::Status {
      for (int i = 0; i < 20000; ++i) {
        const absl::Status row =
            txn.accounts()
                .Insert(MakeAccount("lost-big-" + std::to_string(i)))
                .status();
        if (!row.ok()) {
          statement_code = SqliteCodeOf(row);
          return row;
        }
        ++rows_written;
      }
      return absl::OkStatus();
    });
  });
  WaitForQueuedWritesForTest(*store_, 2);
  std::thread t3([&] { third = InsertAccount("lost-third"); });
  WaitForQueuedWritesForTest(*store_, 3);
  hold.Release();
  for (std::thread* t : {&t1, &t2, &t3}) t->join();

  EXPECT_EQ(statement_code, SQLITE_FULL);  // inside a statement
  EXPECT_GT(rows_written, 0);
  for (const absl::Status* s : {&first, &big, &third}) {
    EXPECT_THAT(*s, StatusIs(absl::StatusCode::kUnavailable,
                             kDiskFullMessage));
  }
  EXPECT_TRUE(store_->stats().disk_full);
  for (int i = 0; i < 20; ++i) ASSERT_OK(AppendAuditEntry()) << i;
  for (const char* name : {"lost-first", "lost-big-0", "lost-third"}) {
    EXPECT_THAT(FindAccount(name), StatusIs(absl::StatusCode::kNotFound))
        << name;
  }
  EXPECT_OK(FindAccount("before"));
  ExpectIntact();

  FaultVfs::Clear();
  OpenStore();  // the file agrees, through the ordinary VFS
  EXPECT_OK(FindAccount("before"));
  EXPECT_THAT(FindAccount("lost-big-0"),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(InsertAccount("after"));
  ExpectIntact();
}

TEST_F(DiskFaultTest, FailedSyncStopsWritesUntilReopen) {
  ASSERT_OK(InsertAccount("before"));
  FaultVfs::FailNth(IoKind::kSync, 1, SQLITE_IOERR_FSYNC);
  EXPECT_THAT(InsertAccount("unsure"),
              StatusIs(absl::StatusCode::kUnavailable, kWritesStoppedMessage));
  EXPECT_EQ(FaultVfs::injected(), 1);
  FaultVfs::Clear();
  // The disk answers again, but nothing after a failed fsync is trusted.
  EXPECT_THAT(InsertAccount("later"),
              StatusIs(absl::StatusCode::kUnavailable, kWritesStoppedMessage));
  EXPECT_THAT(AppendAuditEntry(),
              StatusIs(absl::StatusCode::kUnavailable, kWritesStoppedMessage));
  EXPECT_TRUE(store_->stats().writes_stopped);
  EXPECT_OK(FindAccount("before"));  // reads keep working
  ExpectIntact();

  OpenStore();  // restart
  EXPECT_FALSE(store_->stats().writes_stopped);
  EXPECT_OK(FindAccount("before"));
  EXPECT_THAT(FindAccount("later"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(InsertAccount("after"));
  ExpectIntact();
}

// Every single write, sync or read failure of a small write and read: the
// caller hears UNAVAILABLE (never another code, never SQLite text), the
// store recovers (after a reopen when a sync failed) and loses nothing
// acknowledged.
TEST_F(DiskFaultTest, EveryNthFailureIsCleanAndLosesNothing) {
  ASSERT_OK(InsertAccount("base"));
  FaultVfs::ResetCounts();
  ASSERT_OK(InsertAccount("probe-0"));
  ASSERT_OK(FindAccount("probe-0"));
  const IoCounts counts = FaultVfs::counts();
  ASSERT_GT(counts.writes, 0);
  ASSERT_GT(counts.syncs, 0);
  int run = 0;
  for (IoKind kind : {IoKind::kWrite, IoKind::kSync, IoKind::kRead}) {
    const int code = kind == IoKind::kWrite  ? SQLITE_IOERR_WRITE
                     : kind == IoKind::kSync ? SQLITE_IOERR_FSYNC
                                             : SQLITE_IOERR_READ;
    for (int64_t n = 1; n <= counts.of(kind); ++n) {
      SCOPED_TRACE(::testing::Message() << "kind " << static_cast<int>(kind)
                                        << " n " << n);
      const std::string name = "probe-" + std::to_string(++run);
      FaultVfs::FailNth(kind, n, code);
      const absl::Status wrote = InsertAccount(name);
      const absl::Status read = FindAccount(name);
      // A read that ran after a failed write finds nothing: NOT_FOUND.
      const bool read_missing = !wrote.ok() && absl::IsNotFound(read);
      for (const absl::Status* s : {&wrote, &read}) {
        if (s->ok() || (s == &read && read_missing)) continue;
        EXPECT_THAT(*s, StatusIs(absl::StatusCode::kUnavailable));
        EXPECT_THAT(std::string(s->message()),
                    ::testing::Not(HasSubstr(path())));
      }
      FaultVfs::Clear();
      if (store_->stats().writes_stopped) OpenFaulty();
      EXPECT_OK(FindAccount("base"));
      if (wrote.ok()) {
        EXPECT_OK(FindAccount(name));
      }
      ExpectIntact();
    }
  }
}

}  // namespace
}  // namespace casevault::storage::testing
