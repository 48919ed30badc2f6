// The repositories over one SQLite connection, and the Transaction that
// hands them to a Store callback. Every statement is a cached prepared
// statement with bound values. Used only on the thread that owns the
// connection (see connection.h). A write changes at most one row; UPDATEs
// and INSERTs that fire a trigger say OR FAIL, so that SQLite needs no
// statement journal, which SQLCipher would encrypt (sqlcipher_store.cc,
// G13).
#ifndef CASEVAULT_STORAGE_SQL_REPOSITORIES_H_
#define CASEVAULT_STORAGE_SQL_REPOSITORIES_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "storage/connection.h"
#include "storage/repositories.h"
#include "storage/store.h"

namespace casevault::storage {

class SqlAccountRepository final : public AccountRepository {
 public:
  explicit SqlAccountRepository(Connection& db) : db_(db) {}
  absl::StatusOr<int64_t> Insert(const AccountRecord& record) override;
  absl::StatusOr<AccountRecord> FindByUsername(
      const std::string& username) override;
  absl::StatusOr<AccountRecord> FindById(int64_t id) override;
  absl::Status Update(const AccountRecord& record) override;
  absl::StatusOr<std::vector<AccountRecord>> List(
      const std::string& after_username, int32_t limit) override;
  absl::StatusOr<int64_t> Count() override;

 private:
  Connection& db_;
};

class SqlSessionRepository final : public SessionRepository {
 public:
  explicit SqlSessionRepository(Connection& db) : db_(db) {}
  absl::Status Insert(const SessionRecord& record) override;
  absl::StatusOr<SessionRecord> Find(const std::string& token_hash) override;
  absl::Status Touch(const std::string& token_hash,
                     UnixMillis last_used_at) override;
  absl::Status Delete(const std::string& token_hash) override;
  absl::Status DeleteForAccount(int64_t account_id) override;
  absl::StatusOr<int64_t> DeleteExpired(UnixMillis now) override;

 private:
  Connection& db_;
};

class SqlCaseRepository final : public CaseRepository {
 public:
  explicit SqlCaseRepository(Connection& db) : db_(db) {}
  absl::Status Insert(const CaseRecord& record) override;
  absl::StatusOr<CaseRecord> Find(const std::string& case_id) override;
  absl::StatusOr<std::vector<CaseRecord>> List(
      const CaseFilter& filter) override;
  absl::StatusOr<int64_t> Count() override;
  absl::Status Update(const CaseRecord& record,
                      int64_t expected_version) override;
  absl::Status Touch(const std::string& case_id, UnixMillis updated_at,
                     int64_t expected_version) override;
  absl::Status InsertNote(const NoteRecord& note) override;
  absl::StatusOr<std::vector<NoteRecord>> ListNotes(
      const std::string& case_id) override;
  absl::Status AddMember(const CaseMemberRecord& member) override;
  absl::Status RemoveMember(const std::string& case_id, int64_t account_id,
                            MemberKind kind) override;
  absl::StatusOr<std::vector<CaseMemberRecord>> ListMembers(
      const std::string& case_id) override;

 private:
  // After an UPDATE ... WHERE id AND version that changed nothing:
  // NOT_FOUND for a missing case, else ABORTED (a stale version).
  absl::Status NoCaseUpdated(const std::string& case_id);

  Connection& db_;
};

class SqlCoordinationRepository final : public CoordinationRepository {
 public:
  explicit SqlCoordinationRepository(Connection& db) : db_(db) {}
  absl::Status InsertStep(const StepRecord& step) override;
  absl::StatusOr<StepRecord> FindStep(const std::string& step_id) override;
  absl::Status UpdateStep(const StepRecord& step,
                          int64_t expected_version) override;
  absl::StatusOr<std::vector<StepRecord>> ListSteps(
      const std::string& case_id) override;
  absl::StatusOr<std::vector<StepRecord>> FindSteps(
      const StepFilter& filter) override;
  absl::Status InsertConsent(const ConsentRecord& consent) override;
  absl::StatusOr<ConsentRecord> FindConsent(
      const std::string& consent_id) override;
  absl::Status WithdrawConsent(const std::string& consent_id, UnixMillis at,
                               int64_t by) override;
  absl::StatusOr<std::vector<ConsentRecord>> ListConsents(
      const std::string& case_id) override;
  absl::Status InsertOverride(const OverrideRecord& override_record) override;
  absl::StatusOr<std::vector<OverrideRecord>> ListOverrides(
      const std::string& case_id) override;

