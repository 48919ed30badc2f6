// Writes the ExportLog stream to an export file (docs/audit-log.md, "Export
// file") as the chunks arrive, so memory does not grow with the log.
//
// Invariants:
//  - Nothing is ever at PATH but a complete export: the chunks go to
//    PATH.tmp (created with O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600), which is
//    fsync'ed and renamed to PATH only by Commit(), after the checks below.
//  - A writer destroyed without a successful Commit() removes PATH.tmp.
//  - The stream must be: one first chunk with from_index (== the one asked
//    for), frontier (popcount(from) hashes of 32 bytes) and total_entries;
//    chunks of entries (each non-empty, at most 16 KiB, without a line
//    feed); one last chunk with the signed note. Commit() also checks that
//    total_entries entries arrived and that the note is a checkpoint of
//    size from + total_entries (its signature is `audit verify`'s business).
#ifndef CASEVAULT_CLIENT_EXPORT_WRITER_H_
#define CASEVAULT_CLIENT_EXPORT_WRITER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/checkpoint.h"
#include "casevault/v1/audit.pb.h"

namespace casevault::client {

class ExportWriter {
 public:
  // Creates PATH.tmp. kLocalFile when it exists (another export to PATH is
  // running, or one was interrupted) or cannot be created.
  static absl::StatusOr<std::unique_ptr<ExportWriter>> Create(const std::string& path,
                                                              uint64_t from);
  ~ExportWriter();
  ExportWriter(const ExportWriter&) = delete;
  ExportWriter& operator=(const ExportWriter&) = delete;

  // Checks and writes one chunk. kInternal when the stream breaks the shape
  // above ("the server's export stream ..."), kLocalFile when writing fails.
  absl::Status Add(const v1::ExportLogChunk& chunk);

  // Checks that the export is complete, then fsync, rename to PATH, fsync
  // of the directory.
  absl::Status Commit();

  uint64_t from() const { return from_; }
  uint64_t entries_written() const { return entries_; }
  uint64_t total_entries() const { return total_; }
  // Valid after Commit(): the checkpoint the note carries (not verified).
  const audit::Checkpoint& checkpoint() const { return checkpoint_; }

 private:
  ExportWriter(std::string path, std::string temp_path, int fd, uint64_t from);
  absl::Status AddFirst(const v1::ExportLogChunk& chunk);
  absl::Status Write(const std::string& bytes);

  const std::string path_;
  const std::string temp_path_;
  int fd_;
  const uint64_t from_;
  bool header_seen_ = false;
  bool note_seen_ = false;
  bool committed_ = false;
  uint64_t total_ = 0;
  uint64_t entries_ = 0;
  std::string note_;
  std::string pending_;  // one chunk's bytes, reused
  audit::Checkpoint checkpoint_;
};

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_EXPORT_WRITER_H_
