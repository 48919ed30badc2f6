// Rows as storage sees them: plain columns and sealed blobs. Storage knows
// nothing of roles or case rules; the domain maps these to its own types.
#ifndef CASEVAULT_STORAGE_RECORDS_H_
#define CASEVAULT_STORAGE_RECORDS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace casevault::storage {

struct AccountRecord {
  int64_t id = 0;               // assigned by InsertAccount
  std::string username;
  std::string role;             // "counselor", "principal", ...
  std::string unit_id;          // school id, or district id for district
  std::string password_hash;
  bool disabled = false;
  int32_t failed_logins = 0;    // consecutive failures since last success
  UnixMillis locked_until = 0;  // 0 when not locked
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
};

struct SessionRecord {
  std::string token_hash;       // 32 bytes; the token itself is never stored
  int64_t account_id = 0;
  UnixMillis created_at = 0;
  UnixMillis last_used_at = 0;
  UnixMillis expires_at = 0;    // absolute expiry
};

struct CaseRecord {
  std::string id;
  std::string school_id;
  int64_t owner_id = 0;
  int32_t incident_type = 0;
  int32_t context = 0;
  int32_t severity = 0;
  int32_t reporter_type = 0;
  int32_t status = 0;
  std::string incident_date;    // YYYY-MM-DD
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 1;
  uint32_t kek_version = 0;
  std::string wrapped_dek;      // Aead envelope
  std::string sealed_people;    // envelopes under the case's DEK
  std::string sealed_place;
  std::string sealed_narrative;
  // Routing and lifecycle (schema v3). Plain columns: the policy and the
  // list filters need them; the whole file is still SQLCipher-encrypted.
  int32_t escalation = 0;         // 0 none, 1 principal, 2 district
  int32_t escalation_reason = 0;  // domain enum; 0 when never escalated
  bool staff_involved = false;    // victim is staff or perpetrator is staff
  bool victim_minor = false;      // victim under 18 at the incident
  bool principal_recused = false; // a principal of the school is implicated
  int64_t pending_owner_id = 0;   // hand-over offered to; 0 when none
  int32_t closure_reason = 0;     // domain enum; 0 when not closing/closed
  bool closure_pending = false;   // closure asked, waiting for approval
  std::string sealed_closure_note;  // envelope, or empty
};

// An account's membership of a case. kParticipant grants access (added to
// the case, or assigned a step); kImplicated denies every access.
enum class MemberKind : int32_t { kParticipant = 1, kImplicated = 2 };

struct CaseMemberRecord {
  std::string case_id;
  int64_t account_id = 0;
  MemberKind kind = MemberKind::kParticipant;
  int64_t added_by = 0;
  UnixMillis added_at = 0;
};

// A coordination step (schema v3).
struct StepRecord {
  std::string id;
  std::string case_id;
  int32_t kind = 0;               // domain enum; implies the environment
  int32_t environment = 0;        // 1 school, 2 family, 3 society
  int32_t status = 0;             // 1 planned, 2 in progress, 3 done, 4 cancelled
  int64_t owner_id = 0;           // 0 when the step is an external party's
  std::string sealed_external_party;  // envelope, or empty
  std::string due_date;           // YYYY-MM-DD
  std::string sealed_outcome;     // envelope, or empty
  int64_t created_by = 0;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 1;
};

// Consent for one purpose (schema v3). No free text.
struct ConsentRecord {
  std::string id;
  std::string case_id;
  int32_t purpose = 0;            // domain enum
  int32_t service_kind = 0;       // step kind for referrals, else 0
  int32_t given_by = 0;           // domain enum
  int32_t child_assent = 0;       // domain enum; 0 when not a minor
  std::string given_on;           // YYYY-MM-DD
  int64_t recorded_by = 0;
  UnixMillis recorded_at = 0;
  UnixMillis withdrawn_at = 0;    // 0 while in force
  int64_t withdrawn_by = 0;
};

// A recorded override of consent (schema v3).
struct OverrideRecord {
  std::string id;
  std::string case_id;
  int32_t purpose = 0;
  int32_t service_kind = 0;
  int32_t reason = 0;             // domain enum
  int64_t recorded_by = 0;
  UnixMillis recorded_at = 0;
};

struct NoteRecord {
  std::string id;
  std::string case_id;
  int64_t author_id = 0;
  UnixMillis created_at = 0;
  std::string sealed_text;
};

// One way a case can reach a viewer by role routing: a case matches the
// clause when every set condition holds.
struct CaseRoute {
  std::optional<std::string> school_id;   // school_id = this
  std::optional<int32_t> min_escalation;  // escalation >= this
  bool staff_involved = false;            // staff_involved = 1
  bool principal_recused = false;         // principal_recused = 1
};

// Which cases a ListCases may return. A case matches when `viewer_id` is
// not implicated in it, and either (a) `viewer_id` is its owner, pending
// owner or a participant, or (b) it matches one of `routes`; and it passes
// every optional narrowing below. Ordered by (created_at DESC, id DESC).
// `limit` 0 returns nothing; a negative limit is INVALID_ARGUMENT.
struct CaseFilter {
  int64_t viewer_id = 0;
  std::vector<CaseRoute> routes;
  std::optional<int32_t> status;       // only this status
  std::optional<int32_t> severity;     // only this severity
  // Only cases with a step not done or cancelled whose due_date < this.
  std::optional<std::string> overdue_before;  // YYYY-MM-DD
  std::optional<int32_t> environment;  // only cases with a step there
  // Keyset cursor: only cases strictly after (created_at, id) in the order.
  std::optional<std::pair<UnixMillis, std::string>> after;
  int32_t limit = 20;
};

// Which steps ListSteps may return: the steps of the cases a CaseFilter
// with the same viewer_id and routes would match (status, severity,
// environment and cursor of that filter are not used), narrowed by
// `case_id` and `overdue_before` (status neither done nor cancelled and
// due_date < this). Ordered by (due_date, id); keyset cursor `after`.
struct StepFilter {
  int64_t viewer_id = 0;
  std::vector<CaseRoute> routes;
  std::optional<std::string> case_id;
  std::optional<std::string> overdue_before;
  std::optional<std::pair<std::string, std::string>> after;  // (due, id)
  int32_t limit = 50;
};

// One entry of the audit log: its position (0-based, dense), the exact
// canonical JSON bytes as the domain produced them, and their RFC 6962 leaf
// hash (32 bytes). Storage never parses or re-serialises `entry`.
struct AuditEntryRecord {
  uint64_t seq = 0;
  std::string entry;
  std::string leaf_hash;
};

// The Merkle tree's persisted state: the number of leaves it covers and the
// domain's serialized frontier (opaque to storage).
struct AuditTreeState {
  uint64_t size = 0;
  std::string frontier;
};

// A signed checkpoint of the first `size` entries (a C2SP signed note; opaque
// to storage).
struct AuditCheckpointRecord {
  uint64_t size = 0;
  std::string signed_note;
  UnixMillis created_at = 0;
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_RECORDS_H_
