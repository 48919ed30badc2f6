// The audit trail.
//
// Design notes (invariants; numbered for reference from code and tests):
//
//  A1. One entry per audited operation, appended inside the operation's own
//      Write() callback. The operation runs in a savepoint of that callback
//      (Record): when it fails, its changes are rolled back and the entry
//      records the failure, so a denied or invalid attempt leaves its entry
//      and nothing else. When the entry cannot be written the callback
//      fails, and the store keeps nothing of it: no entry, no operation
//      (fail closed).
//  A2. The tree state is read from the database at every append and written
//      back in the same transaction; nothing about the tree is kept in
//      memory. A savepoint rollback, a failed callback or a failed COMMIT
//      therefore can never leave a stale in-memory frontier behind, and
//      `state.size == EntryCount()` holds in every committed transaction
//      (storage refuses anything else).
//  A3. Entry seq = state.size; the bytes come from audit::EncodeEntry once
//      and are stored as they are; the leaf hash is LeafHash(those bytes).
//  A4. Every perfect subtree of level >= kAuditSubtreeMinLevel that an
//      append completes is written to the subtree cache in that append's
//      transaction. By induction, for every committed size n the cache holds
//      every such subtree inside the first n leaves: StoredTree relies on
//      it. The hashes come from the old frontier (a binary carry), and the
//      last one must equal the new frontier's smallest subtree.
//  A5. A checkpoint is signed only after a consistency proof from the
//      latest checkpoint to the current tree, built from the stored hashes,
//      verifies against both roots (the new root is the frontier's). If it
//      does not, nothing is signed: INTERNAL, logged. Sizes only grow
//      (storage refuses anything else); at most one checkpoint per size.
//  A6. The append that brings the log to checkpoint_every_entries past the
//      latest checkpoint signs a new one in the same transaction. Those
//      automatic checkpoints and the timer's are not entries themselves
//      (logging them would grow the tree forever); checkpoints requested by
//      an auditor are (audit.checkpoint, audit.export).
//  A7. An entry names only what the server vouches for: existing accounts,
//      roles, units, request ids, action and outcome codes, and a case only
//      by its keyed reference. Never case content, people's names, free
//      text, passwords or tokens; a failed sign-in with an unknown username
//      has no actor at all.
//  A8. The committer thread is shared by every request: an append costs
//      O(log n) reads and writes, a checkpoint O(log n) reads and one
//      signature. Callers decrypt case fields outside the callback.
#include "domain/audit_trail.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/entry.h"
#include "audit/merkle.h"
#include "audit/proof.h"
#include "common/log.h"
#include "common/status_macros.h"
#include "crypto/digest.h"
#include "crypto/signer.h"
#include "domain/stored_tree.h"

