// The audit tables under the Store's transaction rules, which fail-closed
// auditing relies on: a failed callback, a failed batch-mate and a failed
// COMMIT keep nothing; entries stay dense under concurrent writers; rows
// survive a reopen; nothing of them is readable in the raw files; and the
// tables are append-only even to raw SQL.
#include <atomic>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "fault_vfs.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sql_repositories.h"
#include "storage/store_testing.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::casevault::testing::ReadFileBytes;
using ::testing::ElementsAre;

std::string Leaf(char c) { return std::string(32, c); }

// Appends `entry` at the next seq.
absl::Status AppendNext(Transaction& txn, const std::string& entry) {
  auto count = txn.audit().EntryCount();
  if (!count.ok()) return count.status();
  return txn.audit().Append(*count, entry, Leaf('l'));
}

class AuditDurabilityTest : public StoreTest {
 protected:
  std::vector<std::string> AllEntries() {
    std::vector<std::string> out;
    EXPECT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto count = txn.audit().EntryCount();
      if (!count.ok()) return count.status();
      return txn.audit().ScanEntries(0, *count, [&](const AuditEntryRecord& r) {
        out.push_back(r.entry);
        return absl::OkStatus();
      });
    }));
    return out;
  }

  AuditTreeState TreeState() {
    AuditTreeState state;
    EXPECT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto loaded = txn.audit().LoadTreeState();
      if (loaded.ok()) state = *loaded;
      return loaded.status();
    }));
    return state;
  }

  // One audited operation as the domain will write it: the entry, the new
  // tree state and (optionally) a checkpoint, in one callback.
  absl::Status AuditedWrite(const std::string& entry, bool then_fail) {
    return store_->Write([&](Transaction& txn) -> absl::Status {
      absl::Status s = AppendNext(txn, entry);
      auto count = txn.audit().EntryCount();
      if (s.ok()) s = count.status();
      if (s.ok()) s = txn.audit().StoreTreeState({*count, "state-" + entry});
      if (s.ok()) s = txn.audit().InsertCheckpoint({*count, "note", 1});
      if (s.ok() && then_fail) return absl::InternalError("operation failed");
      return s;
    });
  }
};

