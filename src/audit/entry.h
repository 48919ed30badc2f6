// One audit log entry: the canonical JSON object that is a leaf of the
// Merkle tree (docs/audit-log.md, "Entries").
//
//   {"seq":0,"time":"2026-11-29T01:51:53.123Z","actor":"hoa",
//    "role":"counselor","unit":"school-42","action":"case.view",
//    "outcome":"ok","request":"9f2c61d0a4b3e785","case":"<32 hex>",
//    "target":"","reason":"owner"}
//
// (one line, no spaces). The key order is fixed, there is no insignificant
// white space, `seq` is a decimal integer and every other value is a string,
// escaped in exactly one way. So an entry has exactly one encoding:
// ParseEntry accepts only the bytes EncodeEntry produces, and
// EncodeEntry(ParseEntry(b)) == b for every b ParseEntry accepts.
//
// The server stores the encoded bytes and never re-serialises them; the
// verifier hashes the bytes it reads and parses them only to check them.
#ifndef CASEVAULT_AUDIT_ENTRY_H_
#define CASEVAULT_AUDIT_ENTRY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace casevault::audit {

// A string value holds at most this many bytes (before escaping), and an
// encoded entry at most kMaxEntryBytes.
inline constexpr size_t kMaxEntryFieldBytes = 256;
inline constexpr size_t kMaxEntryBytes = 16 * 1024;
// The length of a pseudonymous case reference: 32 lower-case hex digits.
inline constexpr size_t kCaseRefHexDigits = 32;

struct AuditEntry {
  uint64_t seq = 0;      // position in the log, 0-based
  std::string time;      // RFC 3339 UTC with milliseconds
  std::string actor;     // username, or "" (operator, unknown sign-in)
  std::string role;      // a role name, "operator", or ""
  std::string unit;      // the actor's school or district id, or ""
  std::string action;    // "case.view", "auth.login", ...
  std::string outcome;   // "ok" or a status code name ("not_found", ...)
  std::string request;   // the request id, or ""
  std::string case_ref;  // "case": pseudonymous reference, or ""
  std::string target;    // the account acted on (user.*), or ""
  std::string reason;    // the relation that granted access, or ""

  friend bool operator==(const AuditEntry& a, const AuditEntry& b);
};

// The canonical bytes of `entry`. InvalidArgument when a value breaks the
// grammar in docs/audit-log.md: a string that is not UTF-8 or longer than
// kMaxEntryFieldBytes, a malformed time, an unknown role or outcome, an
// action not of the form `word.word`, a case reference that is neither
// empty nor 32 lower-case hex digits.
[[nodiscard]] absl::StatusOr<std::string> EncodeEntry(const AuditEntry& entry);

// Parses canonical entry bytes strictly (no white space, keys in order, only
// the escapes EncodeEntry writes, values as above). InvalidArgument naming
// the byte offset or field at fault otherwise.
[[nodiscard]] absl::StatusOr<AuditEntry> ParseEntry(std::string_view bytes);

// ParseEntry, and also proves that re-encoding the parsed entry gives back
// exactly `bytes` (InvalidArgument "not in the canonical encoding"
// otherwise): what a verifier runs on every line of an export.
[[nodiscard]] absl::StatusOr<AuditEntry> ParseCanonicalEntry(
    std::string_view bytes);

// "ok" for absl::StatusCode::kOk, else the code's name in lower snake case
// ("not_found", "permission_denied", ...).
std::string_view OutcomeName(absl::StatusCode code);

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_ENTRY_H_