namespace casevault::domain {
namespace {

constexpr char kCaseRefContext[] = "casevault/case-ref/v1";
constexpr char kOriginPrefix[] = "casevault.audit/";

absl::StatusOr<audit::Frontier> RestoreFrontier(
    const storage::AuditTreeState& state) {
  if (state.size == 0 && state.frontier.empty()) return audit::Frontier();
  auto frontier = audit::Frontier::Deserialize(state.frontier);
  if (!frontier.ok() || frontier->size() != state.size) {
    return absl::DataLossError("the stored audit tree state is malformed");
  }
  return *std::move(frontier);
}

// A4: caches the subtrees of level >= 4 that appending `leaf` to `old`
// completes, and returns the hash of the largest one completed (the leaf
// itself when none).
absl::StatusOr<audit::Hash> CacheCompletedSubtrees(
    storage::AuditRepository& log, const audit::Frontier& old,
    const audit::Hash& leaf) {
  const uint64_t n = old.size() + 1;
  const std::vector<audit::Hash>& pieces = old.hashes();
  size_t next = pieces.size();
  audit::Hash hash = leaf;
  for (int level = 0; ((n >> level) & 1) == 0; ++level) {
    // Bit `level` of n is clear, so bit `level` of n - 1 was set: the old
    // frontier ends with a perfect subtree of 2^level leaves to merge with.
    if (next == 0) return absl::InternalError("audit frontier out of step");
    hash = audit::NodeHash(pieces[--next], hash);
    const int merged = level + 1;
    if (merged >= storage::kAuditSubtreeMinLevel) {
      RETURN_IF_ERROR(log.PutSubtreeHash(merged, (n >> merged) - 1,
                                         audit::HashBytes(hash)));
    }
  }
  return hash;
}

// The size of the latest checkpoint, 0 when there is none.
absl::StatusOr<uint64_t> CheckpointedSize(storage::AuditRepository& log) {
  absl::StatusOr<storage::AuditCheckpointRecord> latest =
      log.LatestCheckpoint();
  if (absl::IsNotFound(latest.status())) return uint64_t{0};
  RETURN_IF_ERROR(latest.status());
  return latest->size;
}

// Any failure of the integrity check but an I/O error means a broken log.
absl::Status Broken(const absl::Status& s) {
  if (s.ok() || absl::IsUnavailable(s)) return s;
  return absl::DataLossError(
      absl::StrCat("the audit log is broken: ", s.message()));
}

}  // namespace

AuditEvent EventOf(const Caller& caller, std::string_view action) {
  AuditEvent e;
  e.action = std::string(action);
  e.actor = caller.username;
  e.role = std::string(RoleName(caller.role));
  e.unit = caller.unit_id;
  e.request = caller.request_id;
  return e;
}

AuditEvent OperatorEvent(std::string_view action) {
  AuditEvent e;
  e.action = std::string(action);
  e.role = "operator";
  return e;
}

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::New(
    const crypto::Keyring& keyring, const Clock& clock,
    const AuditOptions& options) {
  if (options.checkpoint_every_entries < 1 || options.checkpoint_every < 1000) {
    return absl::InvalidArgumentError(
        "checkpoints must be at least 1 entry and 1 second apart");
  }
  if (keyring.audit_mac_key.size() != 32) {
    return absl::InvalidArgumentError("the audit MAC key must be 32 bytes");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Signer> key,
                   crypto::Signer::FromSeed(keyring.audit_signing_seed));
  const crypto::Sha256Digest id = crypto::Sha256(key->public_key());
  const std::string name = absl::StrCat(
      kOriginPrefix,
      crypto::HexEncode(std::string(id.begin(), id.end())).substr(0, 16));
  ASSIGN_OR_RETURN(std::unique_ptr<audit::NoteSigner> signer,
                   audit::NoteSigner::New(name, keyring.audit_signing_seed));
  return std::unique_ptr<AuditTrail>(new AuditTrail(
      keyring.audit_mac_key.Clone(), std::move(signer), clock, options));
}

AuditTrail::AuditTrail(crypto::SecretBytes case_ref_key,
                       std::unique_ptr<audit::NoteSigner> signer,
                       const Clock& clock, const AuditOptions& options)
    : case_ref_key_(std::move(case_ref_key)),
      signer_(std::move(signer)),
      clock_(clock),
      options_(options) {}

std::string AuditTrail::CaseRef(std::string_view case_id) const {
  std::string input = kCaseRefContext;
  input.push_back('\0');
  input.append(case_id);
  return crypto::HexEncode(
      crypto::KeyedHash(case_ref_key_, input).substr(0, 16));
}

std::string AuditTrail::VerifierKey() const {
  return audit::FormatVerifierKey(signer_->verifier_key());
}

absl::Status AuditTrail::Append(storage::Transaction& tx,
                                const AuditEvent& event,
                                const absl::Status& outcome) const {
  storage::AuditRepository& log = tx.audit();
  ASSIGN_OR_RETURN(storage::AuditTreeState state, log.LoadTreeState());  // A2
  ASSIGN_OR_RETURN(audit::Frontier frontier, RestoreFrontier(state));

  audit::AuditEntry entry;  // A3, A7
  entry.seq = state.size;
  entry.time = FormatRfc3339Millis(clock_.Now());
  entry.actor = event.actor;
  entry.role = event.role;
  entry.unit = event.unit;
  entry.action = event.action;
  entry.outcome = std::string(audit::OutcomeName(outcome.code()));
  entry.request = event.request;
  entry.case_ref = event.case_id.empty() ? "" : CaseRef(event.case_id);
  entry.target = event.target;
  entry.reason = event.reason;
  absl::StatusOr<std::string> bytes = audit::EncodeEntry(entry);
  if (!bytes.ok()) {
    return absl::InternalError(absl::StrCat("cannot encode the audit entry: ",
                                            bytes.status().message()));
  }
  const audit::Hash leaf = audit::LeafHash(*bytes);
  RETURN_IF_ERROR(log.Append(entry.seq, *bytes, audit::HashBytes(leaf)));

  ASSIGN_OR_RETURN(audit::Hash completed,
                   CacheCompletedSubtrees(log, frontier, leaf));  // A4
  frontier.Append(leaf);
  if (frontier.hashes().back() != completed) {
    return absl::InternalError("audit subtree cache out of step");
  }
  RETURN_IF_ERROR(log.StoreTreeState({frontier.size(), frontier.Serialize()}));

  ASSIGN_OR_RETURN(uint64_t checkpointed, CheckpointedSize(log));  // A6
  if (frontier.size() - checkpointed >= options_.checkpoint_every_entries) {
    RETURN_IF_ERROR(SignCheckpoint(tx).status());
  }
  return absl::OkStatus();
}

absl::Status AuditTrail::Record(
    storage::Store& store, AuditEvent event,
    absl::FunctionRef<absl::Status(storage::Transaction&, AuditEvent&)>
        operation) const {
  absl::Status outcome;
  RETURN_IF_ERROR(store.Write([&](storage::Transaction& tx) -> absl::Status {
    AuditEvent filled = event;  // each run starts from the caller's event
    ASSIGN_OR_RETURN(storage::WorkOutcome work,  // A1
                     tx.Savepoint([&] { return operation(tx, filled); }));
    outcome = std::move(work.status);
    return Append(tx, filled, outcome);
  }));
  return outcome;
}

absl::StatusOr<audit::Checkpoint> AuditTrail::OpenCheckpoint(
    std::string_view signed_note) const {
  absl::StatusOr<audit::Checkpoint> checkpoint =
      audit::OpenCheckpoint(signed_note, signer_->verifier_key());
  if (!checkpoint.ok()) {
    return absl::DataLossError(absl::StrCat(
        "a stored checkpoint does not open: ", checkpoint.status().message()));
  }
  if (checkpoint->origin != origin()) {
    return absl::DataLossError("a stored checkpoint is of another log");
  }
  return checkpoint;
}

namespace {

// A5: OK when the tree of `frontier` (whose stored hashes `log` serves)
// extends `latest`.
absl::Status ProveExtends(const AuditTrail& trail,
                          storage::AuditRepository& log,
                          const storage::AuditCheckpointRecord& latest,
                          const audit::Frontier& frontier) {
  ASSIGN_OR_RETURN(audit::Checkpoint old,
                   trail.OpenCheckpoint(latest.signed_note));
  if (old.size != latest.size || old.size > frontier.size()) {
    return absl::DataLossError(absl::StrCat("the checkpoint of size ", old.size,
                                            " does not fit the tree of ",
                                            frontier.size()));
  }
  if (old.size == 0) {
    if (old.root == audit::EmptyRoot()) return absl::OkStatus();
    return absl::DataLossError("the empty checkpoint has a non-empty root");
  }
  const StoredTree tree(log, frontier.size());
  ASSIGN_OR_RETURN(audit::ConsistencyProof proof,
                   audit::ProveConsistency(tree, old.size, frontier.size()));
  return audit::VerifyConsistency(proof, old.root, frontier.Root());
}

}  // namespace

absl::StatusOr<storage::AuditCheckpointRecord> AuditTrail::SignCheckpoint(
    storage::Transaction& tx) const {
  storage::AuditRepository& log = tx.audit();
  ASSIGN_OR_RETURN(storage::AuditTreeState state, log.LoadTreeState());
  ASSIGN_OR_RETURN(audit::Frontier frontier, RestoreFrontier(state));
  absl::StatusOr<storage::AuditCheckpointRecord> latest =
      log.LatestCheckpoint();
  if (latest.ok()) {
    if (latest->size == frontier.size()) return *latest;
    if (absl::Status extends = ProveExtends(*this, log, *latest, frontier);
        !extends.ok()) {
      if (absl::IsUnavailable(extends)) return extends;
      LogError(absl::StrCat("audit: refusing to sign a checkpoint of size ",
                            frontier.size(), ": it is not consistent with ",
                            "the checkpoint of size ", latest->size, " (",
                            extends.message(), ")"));
      return absl::InternalError(
          "the audit log is not consistent with its latest checkpoint; "
          "refusing to sign");
    }
  } else if (!absl::IsNotFound(latest.status())) {
    return latest.status();
  }
  audit::Checkpoint checkpoint;
  checkpoint.origin = origin();
  checkpoint.size = frontier.size();
  checkpoint.root = frontier.Root();
  storage::AuditCheckpointRecord record;
  record.size = checkpoint.size;
  ASSIGN_OR_RETURN(record.signed_note,
                   audit::SignCheckpoint(checkpoint, *signer_));
  record.created_at = clock_.Now();
  RETURN_IF_ERROR(log.InsertCheckpoint(record));
  return record;
}

absl::Status AuditTrail::CheckIntegrity(storage::Store& store) const {
  return Broken(store.Read([&](storage::Transaction& tx) -> absl::Status {
    storage::AuditRepository& log = tx.audit();
    ASSIGN_OR_RETURN(uint64_t count, log.EntryCount());
    ASSIGN_OR_RETURN(storage::AuditTreeState state, log.LoadTreeState());
    ASSIGN_OR_RETURN(audit::Frontier frontier, RestoreFrontier(state));
    if (state.size != count) {
      return absl::DataLossError(absl::StrCat("the tree state covers ",
                                              state.size, " entries but ",
                                              count, " are stored"));
    }
    const StoredTree tree(log, count);
    ASSIGN_OR_RETURN(audit::Hash root, audit::TreeRoot(tree, count));
    if (root != frontier.Root()) {
      return absl::DataLossError(
          "the tree state's root is not the stored hashes' root");
    }
    absl::StatusOr<storage::AuditCheckpointRecord> latest =
        log.LatestCheckpoint();
    if (absl::IsNotFound(latest.status())) return absl::OkStatus();
    RETURN_IF_ERROR(latest.status());
    return ProveExtends(*this, log, *latest, frontier);
  }));
}

}  // namespace casevault::domain