// Fail closed: the operation failing after its entry was appended keeps
// neither the entry nor the new tree state nor the checkpoint.
TEST_F(AuditDurabilityTest, FailedCallbackKeepsNoEntryAndTheOldTreeState) {
  ASSERT_OK(AuditedWrite("first", /*then_fail=*/false));
  EXPECT_THAT(AuditedWrite("doomed", /*then_fail=*/true),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(AllEntries(), ElementsAre("first"));
  const AuditTreeState state = TreeState();
  EXPECT_EQ(state.size, 1u);
  EXPECT_EQ(state.frontier, "state-first");
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.audit().CheckpointAt(2),
                StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  ASSERT_OK(AuditedWrite("second", /*then_fail=*/false));  // seq 1 is free
  EXPECT_THAT(AllEntries(), ElementsAre("first", "second"));
}

// A refused append rolls back only its own callback's savepoint: built as
// one batch [ok, refused, ok] behind a blocked committer.
TEST_F(AuditDurabilityTest, RefusedAppendRollsBackOnlyItsCallback) {
  CommitterHold hold(*store_);
  const StoreStats before = store_->stats();
  absl::Status first, middle, last;
  std::thread t1([&] {
    first = store_->Write([](Transaction& txn) { return AppendNext(txn, "a"); });
  });
  WaitForQueuedWritesForTest(*store_, 1);
  std::thread t2([&] {
    middle = store_->Write([](Transaction& txn) -> absl::Status {
      absl::Status s = AppendNext(txn, "b");
      if (!s.ok()) return s;
      return txn.audit().Append(5, "gap", Leaf('g'));  // refused
    });
  });
  WaitForQueuedWritesForTest(*store_, 2);
  std::thread t3([&] {
    last = store_->Write([](Transaction& txn) { return AppendNext(txn, "c"); });
  });
  WaitForQueuedWritesForTest(*store_, 3);
  hold.Release();
  for (std::thread* t : {&t1, &t2, &t3}) t->join();

  EXPECT_OK(first);
  EXPECT_THAT(middle, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(last);
  EXPECT_EQ(store_->stats().commits - before.commits, 2u);  // the hold's + ours
  OpenStore();
  EXPECT_THAT(AllEntries(), ElementsAre("a", "c"));  // "c" took seq 1
}

TEST_F(AuditDurabilityTest, FailedCommitKeepsNoEntry) {
  store_.reset();
  ASSERT_NE(FaultVfs::Register(), nullptr);
  ASSERT_OK_AND_ASSIGN(
      store_, OpenSqlCipherStoreWithVfsForTest(path(), key_, OpenMode::kCreate,
                                               StoreOptions{}, FaultVfs::kName));
  ASSERT_OK(AuditedWrite("kept", false));
  FaultVfs::wal_sync_error() = SQLITE_IOERR_FSYNC;
  EXPECT_THAT(AuditedWrite("lost", false),
              StatusIs(absl::StatusCode::kUnavailable));
  FaultVfs::Clear();
  EXPECT_THAT(AllEntries(), ElementsAre("kept"));
  OpenStore();
  EXPECT_THAT(AllEntries(), ElementsAre("kept"));
  EXPECT_EQ(TreeState().size, 1u);
}

// Each writer reads EntryCount() and appends at it; the committer runs one
// callback at a time, so the seqs come out dense whatever the interleaving.
TEST_F(AuditDurabilityTest, ConcurrentWritersGetDenseSeqs) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWrites; ++i) {
        if (!store_->Write([&](Transaction& txn) {
              return AppendNext(txn, absl::StrCat(t, "/", i));
            }).ok()) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(AllEntries().size(), size_t{kThreads * kWrites});
}

TEST_F(AuditDurabilityTest, EverythingSurvivesReopen) {
  ASSERT_OK(AuditedWrite("one", false));
  MustWrite([](Transaction& txn) -> absl::Status {
    for (int i = 1; i < 16; ++i) {
      absl::Status s = AppendNext(txn, absl::StrCat("e", i));
      if (!s.ok()) return s;
    }
    absl::Status s = txn.audit().StoreTreeState({16, "frontier-16"});
    if (s.ok()) s = txn.audit().PutSubtreeHash(4, 0, Leaf('s'));
    return s;
  });
  store_.reset();
  ASSERT_OK_AND_ASSIGN(
      store_, OpenSqlCipherStore(path(), key_, OpenMode::kOpenExisting));
  EXPECT_EQ(AllEntries().size(), 16u);
  EXPECT_EQ(AllEntries().front(), "one");
  EXPECT_EQ(TreeState().frontier, "frontier-16");
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.audit().SubtreeHash(4, 0), IsOkAndHolds(Leaf('s')));
    auto latest = txn.audit().LatestCheckpoint();
    EXPECT_OK(latest);
    if (latest.ok()) {
      EXPECT_EQ(latest->size, 1u);
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(AuditedWrite("after-reopen", false));  // keeps growing at seq 16
  EXPECT_EQ(AllEntries().back(), "after-reopen");
}

TEST_F(AuditDurabilityTest, AuditRowsAreInsideTheEncryption) {
  const std::vector<std::string> markers = {
      "AUDIT-ENTRY-MARKER-7741", "FRONTIER-MARKER-2209",
      "CHECKPOINT-NOTE-MARKER-3318", "SUBTREEHASH-MARKER-0123456789012"};
  MustWrite([&](Transaction& txn) -> absl::Status {
    absl::Status s = AppendNext(txn, "{\"actor\":\"" + markers[0] + "\"}");
    for (int i = 1; s.ok() && i < 16; ++i) s = AppendNext(txn, "{}");
    if (s.ok()) s = txn.audit().StoreTreeState({16, markers[1]});
    if (s.ok()) s = txn.audit().InsertCheckpoint({16, markers[2], 5});
    if (s.ok()) s = txn.audit().PutSubtreeHash(4, 0, markers[3]);
    return s;
  });
  auto expect_absent = [&](const std::string& bytes, const char* which) {
    for (const std::string& marker : markers) {
      EXPECT_EQ(bytes.find(marker), std::string::npos) << marker << " in "
                                                       << which;
    }
  };
  const std::string wal = ReadFileBytes(path() + "-wal");
  EXPECT_FALSE(wal.empty());
  expect_absent(wal, "wal");
  expect_absent(ReadFileBytes(path()), "main file (open)");
  store_.reset();  // checkpoints the WAL into the main file
  expect_absent(ReadFileBytes(path()), "main file (closed)");
}

// Each statement is valid SQL that succeeds once the v2 triggers are
// dropped (in a callback that is then rolled back), and is refused with them.
TEST_F(AuditDurabilityTest, TablesAreAppendOnlyEvenToRawSql) {
  ASSERT_OK(AuditedWrite("fixed", false));
  auto drop_triggers = [](Connection& db) -> absl::Status {
    std::vector<std::string> names;
    {
      auto stmt = db.Prepare(
          "SELECT name FROM sqlite_master WHERE type = 'trigger'", "triggers");
      if (!stmt.ok()) return stmt.status();
      for (auto row = stmt->Step(); row.ok() && *row; row = stmt->Step()) {
        names.push_back(stmt->ColumnText(0));
      }
    }
    EXPECT_EQ(names.size(), 6u);
    for (const std::string& name : names) {
      const std::string sql = "DROP TRIGGER " + name;  // a schema name
      absl::Status s = db.Exec(sql.c_str(), "drop trigger");
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  };
  for (const char* sql :
       {"UPDATE audit_entries SET entry = x'00'", "DELETE FROM audit_entries",
        "INSERT INTO audit_entries VALUES (5, zeroblob(32), x'00')",
        "INSERT OR REPLACE INTO audit_entries VALUES (0, zeroblob(32), x'00')",
        "UPDATE audit_checkpoints SET signed_note = x'00'",
        "DELETE FROM audit_checkpoints",
        "INSERT INTO audit_checkpoints VALUES (0, x'00', 0)",
        "INSERT OR REPLACE INTO audit_checkpoints VALUES (1, x'00', 0)"}) {
    EXPECT_THAT(store_->Write([&](Transaction& txn) -> absl::Status {
      Connection& db = static_cast<SqlTransaction&>(txn).connection();
      absl::Status s = drop_triggers(db);
      if (s.ok()) s = db.Exec(sql, "raw");
      return s.ok() ? absl::CancelledError("roll back") : s;
    }),
                StatusIs(absl::StatusCode::kCancelled))
        << "without triggers: " << sql;
    EXPECT_FALSE(store_->Write([&](Transaction& txn) {
      return static_cast<SqlTransaction&>(txn).connection().Exec(sql, "raw");
    }).ok()) << sql;
  }
  EXPECT_THAT(AllEntries(), ElementsAre("fixed"));
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    auto latest = txn.audit().LatestCheckpoint();
    EXPECT_OK(latest);
    if (latest.ok()) {
      EXPECT_EQ(latest->signed_note, "note");
    }
    return absl::OkStatus();
  }));
}

// EntryCount() runs before every append: it must be a B-tree seek
// (SQLite's min/max optimisation), not a scan of the log.
TEST_F(AuditDurabilityTest, EntryCountIsALookupNotAScan) {
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    Connection& db = static_cast<SqlTransaction&>(txn).connection();
    auto stmt = db.Prepare(
        "EXPLAIN QUERY PLAN SELECT max(seq) FROM audit_entries", "plan");
    if (!stmt.ok()) return stmt.status();
    auto row = stmt->Step();
    EXPECT_THAT(row, IsOkAndHolds(true));
    EXPECT_THAT(stmt->ColumnText(3), ::testing::StartsWith("SEARCH"));
    return absl::OkStatus();
  }));
}

TEST_F(AuditDurabilityTest, ReadCannotAppend) {
  EXPECT_FALSE(store_->Read([](Transaction& txn) {
    return AppendNext(txn, "sneaky");
  }).ok());
  EXPECT_TRUE(AllEntries().empty());
}

}  // namespace
}  // namespace casevault::storage::testing
