// Invariants G5, G6, G9 and G10 of storage/sqlcipher_store.cc: a batch whose
// COMMIT fails is reported UNAVAILABLE to every caller and none of it is
// acknowledged; after a failed fsync only a reopen writes again.
#include <string>
#include <thread>

#include "fault_store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store_testing.h"

namespace casevault::storage::testing {
namespace {

using ::testing::HasSubstr;

class CommitFailureTest : public FaultStoreTest {
 protected:
  void CheckRecoversAndKeepsOnlyCommitted() {
    FaultVfs::Clear();
    EXPECT_THAT(FindAccount("lost"), StatusIs(absl::StatusCode::kNotFound));
    if (store_->stats().writes_stopped) {  // G9: only a reopen writes again
      EXPECT_THAT(InsertAccount("after"),
                  StatusIs(absl::StatusCode::kUnavailable,
                           kWritesStoppedMessage));
      OpenStore();
    }
    ASSERT_OK(InsertAccount("after"));
    // Reopen through the ordinary VFS: the file agrees.
    OpenStore();
    EXPECT_OK(FindAccount("before"));
    EXPECT_OK(FindAccount("after"));
    EXPECT_THAT(FindAccount("lost"), StatusIs(absl::StatusCode::kNotFound));
  }
};

TEST_F(CommitFailureTest, FailedFsyncIsUnavailableAndNothingIsSaved) {
  ASSERT_OK(InsertAccount("before"));
  const StoreStats before = store_->stats();
  FaultVfs::wal_sync_error() = SQLITE_IOERR_FSYNC;
  // G9: not "nothing was saved": the frames may be whole in the -wal.
  EXPECT_THAT(InsertAccount("lost"), StatusIs(absl::StatusCode::kUnavailable,
                                              kWritesStoppedMessage));
  EXPECT_EQ(store_->stats().commits, before.commits);
  EXPECT_EQ(store_->stats().writes, before.writes);
  CheckRecoversAndKeepsOnlyCommitted();
}

TEST_F(CommitFailureTest, FullDiskIsUnavailableAndNothingIsSaved) {
  ASSERT_OK(InsertAccount("before"));
  FaultVfs::wal_write_error() = SQLITE_FULL;
  EXPECT_THAT(InsertAccount("lost"), StatusIs(absl::StatusCode::kUnavailable,
                                              HasSubstr("nothing was saved")));
  CheckRecoversAndKeepsOnlyCommitted();
}

// Every member of the failed batch hears UNAVAILABLE, even the one whose own
// callback failed: its answer was computed against batch-mates that are gone.
TEST_F(CommitFailureTest, EveryCallbackOfTheFailedBatchIsUnavailable) {
  ASSERT_OK(InsertAccount("before"));
  CommitterHold hold(*store_);

  absl::Status first, second, third;
  std::thread t1([&] {
    first = store_->Write([](Transaction& txn) {
      FaultVfs::wal_sync_error() = SQLITE_IOERR_FSYNC;  // this batch fails
      return txn.accounts().Insert(MakeAccount("lost")).status();
    });
  });
  WaitForQueuedWritesForTest(*store_, 1);
  std::thread t2([&] {
    second = store_->Write([](Transaction& txn) {
      return txn.accounts().Insert(MakeAccount("lost")).status();  // clash
    });
  });
  WaitForQueuedWritesForTest(*store_, 2);
  std::thread t3([&] {
    third = store_->Write([](Transaction& txn) {
      return txn.accounts().Insert(MakeAccount("lost-too")).status();
    });
  });
  WaitForQueuedWritesForTest(*store_, 3);
  hold.Release();
  for (std::thread* t : {&t1, &t2, &t3}) t->join();

  for (const absl::Status* s : {&first, &second, &third}) {
    EXPECT_THAT(*s, StatusIs(absl::StatusCode::kUnavailable,
                             kWritesStoppedMessage));  // G9
  }
  EXPECT_THAT(FindAccount("lost-too"), StatusIs(absl::StatusCode::kNotFound));
  CheckRecoversAndKeepsOnlyCommitted();
}

}  // namespace
}  // namespace casevault::storage::testing
