// The audit trail: one entry per operation, appended to the verifiable log
// in the same transaction as the operation (fail closed), and the signed
// checkpoints of that log. Design notes and invariants: audit_trail.cc.
// Formats: docs/audit-log.md ("Entries", "Checkpoint").
#ifndef CASEVAULT_DOMAIN_AUDIT_TRAIL_H_
#define CASEVAULT_DOMAIN_AUDIT_TRAIL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "audit/checkpoint.h"
#include "audit/note.h"
#include "common/clock.h"
#include "crypto/keyring.h"
#include "crypto/secret_bytes.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

// Actions that are not policy decisions (policy.h's ActionName() names the
// others): sign-in and sign-out.
inline constexpr char kAuthLogin[] = "auth.login";
inline constexpr char kAuthLoginFailed[] = "auth.login_failed";
inline constexpr char kAuthLockout[] = "auth.lockout";
inline constexpr char kAuthLogout[] = "auth.logout";

// What one entry says about an operation; the trail adds seq, time and the
// outcome. Never case content, names of people, free text, passwords or
// tokens: only identifiers the server itself vouches for.
struct AuditEvent {
  std::string action;
  std::string actor;    // username of an existing account, or ""
  std::string role;     // RoleName(), "operator", or ""
  std::string unit;     // the actor's school or district, or ""
  std::string request;  // request id, or ""
  std::string case_id;  // raw case id; the entry holds only its reference
  std::string target;   // username of an existing account acted on, or ""
  std::string reason;   // RelationName() of the relation that granted access
};

// `caller` doing `action`.
AuditEvent EventOf(const Caller& caller, std::string_view action);
// An offline operator command (casevaultd): role "operator", no actor.
AuditEvent OperatorEvent(std::string_view action);

struct AuditOptions {
  // Sign a checkpoint in the transaction that makes the log at least this
  // many entries longer than the latest checkpoint. At least 1.
  uint64_t checkpoint_every_entries = 256;
  // CheckpointTimer: sign when the tree grew and the latest checkpoint is at
  // least this old. At least 1 s.
  UnixMillis checkpoint_every = 60 * 1000;
};

class AuditTrail {
 public:
  // The log's origin and key name are derived from the signing key:
  // "casevault.audit/" + the first 16 hex digits of SHA-256(public key).
  // INVALID_ARGUMENT for a malformed key or options.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<AuditTrail>> New(
      const crypto::Keyring& keyring, const Clock& clock,
      const AuditOptions& options = {});

  // Appends the entry of `event` with `outcome` inside `tx`, updates the
  // tree state and subtree cache, and signs a checkpoint when
  // checkpoint_every_entries is reached. Any error means the entry was not
  // written: the caller's callback must fail with it (fail closed).
  [[nodiscard]] absl::Status Append(storage::Transaction& tx,
                                    const AuditEvent& event,
                                    const absl::Status& outcome) const;

  // The audited operation pattern, in one store.Write():
  //   outcome = tx.Savepoint(operation(tx, event));  // undone if it fails
  //   Append(tx, event, outcome);                    // failure: keep nothing
  // `operation` may fill in `event` (case_id, target, reason) as it learns
  // them, also on failure. Returns the operation's outcome when the entry
  // was written and committed; otherwise the error that prevented it, and
  // nothing of the operation or its entry is kept.
  [[nodiscard]] absl::Status Record(
      storage::Store& store, AuditEvent event,
      absl::FunctionRef<absl::Status(storage::Transaction&, AuditEvent&)>
          operation) const;

  // Signs a checkpoint of the whole stored log inside `tx` unless the latest
  // checkpoint already has its size, after proving and verifying that the
  // tree extends the latest checkpoint (INTERNAL, logged, when it does not:
  // nothing is signed). Returns the latest checkpoint afterwards.
  [[nodiscard]] absl::StatusOr<storage::AuditCheckpointRecord> SignCheckpoint(
      storage::Transaction& tx) const;

  // Start-up check: the tree state covers exactly the stored entries, its
  // root is the one the stored hashes give, and the latest checkpoint is
  // this log's, validly signed and consistent with the current tree.
  // DATA_LOSS naming what is wrong otherwise.
  [[nodiscard]] absl::Status CheckIntegrity(storage::Store& store) const;

  // The pseudonymous reference of a case id: 32 hex digits of
  // KeyedHash(audit MAC key, "casevault/case-ref/v1" || 0x00 || case_id).
  std::string CaseRef(std::string_view case_id) const;

  // OpenCheckpoint under this log's key, also checking the origin.
  // DATA_LOSS when the note is not a valid checkpoint of this log.
  [[nodiscard]] absl::StatusOr<audit::Checkpoint> OpenCheckpoint(
      std::string_view signed_note) const;

  const std::string& origin() const { return signer_->name(); }
  // The published verifier key (audit::FormatVerifierKey).
  std::string VerifierKey() const;
  const AuditOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

 private:
  AuditTrail(crypto::SecretBytes case_ref_key,
             std::unique_ptr<audit::NoteSigner> signer, const Clock& clock,
             const AuditOptions& options);

  const crypto::SecretBytes case_ref_key_;
  const std::unique_ptr<audit::NoteSigner> signer_;
  const Clock& clock_;
  const AuditOptions options_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_AUDIT_TRAIL_H_
