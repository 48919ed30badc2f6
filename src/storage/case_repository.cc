#include "common/status_macros.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

// Column order of ReadCase and BindCase.
#define CV_CASE_COLUMNS                                                     \
  "id, school_id, owner_id, incident_type, context, severity, "             \
  "reporter_type, status, incident_date, created_at, updated_at, version, " \
  "kek_version, wrapped_dek, sealed_people, sealed_place, sealed_narrative"

// Binds ?1..?17 in CV_CASE_COLUMNS order.
void BindCase(Statement& stmt, const CaseRecord& record) {
  stmt.BindText(1, record.id);
  stmt.BindText(2, record.school_id);
  stmt.BindInt64(3, record.owner_id);
  stmt.BindInt64(4, record.incident_type);
  stmt.BindInt64(5, record.context);
  stmt.BindInt64(6, record.severity);
  stmt.BindInt64(7, record.reporter_type);
  stmt.BindInt64(8, record.status);
  stmt.BindText(9, record.incident_date);
  stmt.BindInt64(10, record.created_at);
  stmt.BindInt64(11, record.updated_at);
  stmt.BindInt64(12, record.version);
  stmt.BindInt64(13, record.kek_version);
  stmt.BindBlob(14, record.wrapped_dek);
  stmt.BindBlob(15, record.sealed_people);
  stmt.BindBlob(16, record.sealed_place);
  stmt.BindBlob(17, record.sealed_narrative);
}

CaseRecord ReadCase(const Statement& stmt) {
  CaseRecord record;
  record.id = stmt.ColumnText(0);
  record.school_id = stmt.ColumnText(1);
  record.owner_id = stmt.ColumnInt64(2);
  record.incident_type = static_cast<int32_t>(stmt.ColumnInt64(3));
  record.context = static_cast<int32_t>(stmt.ColumnInt64(4));
  record.severity = static_cast<int32_t>(stmt.ColumnInt64(5));
  record.reporter_type = static_cast<int32_t>(stmt.ColumnInt64(6));
  record.status = static_cast<int32_t>(stmt.ColumnInt64(7));
  record.incident_date = stmt.ColumnText(8);
  record.created_at = stmt.ColumnInt64(9);
  record.updated_at = stmt.ColumnInt64(10);
  record.version = stmt.ColumnInt64(11);
  record.kek_version = static_cast<uint32_t>(stmt.ColumnInt64(12));
  record.wrapped_dek = stmt.ColumnBlob(13);
  record.sealed_people = stmt.ColumnBlob(14);
  record.sealed_place = stmt.ColumnBlob(15);
  record.sealed_narrative = stmt.ColumnBlob(16);
  return record;
}

}  // namespace

absl::Status SqlCaseRepository::Insert(const CaseRecord& record) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT INTO cases (" CV_CASE_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                               "insert case"));
  BindCase(stmt, record);
  return stmt.Run();
}

absl::StatusOr<CaseRecord> SqlCaseRepository::Find(const std::string& case_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT " CV_CASE_COLUMNS
                                               " FROM cases WHERE id = ?1",
                                               "find case"));
  stmt.BindText(1, case_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("case not found");
  return ReadCase(stmt);
}

absl::StatusOr<std::vector<CaseRecord>> SqlCaseRepository::List(
    const CaseFilter& filter) {
  if (filter.limit < 0) {
    return absl::InvalidArgumentError("limit must not be negative");
  }
  // One statement for every filter shape: an unset option is bound as NULL
  // and its condition collapses to true. With neither owner_id nor
  // min_severity set, every case of the school matches. The school index
  // (school_id, created_at DESC, id DESC) serves both the WHERE and the
  // ORDER BY, so the scan stops after `limit` matches.
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT " CV_CASE_COLUMNS " FROM cases"
                               " WHERE school_id = ?1"
                               "   AND ((?2 IS NULL AND ?3 IS NULL)"
                               "        OR owner_id = ?2 OR severity >= ?3)"
                               "   AND (?4 IS NULL OR status = ?4)"
                               "   AND (?5 IS NULL OR created_at < ?5"
                               "        OR (created_at = ?5 AND id < ?6))"
                               " ORDER BY created_at DESC, id DESC"
                               " LIMIT ?7",
                               "list cases"));
  stmt.BindText(1, filter.school_id);
  if (filter.owner_id) stmt.BindInt64(2, *filter.owner_id);
  if (filter.min_severity) stmt.BindInt64(3, *filter.min_severity);
  if (filter.status) stmt.BindInt64(4, *filter.status);
  if (filter.after) {
    stmt.BindInt64(5, filter.after->first);
    stmt.BindText(6, filter.after->second);
  }
  stmt.BindInt64(7, filter.limit);
  std::vector<CaseRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadCase(stmt));
  }
  return out;
}

absl::StatusOr<int64_t> SqlCaseRepository::Count() {
  return db_.QueryInt64("SELECT count(*) FROM cases", "count cases");
}

absl::Status SqlCaseRepository::Update(const CaseRecord& record,
                                       int64_t expected_version) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE cases SET school_id = ?2, owner_id = ?3, "
                  "incident_type = ?4, context = ?5, severity = ?6, "
                  "reporter_type = ?7, status = ?8, incident_date = ?9, "
                  "created_at = ?10, updated_at = ?11, version = ?12, "
                  "kek_version = ?13, wrapped_dek = ?14, sealed_people = ?15, "
                  "sealed_place = ?16, sealed_narrative = ?17 "
                  "WHERE id = ?1 AND version = ?18",
                  "update case"));
  BindCase(stmt, record);
  stmt.BindInt64(18, expected_version);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 1) return absl::OkStatus();

  // Nothing changed: tell a missing case from a stale version.
  ASSIGN_OR_RETURN(
      Statement probe,
      db_.Prepare("SELECT 1 FROM cases WHERE id = ?1", "check case exists"));
  probe.BindText(1, record.id);
  ASSIGN_OR_RETURN(bool exists, probe.Step());
  if (!exists) return absl::NotFoundError("case not found");
  return absl::AbortedError(
      "the case was changed by someone else; reload it and try again");
}

absl::Status SqlCaseRepository::InsertNote(const NoteRecord& note) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO case_notes (id, case_id, author_id, created_at, "
                  "sealed_text) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "insert case note"));
  stmt.BindText(1, note.id);
  stmt.BindText(2, note.case_id);
  stmt.BindInt64(3, note.author_id);
  stmt.BindInt64(4, note.created_at);
  stmt.BindBlob(5, note.sealed_text);
  absl::Status status = stmt.Run();
  // The only foreign key of case_notes is its case.
  if (absl::IsFailedPrecondition(status)) {
    return absl::NotFoundError("case not found");
  }
  return status;
}

absl::StatusOr<std::vector<NoteRecord>> SqlCaseRepository::ListNotes(
    const std::string& case_id) {
  // rowid breaks ties between notes written in the same millisecond in
  // insertion order.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT id, case_id, author_id, created_at, sealed_text "
                  "FROM case_notes WHERE case_id = ?1 "
                  "ORDER BY created_at, rowid",
                  "list case notes"));
  stmt.BindText(1, case_id);
  std::vector<NoteRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    NoteRecord note;
    note.id = stmt.ColumnText(0);
    note.case_id = stmt.ColumnText(1);
    note.author_id = stmt.ColumnInt64(2);
    note.created_at = stmt.ColumnInt64(3);
    note.sealed_text = stmt.ColumnBlob(4);
    out.push_back(std::move(note));
  }
  return out;
}

#undef CV_CASE_COLUMNS

}  // namespace casevault::storage
