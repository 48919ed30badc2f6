// Transaction::Savepoint: a nested unit of work rolled back alone.
#include <string>
#include <thread>

#include "common/status_macros.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage/store_testing.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::HasSubstr;

absl::Status Exists(Transaction& txn, const std::string& id) {
  return txn.cases().Find(id).status();
}

class SavepointTest : public StoreTest {
 protected:
  // Expects the case `id` to be stored (true) or absent (false), after
  // reopening the file so that only durable rows count.
  void ExpectStored(const std::vector<std::pair<std::string, bool>>& cases) {
    OpenStore();
    ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      for (const auto& [id, stored] : cases) {
        if (stored) {
          EXPECT_OK(Exists(txn, id)) << id;
        } else {
          EXPECT_THAT(Exists(txn, id), StatusIs(absl::StatusCode::kNotFound))
              << id;
        }
      }
      return absl::OkStatus();
    }));
  }
};

TEST_F(SavepointTest, FailedWorkIsRolledBackAloneAndTheCallbackGoesOn) {
  WorkOutcome inner;
  ASSERT_OK(store_->Write([&](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.cases().Insert(MakeCase("before", "s", 1, 10)));
    ASSIGN_OR_RETURN(inner, txn.Savepoint([&]() -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("inside", "s", 1, 20)));
      return absl::PermissionDeniedError("denied after a write");
    }));
    // The rolled-back row is gone inside the same transaction already.
    EXPECT_THAT(Exists(txn, "inside"), StatusIs(absl::StatusCode::kNotFound));
    return txn.cases().Insert(MakeCase("after", "s", 1, 30));
  }));
  EXPECT_THAT(inner.status, StatusIs(absl::StatusCode::kPermissionDenied,
                              HasSubstr("denied after a write")));
  ExpectStored({{"before", true}, {"inside", false}, {"after", true}});
}

// On the committer's optimistic path no SQL savepoint exists to roll back
// to: work that fails after writing makes the whole batch run again with
// savepoints, even if the callback ignores the savepoint's ABORTED.
TEST_F(SavepointTest, IgnoredUndoStillRollsTheFailedWorkBack) {
  int runs = 0;
  ASSERT_OK(store_->Write([&](Transaction& txn) -> absl::Status {
    ++runs;
    RETURN_IF_ERROR(txn.cases().Insert(MakeCase("kept", "s", 1, 10)));
    (void)txn.Savepoint([&]() -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("undone", "s", 1, 20)));
      return absl::PermissionDeniedError("denied after a write");
    });
    return absl::OkStatus();
  }));
  EXPECT_EQ(runs, 2);  // optimistic, then with savepoints
  EXPECT_EQ(store_->stats().replays, 1u);
  ExpectStored({{"kept", true}, {"undone", false}});
}

TEST_F(SavepointTest, SuccessfulWorkIsKept) {
  WorkOutcome inner{absl::UnknownError("not run")};
  ASSERT_OK(store_->Write([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(inner, txn.Savepoint([&] {
      return txn.cases().Insert(MakeCase("kept", "s", 1, 10));
    }));
    return absl::OkStatus();
  }));
  EXPECT_OK(inner.status);
  ExpectStored({{"kept", true}});
}

TEST_F(SavepointTest, KeptWorkStillDiesWithItsCallback) {
  const absl::Status status =
      store_->Write([&](Transaction& txn) -> absl::Status {
        ASSIGN_OR_RETURN(WorkOutcome inner, txn.Savepoint([&] {
          return txn.cases().Insert(MakeCase("doomed", "s", 1, 10));
        }));
        EXPECT_OK(inner.status);
        return absl::UnavailableError("the audit entry could not be written");
      });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kUnavailable));
  ExpectStored({{"doomed", false}});
}

TEST_F(SavepointTest, SavepointsNest) {
  WorkOutcome outer_work, inner_work;
  ASSERT_OK(store_->Write([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(outer_work, txn.Savepoint([&]() -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("outer", "s", 1, 10)));
      ASSIGN_OR_RETURN(inner_work, txn.Savepoint([&]() -> absl::Status {
        RETURN_IF_ERROR(txn.cases().Insert(MakeCase("inner", "s", 1, 20)));
        return absl::AbortedError("inner fails");
      }));
      return txn.cases().Insert(MakeCase("outer-2", "s", 1, 30));
    }));
    // A second savepoint after the first is closed gets a fresh name.
    ASSIGN_OR_RETURN(WorkOutcome third, txn.Savepoint([&]() -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("third", "s", 1, 40)));
      return absl::NotFoundError("third fails");
    }));
    EXPECT_THAT(third.status, StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  EXPECT_OK(outer_work.status);
  EXPECT_THAT(inner_work.status, StatusIs(absl::StatusCode::kAborted));
  ExpectStored({{"outer", true}, {"inner", false}, {"outer-2", true},
                {"third", false}});
}

TEST_F(SavepointTest, ClashInsideASavepointLeavesTheTransactionUsable) {
  WorkOutcome clash;
  ASSERT_OK(store_->Write([&](Transaction& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.cases().Insert(MakeCase("one", "s", 1, 10)));
    ASSIGN_OR_RETURN(clash, txn.Savepoint([&]() -> absl::Status {
      RETURN_IF_ERROR(txn.cases().Insert(MakeCase("two", "s", 1, 20)));
      return txn.cases().Insert(MakeCase("one", "s", 1, 30));  // clashes
    }));
    return txn.cases().Insert(MakeCase("three", "s", 1, 40));
  }));
  EXPECT_THAT(clash.status, StatusIs(absl::StatusCode::kAlreadyExists));
  ExpectStored({{"one", true}, {"two", false}, {"three", true}});
}

TEST_F(SavepointTest, WorksInAReadTransaction) {
  AddAccount("reader");
  WorkOutcome inner;
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    ASSIGN_OR_RETURN(inner, txn.Savepoint([&] {
      return txn.accounts().FindByUsername("nobody").status();
    }));
    return txn.accounts().FindByUsername("reader").status();
  }));
  EXPECT_THAT(inner.status, StatusIs(absl::StatusCode::kNotFound));
}

// Batch-mates each open savepoints; one's rollback never reaches another's.
TEST_F(SavepointTest, BatchMatesKeepTheirOwnSavepoints) {
  CommitterHold hold(*store_);
  WorkOutcome first_inner, second_inner;
  absl::Status first, second;
  std::thread t1([&] {
    first = store_->Write([&](Transaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(first_inner, txn.Savepoint([&] {
        return txn.cases().Insert(MakeCase("a", "s", 1, 10));
      }));
      return absl::OkStatus();
    });
  });
  WaitForQueuedWritesForTest(*store_, 1);
  std::thread t2([&] {
    second = store_->Write([&](Transaction& txn) -> absl::Status {
      ASSIGN_OR_RETURN(second_inner, txn.Savepoint([&]() -> absl::Status {
        RETURN_IF_ERROR(txn.cases().Insert(MakeCase("b", "s", 1, 20)));
        return absl::InvalidArgumentError("b is refused");
      }));
      return txn.cases().Insert(MakeCase("c", "s", 1, 30));
    });
  });
  WaitForQueuedWritesForTest(*store_, 2);
  hold.Release();
  for (std::thread* t : {&t1, &t2}) t->join();
  EXPECT_OK(first);
  EXPECT_OK(second);
  EXPECT_OK(first_inner.status);
  EXPECT_THAT(second_inner.status, StatusIs(absl::StatusCode::kInvalidArgument));
  ExpectStored({{"a", true}, {"b", false}, {"c", true}});
}

}  // namespace
}  // namespace casevault::storage::testing
