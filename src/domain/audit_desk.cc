#include "domain/audit_desk.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/hash_reader.h"
#include "audit/proof.h"
#include "common/status_macros.h"
#include "domain/case_validation.h"
#include "domain/case_access.h"
#include "domain/denial.h"
#include "domain/policy.h"
#include "domain/stored_tree.h"

namespace casevault::domain {
namespace {

// The size a request's 0 stands for: the latest checkpoint's.
absl::StatusOr<uint64_t> SizeOrLatest(storage::AuditRepository& log,
                                      uint64_t size) {
  if (size != 0) return size;
  absl::StatusOr<storage::AuditCheckpointRecord> latest =
      log.LatestCheckpoint();
  if (absl::IsNotFound(latest.status())) {
    return absl::FailedPreconditionError("no checkpoint has been signed yet");
  }
  RETURN_IF_ERROR(latest.status());
  return latest->size;
}

absl::StatusOr<CheckpointView> ViewOf(
    const AuditTrail& trail, const storage::AuditCheckpointRecord& record) {
  ASSIGN_OR_RETURN(audit::Checkpoint checkpoint,
                   trail.OpenCheckpoint(record.signed_note));
  CheckpointView view;
  view.size = checkpoint.size;
  view.root = checkpoint.root;
  view.signed_note = record.signed_note;
  view.verifier_key = trail.VerifierKey();
  return view;
}

// The exact bytes of entry `index`.
absl::StatusOr<std::string> EntryAt(storage::AuditRepository& log,
                                    uint64_t index) {
  std::string bytes;
  RETURN_IF_ERROR(log.ScanEntries(index, index + 1,
                                  [&](const storage::AuditEntryRecord& record) {
                                    bytes = record.entry;
                                    return absl::OkStatus();
                                  }));
  return bytes;
}

}  // namespace

absl::Status AuditDesk::RecordThen(
    const Caller& caller, Action action,
    absl::FunctionRef<absl::Status(storage::Transaction&, AuditEvent&)>
        operation,
    absl::FunctionRef<absl::Status(storage::Transaction&)> after) {
  AuditEvent event = EventOf(caller, ActionName(action));
  absl::Status outcome;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> absl::Status {
    AuditEvent filled = event;  // each run starts from the caller's event
    ASSIGN_OR_RETURN(storage::WorkOutcome work,
                     tx.Savepoint([&] { return operation(tx, filled); }));
    outcome = std::move(work.status);
    RETURN_IF_ERROR(trail_.Append(tx, filled, outcome));
    return outcome.ok() ? after(tx) : absl::OkStatus();
  }));
  return outcome;
}

absl::StatusOr<CheckpointView> AuditDesk::GetCheckpoint(const Caller& caller,
                                                        bool sign_now) {
  storage::AuditCheckpointRecord record;
  RETURN_IF_ERROR(RecordThen(
      caller, Action::kReadCheckpoint,
      [&](storage::Transaction&, AuditEvent&) {
        return RequireRole(caller, Action::kReadCheckpoint);
      },
      [&](storage::Transaction& tx) -> absl::Status {
        absl::StatusOr<storage::AuditCheckpointRecord> latest =
            tx.audit().LatestCheckpoint();
        if (sign_now || absl::IsNotFound(latest.status())) {
          latest = trail_.SignCheckpoint(tx);
        }
        RETURN_IF_ERROR(latest.status());
        record = *std::move(latest);
        return absl::OkStatus();
      }));
  return ViewOf(trail_, record);
}

absl::StatusOr<InclusionView> AuditDesk::GetInclusionProof(const Caller& caller,
                                                           uint64_t index,
                                                           uint64_t tree_size) {
  InclusionView view;
  std::optional<storage::AuditCheckpointRecord> signed_at_size;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kProveEntries)),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        RETURN_IF_ERROR(RequireRole(caller, Action::kProveEntries));
        storage::AuditRepository& log = tx.audit();
        ASSIGN_OR_RETURN(const uint64_t count, log.EntryCount());
        ASSIGN_OR_RETURN(view.tree_size, SizeOrLatest(log, tree_size));
        if (view.tree_size > count) {
          return absl::InvalidArgumentError(absl::StrCat(
              "tree_size ", view.tree_size, " is beyond the log of ", count));
        }
        const StoredTree tree(log, count);
        ASSIGN_OR_RETURN(audit::InclusionProof proof,
                         audit::ProveInclusion(tree, index, view.tree_size));
        view.index = proof.leaf_index;
        view.hashes = std::move(proof.hashes);
        ASSIGN_OR_RETURN(view.entry, EntryAt(log, index));
        absl::StatusOr<storage::AuditCheckpointRecord> checkpoint =
            log.CheckpointAt(view.tree_size);
        if (checkpoint.ok()) {
          signed_at_size = *std::move(checkpoint);
        } else if (!absl::IsNotFound(checkpoint.status())) {
          return checkpoint.status();
        }
        return absl::OkStatus();
      }));
  if (signed_at_size.has_value()) {
    ASSIGN_OR_RETURN(view.checkpoint, ViewOf(trail_, *signed_at_size));
  }
  return view;
}

