// Repository interfaces, valid only inside a Store transaction callback.
// Every method: OK on success; NOT_FOUND when the row is absent;
// ALREADY_EXISTS on a unique-key clash; UNAVAILABLE/INTERNAL for I/O errors
// (message without data). Inserting a row whose parent is missing (a session
// for an unknown account, a note for an unknown case) is NOT_FOUND.
#ifndef CASEVAULT_STORAGE_REPOSITORIES_H_
#define CASEVAULT_STORAGE_REPOSITORIES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "storage/records.h"

namespace casevault::storage {

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // Sets record.id is ignored; returns the new id.
  virtual absl::StatusOr<int64_t> Insert(const AccountRecord& record) = 0;
  virtual absl::StatusOr<AccountRecord> FindByUsername(const std::string& username) = 0;
  virtual absl::StatusOr<AccountRecord> FindById(int64_t id) = 0;
  // Overwrites every column but id, username and created_at.
  virtual absl::Status Update(const AccountRecord& record) = 0;
  // Ordered by username; at most `limit` after `after_username` (exclusive).
  virtual absl::StatusOr<std::vector<AccountRecord>> List(const std::string& after_username, int32_t limit) = 0;
  virtual absl::StatusOr<int64_t> Count() = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual absl::Status Insert(const SessionRecord& record) = 0;
  virtual absl::StatusOr<SessionRecord> Find(const std::string& token_hash) = 0;
  virtual absl::Status Touch(const std::string& token_hash, UnixMillis last_used_at) = 0;
  virtual absl::Status Delete(const std::string& token_hash) = 0;
  virtual absl::Status DeleteForAccount(int64_t account_id) = 0;
  // Removes sessions whose absolute expiry is before `now`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteExpired(UnixMillis now) = 0;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  virtual absl::Status Insert(const CaseRecord& record) = 0;
  virtual absl::StatusOr<CaseRecord> Find(const std::string& case_id) = 0;
  virtual absl::StatusOr<std::vector<CaseRecord>> List(const CaseFilter& filter) = 0;
  virtual absl::StatusOr<int64_t> Count() = 0;
  // ABORTED if the stored version is not `expected_version`; on success the
  // row holds `record` (whose version the caller has already advanced).
  virtual absl::Status Update(const CaseRecord& record, int64_t expected_version) = 0;
  // Sets only updated_at and version (= expected_version + 1), with the
  // same ABORTED / NOT_FOUND as Update. No indexed column is written, so it
  // changes the row's own page and nothing else; Update rewrites every index
  // entry of the case, which on a large store means pages all over the file.
  virtual absl::Status Touch(const std::string& case_id, UnixMillis updated_at,
                             int64_t expected_version) = 0;
  virtual absl::Status InsertNote(const NoteRecord& note) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<NoteRecord>> ListNotes(const std::string& case_id) = 0;

  // Memberships (schema v3). ALREADY_EXISTS when the same (case, account,
  // kind) is there; NOT_FOUND when the case is missing.
  virtual absl::Status AddMember(const CaseMemberRecord& member) = 0;
  // NOT_FOUND when there is no such membership.
  virtual absl::Status RemoveMember(const std::string& case_id, int64_t account_id, MemberKind kind) = 0;
  // Every membership of the case, ordered by (added_at, rowid).
  virtual absl::StatusOr<std::vector<CaseMemberRecord>> ListMembers(const std::string& case_id) = 0;
};

// Coordination steps, consent and overrides (schema v3). Inserting a row for
// a missing case is NOT_FOUND; a duplicate id is ALREADY_EXISTS.
class CoordinationRepository {
 public:
  virtual ~CoordinationRepository() = default;
  virtual absl::Status InsertStep(const StepRecord& step) = 0;
  virtual absl::StatusOr<StepRecord> FindStep(const std::string& step_id) = 0;
  // ABORTED if the stored version is not `expected_version` (message: "the
  // step was changed by someone else; reload it and try again"); NOT_FOUND
  // when missing. Overwrites every column but id, case_id, created_by and
  // created_at.
  virtual absl::Status UpdateStep(const StepRecord& step, int64_t expected_version) = 0;
  // The case's steps ordered by (due_date, created_at, id).
  virtual absl::StatusOr<std::vector<StepRecord>> ListSteps(const std::string& case_id) = 0;
  // Across cases; see StepFilter. Negative limit is INVALID_ARGUMENT.
  virtual absl::StatusOr<std::vector<StepRecord>> FindSteps(const StepFilter& filter) = 0;

  virtual absl::Status InsertConsent(const ConsentRecord& consent) = 0;
  virtual absl::StatusOr<ConsentRecord> FindConsent(const std::string& consent_id) = 0;
  // Sets withdrawn_at / withdrawn_by. NOT_FOUND when missing;
  // FAILED_PRECONDITION when already withdrawn.
  virtual absl::Status WithdrawConsent(const std::string& consent_id, UnixMillis at, int64_t by) = 0;
  // Ordered by (recorded_at, rowid).
  virtual absl::StatusOr<std::vector<ConsentRecord>> ListConsents(const std::string& case_id) = 0;

