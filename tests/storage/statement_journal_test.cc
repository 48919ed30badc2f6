// G13 (docs/storage.md): the writes of the hot paths need no statement
// journal. SQLCipher encrypts and MACs every page SQLite copies into one, so
// a statement that needs it pays a page of crypto per page it changes, on
// top of the COMMIT's. SQLite keeps a statement journal in memory (always,
// with temp_store MEMORY, the default of Debian's SQLCipher build; else up
// to a spill threshold). With temp_store FILE and the threshold at 0 it
// opens every one through the VFS, where the fault VFS counts it.
#include <sqlcipher/sqlite3.h>

#include <string>

#include "common/status_macros.h"
#include "fault_store_fixture.h"
#include "storage/sql_repositories.h"

namespace casevault::storage::testing {
namespace {

class StatementJournalTest : public FaultStoreTest {
 protected:
  void SetUp() override {
    SetSpillThreshold(0);
    FaultStoreTest::SetUp();
    // Read at each BEGIN of a write transaction, so from the next batch on.
    ASSERT_OK(store_->Write([](Transaction& txn) {
      return static_cast<SqlTransaction&>(txn).connection().Exec(
          "PRAGMA temp_store = FILE", "temp_store");
    }));
  }
  void TearDown() override {
    FaultStoreTest::TearDown();  // closes the store
    SetSpillThreshold(64 * 1024);  // SQLite's default
  }
  // Only while no connection is open (sqlite3_config's rule).
  static void SetSpillThreshold(int bytes) {
    ASSERT_EQ(sqlite3_shutdown(), SQLITE_OK);
    ASSERT_EQ(sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes), SQLITE_OK);
    ASSERT_EQ(sqlite3_initialize(), SQLITE_OK);
  }
  // Statement journals opened by one Write() of `work`, which must succeed.
  template <typename Fn>
  int64_t JournalsOf(Fn work) {
    const int64_t before = FaultVfs::statement_journals();
    EXPECT_OK(store_->Write([&](Transaction& txn) { return work(txn); }));
    return FaultVfs::statement_journals() - before;
  }
};

// The counter sees a statement that needs a journal: the audit append as it
// was before v5, a plain INSERT (its CHECKs may ABORT) firing a trigger.
TEST_F(StatementJournalTest, TheCounterSeesAStatementThatNeedsOne) {
  ASSERT_EQ(JournalsOf([](Transaction& txn) {
              return txn.audit().Append(0, "{}", std::string(32, 'h'));
            }),
            0);
  EXPECT_GE(JournalsOf([](Transaction& txn) {
              return static_cast<SqlTransaction&>(txn).connection().Exec(
                  "INSERT INTO audit_entries (seq, leaf_hash, entry) "
                  "VALUES (1, zeroblob(32), x'00')",
                  "raw append");
            }),
            1);
}

TEST_F(StatementJournalTest, AuditWritesNeedNone) {
  for (uint64_t seq = 0; seq < 40; ++seq) {  // several pages of entries
    SCOPED_TRACE(seq);
    EXPECT_EQ(JournalsOf([&](Transaction& txn) -> absl::Status {
                auto& log = txn.audit();
                RETURN_IF_ERROR(log.Append(seq, std::string(300, 'e'),
                                           std::string(32, 'h')));
                RETURN_IF_ERROR(log.StoreTreeState(
                    {seq + 1, std::string(32 * (seq % 5 + 1), 'f')}));
                if (seq % 16 == 15) {
                  RETURN_IF_ERROR(
                      log.PutSubtreeHash(4, seq / 16, std::string(32, 's')));
                }
                if (seq % 10 == 9) {
                  AuditCheckpointRecord checkpoint;
                  checkpoint.size = seq + 1;
                  checkpoint.signed_note = "note";
                  checkpoint.created_at = 5;
                  RETURN_IF_ERROR(log.InsertCheckpoint(checkpoint));
                }
                return absl::OkStatus();
              }),
              0);
  }
}

TEST_F(StatementJournalTest, CaseWritesNeedNone) {
  const int64_t owner = AddAccount("owner");
  CaseRecord record = MakeCase("c1", "school-1", owner, 10);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().Insert(record);
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().InsertNote(MakeNote("n1", "c1", 20));
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().Touch("c1", 30, record.version);
            }),
            0);
  CaseRecord next = record;
  next.version = record.version + 2;
  next.status = 1;
  next.escalation = 1;
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().Update(next, record.version + 1);
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.coordination().InsertStep(
                  MakeStep("s1", "c1", "2026-12-01"));
            }),
            0);
  StepRecord step = MakeStep("s1", "c1", "2026-12-02", /*status=*/2);
  step.version = 2;
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.coordination().UpdateStep(step, 1);
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.coordination().InsertConsent(MakeConsent("k1", "c1"));
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.coordination().WithdrawConsent("k1", 900, owner);
            }),
            0);
}

// The deletes: a session's sign-out, an account's sessions when it changes,
// the expiry sweep and a case member's removal. The multi-row ones need
// none either: SQLite journals a statement only when it may abort halfway,
// and nothing here fires a trigger or checks a constraint on delete.
TEST_F(StatementJournalTest, SessionAndMemberWritesNeedNone) {
  const int64_t owner = AddAccount("owner");
  const int64_t member = AddAccount("member");
  for (int i = 0; i < 30; ++i) {  // more than a page of sessions
    SessionRecord session;
    session.token_hash = std::string(31, 't') + static_cast<char>('A' + i);
    session.account_id = i % 2 == 0 ? owner : member;
    session.created_at = 10;
    session.last_used_at = 10;
    session.expires_at = i < 10 ? 100 : 1000;
    EXPECT_EQ(JournalsOf([&](Transaction& txn) {
                return txn.sessions().Insert(session);
              }),
              0);
  }
  const std::string last = std::string(31, 't') + 'A';
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.sessions().Touch(last, 50);
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.sessions().Delete(last);
            }),
            0);
  int64_t expired = 0;
  EXPECT_EQ(JournalsOf([&](Transaction& txn) -> absl::Status {
              ASSIGN_OR_RETURN(expired, txn.sessions().DeleteExpired(500));
              return absl::OkStatus();
            }),
            0);
  EXPECT_EQ(expired, 9);  // the first of the ten is signed out already
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {  // ten rows
              return txn.sessions().DeleteForAccount(member);
            }),
            0);

  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().Insert(MakeCase("c1", "school-1", owner, 10));
            }),
            0);
  CaseMemberRecord membership;
  membership.case_id = "c1";
  membership.account_id = member;
  membership.kind = MemberKind::kImplicated;
  membership.added_by = owner;
  membership.added_at = 20;
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().AddMember(membership);
            }),
            0);
  EXPECT_EQ(JournalsOf([&](Transaction& txn) {
              return txn.cases().RemoveMember("c1", member,
                                              MemberKind::kImplicated);
            }),
            0);
}

}  // namespace
}  // namespace casevault::storage::testing