absl::StatusOr<ConsistencyView> AuditDesk::GetConsistencyProof(
    const Caller& caller, uint64_t old_size, uint64_t new_size) {
  ConsistencyView view;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kProveEntries)),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        RETURN_IF_ERROR(RequireRole(caller, Action::kProveEntries));
        storage::AuditRepository& log = tx.audit();
        ASSIGN_OR_RETURN(const uint64_t count, log.EntryCount());
        ASSIGN_OR_RETURN(const uint64_t size, SizeOrLatest(log, new_size));
        if (size > count) {
          return absl::InvalidArgumentError(
              absl::StrCat("new_size ", size, " is beyond the log of ", count));
        }
        const StoredTree tree(log, count);
        ASSIGN_OR_RETURN(audit::ConsistencyProof proof,
                         audit::ProveConsistency(tree, old_size, size));
        view.old_size = proof.old_size;
        view.new_size = proof.new_size;
        view.hashes = std::move(proof.hashes);
        return absl::OkStatus();
      }));
  return view;
}

absl::Status AuditDesk::ExportLog(
    const Caller& caller, uint64_t from,
    absl::FunctionRef<absl::Status(const ExportChunk&)> sink) {
  uint64_t size = 0;  // of the checkpoint this export leads up to
  RETURN_IF_ERROR(RecordThen(
      caller, Action::kExportLog,
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        RETURN_IF_ERROR(RequireRole(caller, Action::kExportLog));
        ASSIGN_OR_RETURN(const uint64_t count, tx.audit().EntryCount());
        if (from > count) {
          return absl::InvalidArgumentError(absl::StrCat(
              "from_index ", from, " is beyond the log of ", count));
        }
        return absl::OkStatus();
      },
      [&](storage::Transaction& tx) -> absl::Status {
        ASSIGN_OR_RETURN(storage::AuditCheckpointRecord signed_now,
                         trail_.SignCheckpoint(tx));
        size = signed_now.size;
        return absl::OkStatus();
      }));

  // One snapshot for the whole stream; later appends do not show.
  return store_.Read([&](storage::Transaction& tx) -> absl::Status {
    storage::AuditRepository& log = tx.audit();
    ASSIGN_OR_RETURN(storage::AuditCheckpointRecord checkpoint,
                     log.CheckpointAt(size));
    const StoredTree tree(log, size);
    ExportChunk start;
    start.kind = ExportChunk::Kind::kStart;
    start.from = from;
    ASSIGN_OR_RETURN(audit::Frontier frontier, audit::FrontierAt(tree, from));
    start.frontier = frontier.hashes();
    start.total_entries = size - from;
    RETURN_IF_ERROR(sink(start));

    ExportChunk chunk;
    chunk.kind = ExportChunk::Kind::kEntries;
    size_t bytes = 0;
    auto flush = [&]() -> absl::Status {
      if (chunk.entries.empty()) return absl::OkStatus();
      RETURN_IF_ERROR(sink(chunk));
      chunk.entries.clear();
      bytes = 0;
      return absl::OkStatus();
    };
    RETURN_IF_ERROR(log.ScanEntries(
        from, size, [&](const storage::AuditEntryRecord& record) {
          bytes += record.entry.size();
          chunk.entries.push_back(record.entry);
          return bytes >= options_.export_chunk_bytes ? flush()
                                                      : absl::OkStatus();
        }));
    RETURN_IF_ERROR(flush());

    ExportChunk end;
    end.kind = ExportChunk::Kind::kEnd;
    end.signed_note = checkpoint.signed_note;
    return sink(end);
  });
}

absl::StatusOr<std::string> AuditDesk::LookupCaseRef(
    const Caller& caller, const std::string& case_id) {
  std::string ref;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kLookupCaseRef)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(RequireRole(caller, Action::kLookupCaseRef));
        RETURN_IF_ERROR(ValidateCaseId(case_id));
        e.case_id = case_id;
        absl::StatusOr<storage::CaseRecord> found = tx.cases().Find(case_id);
        if (absl::IsNotFound(found.status())) return CaseNotFound();
        RETURN_IF_ERROR(found.status());
        ASSIGN_OR_RETURN(auto members, tx.cases().ListMembers(case_id));
        const CaseFacts facts = FactsOf(*found, members);
        if (!Decide(caller, Action::kLookupCaseRef, &facts).allowed) {
          return CaseNotFound();
        }
        ref = trail_.CaseRef(case_id);
        return absl::OkStatus();
      }));
  return ref;
}

}  // namespace casevault::domain