  virtual absl::Status InsertOverride(const OverrideRecord& override_record) = 0;
  // Ordered by (recorded_at, rowid).
  virtual absl::StatusOr<std::vector<OverrideRecord>> ListOverrides(const std::string& case_id) = 0;
};

// Persistence of the verifiable audit log (docs/storage.md, "v2: the audit
// log").
// Storage keeps opaque bytes and hashes; the domain computes hashes, the
// frontier and signed checkpoints with audit/, and calls these inside the
// same Write() as the operation it records, so an entry, the tree state and
// the operation commit or roll back together.
//
// Perfect-subtree cache: level L, index i is MTH of leaves
// [i * 2^L, (i + 1) * 2^L). Only levels >= kAuditSubtreeMinLevel are stored
// (about n / 8 hashes for n entries); a subtree below that level is folded
// from its at most 8 leaf hashes. A proof thus costs O(log n) cache lookups
// plus at most 15 leaf hashes from each aligned 16-leaf block it touches
// (one block for an inclusion proof, two for a consistency proof).
inline constexpr size_t kAuditHashSize = 32;
inline constexpr int kAuditSubtreeMinLevel = 4;
inline constexpr int kAuditSubtreeMaxLevel = 63;
// LeafHashes() returns at most this many hashes (2 MiB) per call.
inline constexpr uint64_t kMaxLeafHashRange = uint64_t{1} << 16;

class AuditRepository {
 public:
  virtual ~AuditRepository() = default;

  // Appends entry `seq`, which must equal EntryCount(): FAILED_PRECONDITION
  // otherwise (no gaps, no duplicates). INVALID_ARGUMENT unless `leaf_hash`
  // is kAuditHashSize bytes. Entries are never updated or deleted.
  [[nodiscard]] virtual absl::Status Append(uint64_t seq,
                                            const std::string& entry,
                                            const std::string& leaf_hash) = 0;
  // The number of stored entries (the next seq). O(log n).
  [[nodiscard]] virtual absl::StatusOr<uint64_t> EntryCount() = 0;
  // NOT_FOUND when seq >= EntryCount().
  [[nodiscard]] virtual absl::StatusOr<std::string> LeafHash(uint64_t seq) = 0;
  // The leaf hashes of [begin, end), in order. INVALID_ARGUMENT when
  // begin > end or the range exceeds kMaxLeafHashRange; NOT_FOUND when
  // end > EntryCount().
  [[nodiscard]] virtual absl::StatusOr<std::vector<std::string>> LeafHashes(
      uint64_t begin, uint64_t end) = 0;
  // Calls `sink` with each entry of [begin, end) in order, one row in memory
  // at a time; stops at and returns the first non-OK status of `sink`.
  // INVALID_ARGUMENT when begin > end; NOT_FOUND when end > EntryCount()
  // (checked before `sink` is first called). `sink` may use the other
  // repositories of the transaction but not start another ScanEntries on it
  // (FAILED_PRECONDITION). In Read() the scan sees one snapshot throughout.
  [[nodiscard]] virtual absl::Status ScanEntries(
      uint64_t begin, uint64_t end,
      absl::FunctionRef<absl::Status(const AuditEntryRecord&)> sink) = 0;

  // The stored state; {0, ""} when none has been stored yet.
  [[nodiscard]] virtual absl::StatusOr<AuditTreeState> LoadTreeState() = 0;
  // Replaces the state. FAILED_PRECONDITION unless state.size ==
  // EntryCount(): store it after the appends it covers, in their Write().
  [[nodiscard]] virtual absl::Status StoreTreeState(
      const AuditTreeState& state) = 0;

  // Caches a perfect-subtree hash. INVALID_ARGUMENT unless
  // kAuditSubtreeMinLevel <= level <= kAuditSubtreeMaxLevel and `hash` is
  // kAuditHashSize bytes; FAILED_PRECONDITION when the subtree reaches past
  // the stored entries; ALREADY_EXISTS when it is cached (hashes of a
  // perfect subtree never change).
  [[nodiscard]] virtual absl::Status PutSubtreeHash(
      int level, uint64_t index, const std::string& hash) = 0;
  // NOT_FOUND when not cached (levels below kAuditSubtreeMinLevel never
  // are); INVALID_ARGUMENT when level is outside [0, kAuditSubtreeMaxLevel].
  [[nodiscard]] virtual absl::StatusOr<std::string> SubtreeHash(
      int level, uint64_t index) = 0;

  // Keeps a signed checkpoint. ALREADY_EXISTS when one of that size is
  // kept; FAILED_PRECONDITION when its size exceeds EntryCount() or is
  // smaller than the latest kept checkpoint's (checkpoints only grow).
  [[nodiscard]] virtual absl::Status InsertCheckpoint(
      const AuditCheckpointRecord& checkpoint) = 0;
  // The checkpoint of the largest size; NOT_FOUND when there is none.
  [[nodiscard]] virtual absl::StatusOr<AuditCheckpointRecord>
  LatestCheckpoint() = 0;
  // NOT_FOUND when no checkpoint of exactly `size` is kept.
  [[nodiscard]] virtual absl::StatusOr<AuditCheckpointRecord> CheckpointAt(
      uint64_t size) = 0;
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_REPOSITORIES_H_
