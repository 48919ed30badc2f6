// C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the signed
// statement "the log <origin> has <size> entries with root <root>".
//
//   checkpoint = origin "\n" size "\n" root "\n" *(extension "\n")
//   origin     = 1*char                 ; any note characters but "\n"
//   size       = "0" / (%x31-39 *19DIGIT) ; decimal, no leading zeros, < 2^64
//   root       = base64 (standard, padded) of exactly 32 bytes
//   extension  = 1*char                 ; opaque, kept in order
//
// It is carried as the text of a C2SP signed note (audit/note.h).
// docs/audit-log.md, "Checkpoint".
#ifndef CASEVAULT_AUDIT_CHECKPOINT_H_
#define CASEVAULT_AUDIT_CHECKPOINT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/merkle.h"
#include "audit/note.h"

namespace casevault::audit {

struct Checkpoint {
  std::string origin;  // identifies the log; compare it with the one expected
  uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // lines after the root, without "\n"

  friend bool operator==(const Checkpoint& a, const Checkpoint& b) {
    return a.origin == b.origin && a.size == b.size && a.root == b.root &&
           a.extensions == b.extensions;
  }
};

// The checkpoint text (the note text to sign). InvalidArgument when the
// origin or an extension line is empty or holds "\n" or another control
// character, or is not UTF-8.
[[nodiscard]] absl::StatusOr<std::string> FormatCheckpoint(
    const Checkpoint& checkpoint);

// Parses checkpoint text strictly by the grammar above. InvalidArgument,
// naming the line at fault, otherwise.
[[nodiscard]] absl::StatusOr<Checkpoint> ParseCheckpoint(std::string_view text);

// FormatCheckpoint, then a signed note under `signer`.
[[nodiscard]] absl::StatusOr<std::string> SignCheckpoint(
    const Checkpoint& checkpoint, const NoteSigner& signer);

// OpenSignedNote under `key`, then ParseCheckpoint of the signed text. The
// caller still compares `origin` with the log it expects. Errors: those of
// OpenSignedNote (DataLoss when not validly signed by `key`) and of
// ParseCheckpoint.
[[nodiscard]] absl::StatusOr<Checkpoint> OpenCheckpoint(
    std::string_view signed_note, const NoteVerifierKey& key);

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_CHECKPOINT_H_
