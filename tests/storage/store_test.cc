#include "storage/store.h"

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store_testing.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(StoreTest, OpenExistingMissingFileIsNotFoundAndCreatesNothing) {
  const std::string missing = dir_.File("missing.db");
  EXPECT_THAT(OpenSqlCipherStore(missing, key_, OpenMode::kOpenExisting),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(::casevault::testing::ReadFileBytes(missing), "");
  EXPECT_FALSE(std::ifstream(missing).good());
}

TEST_F(StoreTest, RejectsKeyThatIsNot32Bytes) {
  crypto::SecretBytes short_key = crypto::SecretBytes::CopyFrom("too short");
  EXPECT_THAT(
      OpenSqlCipherStore(dir_.File("other.db"), short_key, OpenMode::kCreate),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(StoreTest, RejectsBadOptions) {
  auto open = [&](const StoreOptions& options) {
    return OpenSqlCipherStore(dir_.File("other.db"), key_, OpenMode::kCreate,
                              options);
  };
  StoreOptions options;
  options.max_batch = 0;
  EXPECT_THAT(open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options = StoreOptions();
  options.wal_catch_up_frames = -1;
  EXPECT_THAT(open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options = StoreOptions();
  options.wal_limit_frames = options.wal_checkpoint_frames - 1;
  EXPECT_THAT(open(options), StatusIs(absl::StatusCode::kInvalidArgument));
  options.wal_limit_frames = options.wal_checkpoint_frames;
  EXPECT_OK(open(options).status());
}

TEST_F(StoreTest, WriterPragmas) {
  auto pragma = [&](const std::string& name) {
    return QueryPragmaForTest(*store_, name, StoreConnection::kWriter);
  };
  EXPECT_THAT(pragma("journal_mode"), IsOkAndHolds(std::string("wal")));
  EXPECT_THAT(pragma("synchronous"), IsOkAndHolds(std::string("2")));
  EXPECT_THAT(pragma("foreign_keys"), IsOkAndHolds(std::string("1")));
  EXPECT_THAT(pragma("secure_delete"), IsOkAndHolds(std::string("1")));
  EXPECT_THAT(pragma("cipher_page_size"), IsOkAndHolds(std::string("4096")));
  EXPECT_THAT(pragma("cache_size"), IsOkAndHolds(std::string("-65536")));
  // G12: the store's wal hook replaced SQLite's auto-checkpoint.
  EXPECT_THAT(pragma("wal_autocheckpoint"), IsOkAndHolds(std::string("0")));
  EXPECT_THAT(pragma("user_version"),
              IsOkAndHolds(std::to_string(LatestSchemaVersion())));
}

TEST_F(StoreTest, ReaderPragmas) {
  auto pragma = [&](const std::string& name) {
    return QueryPragmaForTest(*store_, name, StoreConnection::kReader);
  };
  EXPECT_THAT(pragma("journal_mode"), IsOkAndHolds(std::string("wal")));
  EXPECT_THAT(pragma("query_only"), IsOkAndHolds(std::string("1")));
  EXPECT_THAT(pragma("cipher_page_size"), IsOkAndHolds(std::string("4096")));
}

TEST_F(StoreTest, QueryPragmaForTestRejectsSql) {
  EXPECT_THAT(QueryPragmaForTest(*store_, "user_version; DROP TABLE cases",
                                 StoreConnection::kWriter),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(StoreTest, ReadSeesCommittedWrite) {
  AddAccount("hoa");
  EXPECT_THAT(store_->Read([](Transaction& txn) -> absl::Status {
    auto found = txn.accounts().FindByUsername("hoa");
    return found.status();
  }),
              IsOk());
}

TEST_F(StoreTest, ReadCannotWrite) {
  absl::Status status = store_->Read([](Transaction& txn) {
    return txn.accounts().Insert(MakeAccount("sneaky")).status();
  });
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(store_->Read([](Transaction& txn) -> absl::Status {
    return txn.accounts().FindByUsername("sneaky").status();
  }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(StoreTest, WriteInsideWriteIsRefused) {
  absl::Status inner;
  ASSERT_OK(store_->Write([&](Transaction&) {
    inner = store_->Write([](Transaction&) { return absl::OkStatus(); });
    return absl::OkStatus();
  }));
  EXPECT_THAT(inner, StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(StoreTest, ReadInsideReadIsRefused) {
  absl::Status inner;
  ASSERT_OK(store_->Read([&](Transaction&) {
    inner = store_->Read([](Transaction&) { return absl::OkStatus(); });
    return absl::OkStatus();
  }));
  EXPECT_THAT(inner, StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(StoreTest, ConcurrentReadersShareThePool) {
  AddAccount("shared");
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        absl::Status s = store_->Read([](Transaction& txn) {
          return txn.accounts().FindByUsername("shared").status();
        });
        if (!s.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(StoreTest, CallbackErrorIsReturnedAndRolledBack) {
  absl::Status status = store_->Write([](Transaction& txn) -> absl::Status {
    absl::Status inserted = txn.accounts().Insert(MakeAccount("gone")).status();
    if (!inserted.ok()) return inserted;
    return absl::InvalidArgumentError("changed my mind");
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("changed my mind")));
  EXPECT_THAT(store_->Read([](Transaction& txn) -> absl::Status {
    return txn.accounts().FindByUsername("gone").status();
  }),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(StoreTest, LoneWriteCommitsOnce) {
  const StoreStats before = store_->stats();
  AddAccount("alone");
  const StoreStats after = store_->stats();
  EXPECT_EQ(after.commits - before.commits, 1u);
  EXPECT_EQ(after.writes - before.writes, 1u);
}

TEST_F(StoreTest, ManyConcurrentWritersAreGroupCommitted) {
  constexpr int kThreads = 64;
  constexpr int kWritesPerThread = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesPerThread; ++i) {
        CaseRecord c =
            MakeCase(absl::StrCat("case-", t, "-", i), "school-1", t, 1000 + i);
        absl::Status s = store_->Write(
            [&](Transaction& txn) { return txn.cases().Insert(c); });
        if (!s.ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);

  const StoreStats stats = store_->stats();
  EXPECT_EQ(stats.writes, uint64_t{kThreads * kWritesPerThread});
  EXPECT_LT(stats.commits, stats.writes) << "no batching happened";

  // Everything is there, now and after reopening.
  for (int round = 0; round < 2; ++round) {
    int64_t count = 0;
    ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto n = txn.cases().Count();
      if (!n.ok()) return n.status();
      count = *n;
      return txn.cases().Find("case-63-49").status();
    }));
    EXPECT_EQ(count, kThreads * kWritesPerThread);
    OpenStore();
  }
}

// Builds one batch of exactly [ok, failing, ok] behind a blocked committer.
TEST_F(StoreTest, FailingCallbackInBatchIsRolledBackAlone) {
  CommitterHold hold(*store_);

  const StoreStats before = store_->stats();
  absl::Status first, middle, last;
  int first_runs = 0, middle_runs = 0, last_runs = 0;
  std::thread t1([&] {
    first = store_->Write([&](Transaction& txn) {
      ++first_runs;
      return txn.cases().Insert(MakeCase("first", "s", 1, 10));
    });
  });
  WaitForQueuedWritesForTest(*store_, 1);
  std::thread t2([&] {
    middle = store_->Write([&](Transaction& txn) -> absl::Status {
      ++middle_runs;
      absl::Status s = txn.cases().Insert(MakeCase("middle", "s", 1, 20));
      if (!s.ok()) return s;
      // Clashes with "first", inserted by a batch-mate in this transaction.
      return txn.cases().Insert(MakeCase("first", "s", 1, 30));
    });
  });
  WaitForQueuedWritesForTest(*store_, 2);
  std::thread t3([&] {
    last = store_->Write([&](Transaction& txn) {
      ++last_runs;
      return txn.cases().Insert(MakeCase("last", "s", 1, 40));
    });
  });
  WaitForQueuedWritesForTest(*store_, 3);
  hold.Release();
  for (std::thread* t : {&t1, &t2, &t3}) t->join();

  EXPECT_OK(first);
  EXPECT_THAT(middle, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_OK(last);
  const StoreStats after = store_->stats();
  EXPECT_EQ(after.commits - before.commits, 2u);  // the hold's batch + ours
  EXPECT_EQ(after.writes - before.writes, 3u);    // the hold's, first, last
  // G4: "middle" failed after writing, so the optimistic run (first,
  // middle) was rolled back and the batch run again with savepoints.
  EXPECT_EQ(after.replays - before.replays, 1u);
  EXPECT_EQ(first_runs, 2);
  EXPECT_EQ(middle_runs, 2);
  EXPECT_EQ(last_runs, 1);

  OpenStore();  // durable
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_OK(txn.cases().Find("first"));
    EXPECT_THAT(txn.cases().Find("middle"),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_OK(txn.cases().Find("last"));
    return absl::OkStatus();
  }));
}

// G4, the common path: callbacks that succeed, or fail before changing a
// row, run once in one transaction with no savepoint and no replay.
TEST_F(StoreTest, BatchWithoutChangesAfterAFailureRunsEachCallbackOnce) {
  CommitterHold hold(*store_);
  const StoreStats before = store_->stats();
  constexpr int kWriters = 6;
  std::vector<absl::Status> results(kWriters);
  std::vector<int> runs(kWriters, 0);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      results[i] = store_->Write([&, i](Transaction& txn) -> absl::Status {
        ++runs[i];
        if (i % 3 == 1) {  // refused before writing anything
          return absl::PermissionDeniedError("refused");
        }
        if (i % 3 == 2) {  // a statement that fails undoes itself
          return txn.cases().Insert(MakeCase("c0", "s", 1, 99));
        }
        return txn.cases().Insert(MakeCase("c" + std::to_string(i), "s", 1, i));
      });
    });
    WaitForQueuedWritesForTest(*store_, static_cast<size_t>(i) + 1);
  }
  hold.Release();
  for (std::thread& t : writers) t.join();

  const StoreStats after = store_->stats();
  EXPECT_EQ(after.commits - before.commits, 2u);  // the hold's batch + ours
  EXPECT_EQ(after.replays - before.replays, 0u);
  for (int i = 0; i < kWriters; ++i) {
    EXPECT_EQ(runs[i], 1) << i;
    if (i % 3 == 0) {
      EXPECT_OK(results[i]) << i;
    }
    if (i % 3 == 1) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kPermissionDenied));
    }
    if (i % 3 == 2) {
      EXPECT_THAT(results[i], StatusIs(absl::StatusCode::kAlreadyExists));
    }
  }
  OpenStore();  // durable
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_OK(txn.cases().Find("c0"));
    EXPECT_OK(txn.cases().Find("c3"));
    return absl::OkStatus();
  }));
}

// The test hook behind the *_replayed_batches ctest entries.
TEST_F(StoreTest, ReplayEveryBatchForTestRunsEachCallbackTwice) {
  ReplayEveryBatchForTest(true);
  int runs = 0;
  const absl::Status written = store_->Write([&](Transaction& txn) {
    ++runs;
    return txn.cases().Insert(MakeCase("twice", "s", 1, 10));
  });
  ReplayEveryBatchForTest(false);
  ASSERT_OK(written);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(store_->stats().replays, 1u);
  EXPECT_EQ(store_->stats().writes, 1u);
  ASSERT_OK(store_->Read([](Transaction& txn) {
    return txn.cases().Find("twice").status();
  }));
}

TEST_F(StoreTest, DataSurvivesCloseAndReopenExisting) {
  const int64_t id = AddAccount("persist");
  store_.reset();
  ASSERT_OK_AND_ASSIGN(
      store_, OpenSqlCipherStore(path(), key_, OpenMode::kOpenExisting));
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    auto found = txn.accounts().FindById(id);
    if (!found.ok()) return found.status();
    EXPECT_EQ(found->username, "persist");
    return absl::OkStatus();
  }));
}

TEST_F(StoreTest, SeveralStoresOnOneFileSeeEachOthersWrites) {
  ASSERT_OK_AND_ASSIGN(
      auto second, OpenSqlCipherStore(path(), key_, OpenMode::kOpenExisting));
  AddAccount("from-first");
  EXPECT_OK(second->Read([](Transaction& txn) -> absl::Status {
    return txn.accounts().FindByUsername("from-first").status();
  }));
}

TEST(StoreLibraryTest, VersionsAnswer) {
  EXPECT_FALSE(CipherVersion().empty());
  EXPECT_GE(LatestSchemaVersion(), 1);
}

}  // namespace
}  // namespace casevault::storage::testing
