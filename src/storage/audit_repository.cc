// The audit log's tables (migration v2; docs/storage.md, "v2: the audit log").
//
// Density: Append() inserts seq == EntryCount() only, and the triggers of
// migrations v2 and v5 refuse any other INSERT and every UPDATE and
// DELETE, so the stored seqs are exactly 0 .. n-1 and EntryCount() is
// max(seq) + 1, an O(log n) lookup (the min/max optimisation on the
// INTEGER PRIMARY KEY).
// Reads still check the seqs they meet and report a gap as DATA_LOSS.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

constexpr uint64_t kMaxSqlInteger =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// Values are checked against EntryCount() (or kMaxSqlInteger) before they
// are bound, so the conversion never wraps.
int64_t AsSql(uint64_t value) { return static_cast<int64_t>(value); }

absl::Status GapError(uint64_t expected) {
  return absl::DataLossError(
      absl::StrCat("audit entry ", expected, " is missing from the log"));
}

AuditCheckpointRecord ReadCheckpoint(const Statement& stmt) {
  AuditCheckpointRecord record;
  record.size = static_cast<uint64_t>(stmt.ColumnInt64(0));
  record.signed_note = stmt.ColumnBlob(1);
  record.created_at = stmt.ColumnInt64(2);
  return record;
}

}  // namespace

absl::StatusOr<uint64_t> SqlAuditRepository::EntryCount() {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT max(seq) FROM audit_entries",
                               "count audit entries"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row || stmt.ColumnIsNull(0)) return uint64_t{0};
  return static_cast<uint64_t>(stmt.ColumnInt64(0)) + 1;
}

absl::Status SqlAuditRepository::CheckRange(uint64_t begin, uint64_t end) {
  if (begin > end) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit range [", begin, ", ", end, ") is reversed"));
  }
  ASSIGN_OR_RETURN(uint64_t count, EntryCount());
  if (end > count) {
    return absl::NotFoundError(absl::StrCat("audit range [", begin, ", ", end,
                                            ") reaches past the ", count,
                                            " stored entries"));
  }
  return absl::OkStatus();
}

absl::Status SqlAuditRepository::Append(uint64_t seq, const std::string& entry,
                                        const std::string& leaf_hash) {
  if (leaf_hash.size() != kAuditHashSize) {
    return absl::InvalidArgumentError("an audit leaf hash must be 32 bytes");
  }
  ASSIGN_OR_RETURN(uint64_t count, EntryCount());
  if (seq != count) {
    return absl::FailedPreconditionError(
        absl::StrCat("audit entry ", seq, " is not the next one (", count,
                     " entries are stored)"));
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT OR FAIL INTO audit_entries "
                               "(seq, leaf_hash, entry) VALUES (?1, ?2, ?3)",
                               "append audit entry"));
  stmt.BindInt64(1, AsSql(seq));
  stmt.BindBlob(2, leaf_hash);
  stmt.BindBlob(3, entry);
  return db_.RunOnReserve(stmt);
}

absl::StatusOr<std::string> SqlAuditRepository::LeafHash(uint64_t seq) {
  if (seq > kMaxSqlInteger) return absl::NotFoundError("no such audit entry");
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT leaf_hash FROM audit_entries WHERE seq = ?1",
                  "read audit leaf hash"));
  stmt.BindInt64(1, AsSql(seq));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("no such audit entry");
  return stmt.ColumnBlob(0);
}

absl::StatusOr<std::vector<std::string>> SqlAuditRepository::LeafHashes(
    uint64_t begin, uint64_t end) {
  if (end > begin && end - begin > kMaxLeafHashRange) {
    return absl::InvalidArgumentError(
        absl::StrCat("at most ", kMaxLeafHashRange,
                     " audit leaf hashes can be read at once"));
  }
  RETURN_IF_ERROR(CheckRange(begin, end));
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT seq, leaf_hash FROM audit_entries "
                  "WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
                  "read audit leaf hashes"));
  stmt.BindInt64(1, AsSql(begin));
  stmt.BindInt64(2, AsSql(end));
  std::vector<std::string> out;
  out.reserve(end - begin);
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    const uint64_t expected = begin + out.size();
    if (static_cast<uint64_t>(stmt.ColumnInt64(0)) != expected) {
      return GapError(expected);
    }
    out.push_back(stmt.ColumnBlob(1));
  }
  if (out.size() != end - begin) return GapError(begin + out.size());
  return out;
}

absl::Status SqlAuditRepository::ScanEntries(
    uint64_t begin, uint64_t end,
    absl::FunctionRef<absl::Status(const AuditEntryRecord&)> sink) {
  RETURN_IF_ERROR(CheckRange(begin, end));
  // The statement stays positioned on its row while `sink` runs; a nested
  // ScanEntries would need the same cached statement, which Prepare()
  // refuses while it is busy.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT seq, entry, leaf_hash FROM audit_entries "
                  "WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
                  "scan audit entries"));
  stmt.BindInt64(1, AsSql(begin));
  stmt.BindInt64(2, AsSql(end));
  AuditEntryRecord record;
  uint64_t expected = begin;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    record.seq = static_cast<uint64_t>(stmt.ColumnInt64(0));
    if (record.seq != expected) return GapError(expected);
    record.entry = stmt.ColumnBlob(1);
    record.leaf_hash = stmt.ColumnBlob(2);
    RETURN_IF_ERROR(sink(record));
    ++expected;
  }
  if (expected != end) return GapError(expected);
  return absl::OkStatus();
}

