// The auditor's desk: checkpoints, proofs and exports of the audit log, and
// the case-reference lookup. Only auditors read or export the log; admins
// (any case) and principals (cases of their school) look up references.
// Every call is itself audited (audit.checkpoint, audit.proof,
// audit.export, audit.case_ref) in the transaction that answers it, and
// fails closed like every other operation (audit_trail.h, Record).
#ifndef CASEVAULT_DOMAIN_AUDIT_DESK_H_
#define CASEVAULT_DOMAIN_AUDIT_DESK_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "audit/merkle.h"
#include "domain/audit_trail.h"
#include "domain/policy.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

struct CheckpointView {
  uint64_t size = 0;
  audit::Hash root{};
  std::string signed_note;   // exactly as stored
  std::string verifier_key;  // the published form
};

struct InclusionView {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string entry;                         // the entry's exact bytes
  std::vector<audit::Hash> hashes;           // RFC 9162 audit path
  std::optional<CheckpointView> checkpoint;  // of tree_size, if one exists
};

struct ConsistencyView {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<audit::Hash> hashes;
};

// One piece of an export, in the order ExportLog emits them: one kStart,
// zero or more kEntries, one kEnd (docs/audit-log.md, "Export file").
struct ExportChunk {
  enum class Kind { kStart, kEntries, kEnd };
  Kind kind = Kind::kStart;
  // kStart: where the export starts, the frontier of the tree of `from`
  // entries, and how many entries follow.
  uint64_t from = 0;
  std::vector<audit::Hash> frontier;
  uint64_t total_entries = 0;
  // kEntries: consecutive entries, exact bytes.
  std::vector<std::string> entries;
  // kEnd: the signed checkpoint of size from + total_entries.
  std::string signed_note;
};

struct AuditDeskOptions {
  // An export chunk holds entries up to about this many bytes.
  size_t export_chunk_bytes = 256 * 1024;
};

class AuditDesk {
 public:
  AuditDesk(storage::Store& store, const AuditTrail& trail,
            AuditDeskOptions options = {})
      : store_(store), trail_(trail), options_(options) {}

  // The latest checkpoint; with `sign_now` (or when none exists yet) one
  // signed for the log including this call's own entry.
  [[nodiscard]] absl::StatusOr<CheckpointView> GetCheckpoint(
      const Caller& caller, bool sign_now);

  // The inclusion proof of entry `index` in the tree of `tree_size` entries
  // (0: the latest checkpoint's size). INVALID_ARGUMENT when index >=
  // tree_size or tree_size is beyond the log; FAILED_PRECONDITION when
  // tree_size is 0 and nothing was signed yet.
  [[nodiscard]] absl::StatusOr<InclusionView> GetInclusionProof(
      const Caller& caller, uint64_t index, uint64_t tree_size);

  // The consistency proof from `old_size` to `new_size` (0: the latest
  // checkpoint's size). INVALID_ARGUMENT unless 0 < old_size <= new_size <=
  // the log's size.
  [[nodiscard]] absl::StatusOr<ConsistencyView> GetConsistencyProof(
      const Caller& caller, uint64_t old_size, uint64_t new_size);

  // Appends this export's entry and signs a checkpoint of the log with it
  // (one Write), then streams entries [from, checkpoint size) to `sink`
  // from one read snapshot, in chunks of about export_chunk_bytes, holding
  // one chunk in memory at a time. INVALID_ARGUMENT when `from` is beyond
  // the log. Stops at and returns `sink`'s first error.
  [[nodiscard]] absl::Status ExportLog(
      const Caller& caller, uint64_t from,
      absl::FunctionRef<absl::Status(const ExportChunk&)> sink);

  // The reference the log uses for `case_id` (AuditTrail::CaseRef).
  // PERMISSION_DENIED for roles that may never look one up; NOT_FOUND for a
  // missing case, for a principal's lookup of another school's case, and
  // for an account implicated in the case.
  [[nodiscard]] absl::StatusOr<std::string> LookupCaseRef(
      const Caller& caller, const std::string& case_id);

 private:
  // Record() with `after` run in the same Write once the entry is appended,
  // when the operation succeeded (to sign a checkpoint that includes it).
  [[nodiscard]] absl::Status RecordThen(
      const Caller& caller, Action action,
      absl::FunctionRef<absl::Status(storage::Transaction&, AuditEvent&)>
          operation,
      absl::FunctionRef<absl::Status(storage::Transaction&)> after);

  storage::Store& store_;
  const AuditTrail& trail_;
  const AuditDeskOptions options_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_AUDIT_DESK_H_