 private:
  Connection& db_;
};

class SqlAuditRepository final : public AuditRepository {
 public:
  explicit SqlAuditRepository(Connection& db) : db_(db) {}
  absl::Status Append(uint64_t seq, const std::string& entry,
                      const std::string& leaf_hash) override;
  absl::StatusOr<uint64_t> EntryCount() override;
  absl::StatusOr<std::string> LeafHash(uint64_t seq) override;
  absl::StatusOr<std::vector<std::string>> LeafHashes(uint64_t begin,
                                                      uint64_t end) override;
  absl::Status ScanEntries(
      uint64_t begin, uint64_t end,
      absl::FunctionRef<absl::Status(const AuditEntryRecord&)> sink) override;
  absl::StatusOr<AuditTreeState> LoadTreeState() override;
  absl::Status StoreTreeState(const AuditTreeState& state) override;
  absl::Status PutSubtreeHash(int level, uint64_t index,
                              const std::string& hash) override;
  absl::StatusOr<std::string> SubtreeHash(int level, uint64_t index) override;
  absl::Status InsertCheckpoint(
      const AuditCheckpointRecord& checkpoint) override;
  absl::StatusOr<AuditCheckpointRecord> LatestCheckpoint() override;
  absl::StatusOr<AuditCheckpointRecord> CheckpointAt(uint64_t size) override;

 private:
  // NOT_FOUND unless begin <= end <= EntryCount() (INVALID_ARGUMENT when
  // begin > end).
  absl::Status CheckRange(uint64_t begin, uint64_t end);

  Connection& db_;
};

// The outer status of an optimistic Savepoint() whose work failed after
// changing rows (SqlTransaction::set_optimistic).
inline constexpr char kUndoNeeded[] =
    "the operation failed after writing; run again with savepoints";

// The repositories of one connection. The Store reuses one per connection
// for every callback run on it.
class SqlTransaction final : public Transaction {
 public:
  explicit SqlTransaction(Connection& db)
      : db_(db),
        accounts_(db),
        sessions_(db),
        cases_(db),
        coordination_(db),
        audit_(db) {}
  AccountRepository& accounts() override { return accounts_; }
  SessionRepository& sessions() override { return sessions_; }
  CaseRepository& cases() override { return cases_; }
  CoordinationRepository& coordination() override { return coordination_; }
  AuditRepository& audit() override { return audit_; }
  absl::StatusOr<WorkOutcome> Savepoint(
      absl::FunctionRef<absl::Status()> work) override;
  // For storage internals and store_testing.h only.
  Connection& connection() { return db_; }
  // The committer's optimistic mode (sqlcipher_store.cc, G4): Savepoint()
  // opens no SQL savepoint; `work` runs directly, and if it fails after
  // changing rows the outer status is ABORTED (kUndoNeeded), so that the
  // callback fails and the committer runs the batch again with savepoints.
  // A callback that swallowed that ABORTED is rolled back all the same: the
  // committer asks here after each optimistic callback.
  void set_optimistic(bool optimistic) {
    optimistic_ = optimistic;
    undo_needed_ = false;
  }
  bool TakeUndoNeeded() { return std::exchange(undo_needed_, false); }

 private:
  Connection& db_;
  // Names savepoints uniquely for the life of the connection ("cv_sp_<n>").
  // Used only by the connection's one user (see connection.h).
  uint64_t savepoints_opened_ = 0;
  bool optimistic_ = false;
  bool undo_needed_ = false;
  SqlAccountRepository accounts_;
  SqlSessionRepository sessions_;
  SqlCaseRepository cases_;
  SqlCoordinationRepository coordination_;
  SqlAuditRepository audit_;
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_SQL_REPOSITORIES_H_
