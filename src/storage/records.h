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
};

struct NoteRecord {
  std::string id;
  std::string case_id;
  int64_t author_id = 0;
  UnixMillis created_at = 0;
  std::string sealed_text;
};

// Which cases a ListCases may return. A case matches if it is in
// `school_id` and (owner_id == `owner_id`, or severity >= `min_severity`
// when `min_severity` is set). Ordered by (created_at DESC, id DESC).
// With neither `owner_id` nor `min_severity` set, every case of the school
// matches. `limit` 0 returns nothing; a negative limit is INVALID_ARGUMENT.
struct CaseFilter {
  std::string school_id;
  std::optional<int64_t> owner_id;
  std::optional<int32_t> min_severity;
  std::optional<int32_t> status;      // only this status
  // Keyset cursor: only cases strictly after (created_at, id) in the order.
  std::optional<std::pair<UnixMillis, std::string>> after;
  int32_t limit = 20;
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