absl::StatusOr<AuditTreeState> SqlAuditRepository::LoadTreeState() {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT size, frontier FROM audit_tree_state "
                               "WHERE id = 1",
                               "load audit tree state"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  AuditTreeState state;
  if (!row) return state;
  state.size = static_cast<uint64_t>(stmt.ColumnInt64(0));
  state.frontier = stmt.ColumnBlob(1);
  return state;
}

absl::Status SqlAuditRepository::StoreTreeState(const AuditTreeState& state) {
  ASSIGN_OR_RETURN(uint64_t count, EntryCount());
  if (state.size != count) {
    return absl::FailedPreconditionError(
        absl::StrCat("an audit tree state of size ", state.size,
                     " does not match the ", count, " stored entries"));
  }
  // No UPSERT in SQLite 3.15; the table holds at most the one row id = 1.
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT OR REPLACE INTO audit_tree_state "
                               "(id, size, frontier) VALUES (1, ?1, ?2)",
                               "store audit tree state"));
  stmt.BindInt64(1, AsSql(state.size));
  stmt.BindBlob(2, state.frontier);
  return db_.RunOnReserve(stmt);
}

absl::Status SqlAuditRepository::PutSubtreeHash(int level, uint64_t index,
                                                const std::string& hash) {
  if (level < kAuditSubtreeMinLevel || level > kAuditSubtreeMaxLevel) {
    return absl::InvalidArgumentError(
        absl::StrCat("subtree level ", level, " is not cached (levels ",
                     kAuditSubtreeMinLevel, " to ", kAuditSubtreeMaxLevel,
                     " are)"));
  }
  if (hash.size() != kAuditHashSize) {
    return absl::InvalidArgumentError("a subtree hash must be 32 bytes");
  }
  ASSIGN_OR_RETURN(uint64_t count, EntryCount());
  if (index >= (count >> level)) {
    return absl::FailedPreconditionError(
        absl::StrCat("subtree ", index, " at level ", level,
                     " reaches past the ", count, " stored entries"));
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT OR FAIL INTO audit_subtrees "
                               "(level, idx, hash) VALUES (?1, ?2, ?3)",
                               "cache audit subtree hash"));
  stmt.BindInt64(1, level);
  stmt.BindInt64(2, AsSql(index));
  stmt.BindBlob(3, hash);
  return db_.RunOnReserve(stmt);
}

absl::StatusOr<std::string> SqlAuditRepository::SubtreeHash(int level,
                                                            uint64_t index) {
  if (level < 0 || level > kAuditSubtreeMaxLevel) {
    return absl::InvalidArgumentError(
        absl::StrCat("there is no subtree level ", level));
  }
  if (level < kAuditSubtreeMinLevel || index > kMaxSqlInteger) {
    return absl::NotFoundError("subtree hash not cached");
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT hash FROM audit_subtrees "
                               "WHERE level = ?1 AND idx = ?2",
                               "read audit subtree hash"));
  stmt.BindInt64(1, level);
  stmt.BindInt64(2, AsSql(index));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("subtree hash not cached");
  return stmt.ColumnBlob(0);
}

absl::Status SqlAuditRepository::InsertCheckpoint(
    const AuditCheckpointRecord& checkpoint) {
  ASSIGN_OR_RETURN(uint64_t count, EntryCount());
  if (checkpoint.size > count) {
    return absl::FailedPreconditionError(
        absl::StrCat("a checkpoint of size ", checkpoint.size,
                     " reaches past the ", count, " stored entries"));
  }
  // Checkpoints only grow (the audit_checkpoints_grow trigger refuses
  // anything else); tell a repeated size from an older one.
  absl::StatusOr<AuditCheckpointRecord> latest = LatestCheckpoint();
  if (!latest.ok() && !absl::IsNotFound(latest.status())) {
    return latest.status();
  }
  if (latest.ok() && checkpoint.size <= latest->size) {
    absl::Status kept = CheckpointAt(checkpoint.size).status();
    if (kept.ok()) {
      return absl::AlreadyExistsError(
          absl::StrCat("a checkpoint of size ", checkpoint.size,
                       " is already kept"));
    }
    if (!absl::IsNotFound(kept)) return kept;
    return absl::FailedPreconditionError(
        absl::StrCat("a checkpoint of size ", checkpoint.size,
                     " is older than the latest one (size ", latest->size,
                     ")"));
  }
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT OR FAIL INTO audit_checkpoints (size, "
                               "signed_note, created_at) VALUES (?1, ?2, ?3)",
                               "insert audit checkpoint"));
  stmt.BindInt64(1, AsSql(checkpoint.size));
  stmt.BindBlob(2, checkpoint.signed_note);
  stmt.BindInt64(3, checkpoint.created_at);
  return db_.RunOnReserve(stmt);
}

absl::StatusOr<AuditCheckpointRecord> SqlAuditRepository::LatestCheckpoint() {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT size, signed_note, created_at FROM audit_checkpoints "
                  "ORDER BY size DESC LIMIT 1",
                  "read latest audit checkpoint"));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("no audit checkpoint yet");
  return ReadCheckpoint(stmt);
}

absl::StatusOr<AuditCheckpointRecord> SqlAuditRepository::CheckpointAt(
    uint64_t size) {
  if (size > kMaxSqlInteger) {
    return absl::NotFoundError("no audit checkpoint of that size");
  }
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT size, signed_note, created_at FROM audit_checkpoints "
                  "WHERE size = ?1",
                  "read audit checkpoint"));
  stmt.BindInt64(1, AsSql(size));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("no audit checkpoint of that size");
  return ReadCheckpoint(stmt);
}

}  // namespace casevault::storage
