// The fixture of the storage tests that run a store over the fault VFS
// (disk_fault_test.cc, commit_failure_test.cc).
#ifndef CASEVAULT_TESTS_STORAGE_FAULT_STORE_FIXTURE_H_
#define CASEVAULT_TESTS_STORAGE_FAULT_STORE_FIXTURE_H_

#include <string>

#include "fault_vfs.h"
#include "storage/store_testing.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {

class FaultStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    ASSERT_NE(FaultVfs::Register(), nullptr);
    FaultVfs::Clear();
    OpenFaulty();
  }
  void TearDown() override {
    FaultVfs::Clear();
    store_.reset();
  }
  // Reopens the store over the fault VFS. `retry_ms`: how often disk-full
  // mode tries to end (0: before every batch).
  // `wal_frames`: StoreOptions::wal_checkpoint_frames.
  void OpenFaulty(int retry_ms = 0, int wal_frames = 4000) {
    StoreOptions options;
    options.vfs = FaultVfs::kName;
    options.disk_full_retry_ms = retry_ms;
    options.wal_checkpoint_frames = wal_frames;
    OpenStore(options);
  }

  absl::Status InsertAccount(const std::string& name) {
    return store_->Write([&](Transaction& txn) {
      return txn.accounts().Insert(MakeAccount(name)).status();
    });
  }
  absl::Status FindAccount(const std::string& name) {
    return store_->Read([&](Transaction& txn) {
      return txn.accounts().FindByUsername(name).status();
    });
  }
  void ExpectIntact() {
    EXPECT_THAT(QueryPragmaForTest(*store_, "integrity_check",
                                   StoreConnection::kReader),
                IsOkAndHolds("ok"));
  }
};

}  // namespace casevault::storage::testing

#endif  // CASEVAULT_TESTS_STORAGE_FAULT_STORE_FIXTURE_H_
