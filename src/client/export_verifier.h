// Offline verification of an audit export (docs/audit-log.md, "Verifying an
// export"): no server, no session, no database; only the audit library.
//
// The verifier reads its input once, front to back, in 1 MiB blocks, and
// holds only the Merkle frontier (at most 64 hashes), one line and the
// checkpoint note: memory does not grow with the number of entries.
//
// Status codes: DataLoss for everything that is wrong with the content (the
// message starts with "line N" when a line is at fault, and says what is
// wrong); Internal when the stream cannot be read.
#ifndef CASEVAULT_CLIENT_EXPORT_VERIFIER_H_
#define CASEVAULT_CLIENT_EXPORT_VERIFIER_H_

#include <cstddef>
#include <cstdint>
#include <istream>
#include <optional>

#include "absl/status/statusor.h"
#include "audit/checkpoint.h"
#include "audit/note.h"

namespace casevault::client {

// The block size of the verifier's reads.
inline constexpr size_t kVerifyBufferBytes = 1 << 20;

// A checkpoint given with --previous: what the export must extend.
struct PreviousCheckpoint {
  audit::Checkpoint checkpoint;
  bool from_export = false;  // it came from an export file, not a bare note
};

// What a verified export holds.
struct VerifiedExport {
  uint64_t from = 0;
  uint64_t entries = 0;
  audit::Checkpoint checkpoint;  // signed by the key; size == from + entries
  // The previous checkpoint the export was shown to extend, when given.
  std::optional<audit::Checkpoint> previous;
};

// Reads the file given with --previous: either a bare signed checkpoint note
// (as `casevault audit checkpoint` prints it) or an earlier export, told
// apart by the first byte ('{' starts an export). A note must open under
// `key` with origin == key.name. An export is verified in full by the steps
// of VerifyExport, except that one starting at from > 0 needs no anchor of
// its own: only its signed checkpoint is used.
absl::StatusOr<PreviousCheckpoint> ReadPreviousCheckpoint(std::istream& in,
                                                          const audit::NoteVerifierKey& key);

// Verifies the export read from `in` against `key` and, when `previous` is
// not null, that it extends that checkpoint (the log only grew):
//  - line 1 is a canonical header; its frontier starts the tree;
//  - every entry line is at most 16 KiB, parses (audit::ParseEntry),
//    re-encodes to the same bytes and has seq == its position; its leaf hash
//    is appended to the frontier;
//  - the rest is the checkpoint note: signed by `key`, origin == key.name,
//    size == from + entries, root == the rebuilt root;
//  - from > 0 needs `previous` of size == from whose root is the header
//    frontier's root;
//  - from == 0 with `previous` of size P: P <= size, and the root after the
//    first P entries equals the previous root.
absl::StatusOr<VerifiedExport> VerifyExport(std::istream& in, const audit::NoteVerifierKey& key,
                                            const audit::Checkpoint* previous);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_EXPORT_VERIFIER_H_
