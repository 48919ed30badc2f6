#include "common/status_macros.h"
#include "storage/case_visibility.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

// Column order of ReadCase and BindCase.
#define CV_CASE_COLUMNS                                                     \
  "id, school_id, owner_id, incident_type, context, severity, "             \
  "reporter_type, status, incident_date, created_at, updated_at, version, " \
  "kek_version, wrapped_dek, sealed_people, sealed_place, sealed_narrative, " \
  "escalation, escalation_reason, staff_involved, victim_minor, "           \
  "principal_recused, pending_owner_id, closure_reason, closure_pending, "  \
  "sealed_closure_note"

// Binds ?1..?26 in CV_CASE_COLUMNS order.
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
  stmt.BindInt64(18, record.escalation);
  stmt.BindInt64(19, record.escalation_reason);
  stmt.BindInt64(20, record.staff_involved ? 1 : 0);
  stmt.BindInt64(21, record.victim_minor ? 1 : 0);
  stmt.BindInt64(22, record.principal_recused ? 1 : 0);
  stmt.BindInt64(23, record.pending_owner_id);
  stmt.BindInt64(24, record.closure_reason);
  stmt.BindInt64(25, record.closure_pending ? 1 : 0);
  stmt.BindBlob(26, record.sealed_closure_note);
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
  record.escalation = static_cast<int32_t>(stmt.ColumnInt64(17));
  record.escalation_reason = static_cast<int32_t>(stmt.ColumnInt64(18));
  record.staff_involved = stmt.ColumnInt64(19) != 0;
  record.victim_minor = stmt.ColumnInt64(20) != 0;
  record.principal_recused = stmt.ColumnInt64(21) != 0;
  record.pending_owner_id = stmt.ColumnInt64(22);
  record.closure_reason = static_cast<int32_t>(stmt.ColumnInt64(23));
  record.closure_pending = stmt.ColumnInt64(24) != 0;
  record.sealed_closure_note = stmt.ColumnBlob(25);
  return record;
}

}  // namespace

absl::Status SqlCaseRepository::Insert(const CaseRecord& record) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT INTO cases (" CV_CASE_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                               "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26)",
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
  // Only the conditions that are set are emitted, so a text's shape (and
  // with it the cached statement) depends on which are set, never on their
  // values (case_visibility.h).
  BoundSql sql;
  sql.Sql("SELECT " CV_CASE_COLUMNS " FROM cases WHERE ");
  RETURN_IF_ERROR(AppendVisibleCase(filter.viewer_id, filter.routes, sql));
  if (filter.status) sql.Sql(" AND cases.status = ").Int(*filter.status);
  if (filter.severity) {
    sql.Sql(" AND cases.severity = ").Int(*filter.severity);
  }
  if (filter.overdue_before) {
    // Done (3) and cancelled (4) steps are never overdue.
    sql.Sql(" AND EXISTS (SELECT 1 FROM case_steps AS overdue"
            " WHERE overdue.case_id = cases.id"
            " AND overdue.status NOT IN (3, 4) AND overdue.due_date < ")
        .Text(*filter.overdue_before)
        .Sql(")");
  }
  if (filter.environment) {
    sql.Sql(" AND EXISTS (SELECT 1 FROM case_steps AS there"
            " WHERE there.case_id = cases.id AND there.environment = ")
        .Int(*filter.environment)
        .Sql(")");
  }
  if (filter.after) {
    sql.Sql(" AND (cases.created_at < ")
        .Int(filter.after->first)
        .Sql(" OR (cases.created_at = ")
        .Int(filter.after->first)
        .Sql(" AND cases.id < ")
        .Text(filter.after->second)
        .Sql("))");
  }
  sql.Sql(" ORDER BY cases.created_at DESC, cases.id DESC LIMIT ")
      .Int(filter.limit);

  ASSIGN_OR_RETURN(Statement stmt, db_.Prepare(sql.text(), "list cases"));
  sql.BindTo(stmt);
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
      db_.Prepare("UPDATE OR FAIL cases SET school_id = ?2, owner_id = ?3, "
                  "incident_type = ?4, context = ?5, severity = ?6, "
                  "reporter_type = ?7, status = ?8, incident_date = ?9, "
                  "created_at = ?10, updated_at = ?11, version = ?12, "
                  "kek_version = ?13, wrapped_dek = ?14, sealed_people = ?15, "
                  "sealed_place = ?16, sealed_narrative = ?17, "
                  "escalation = ?18, escalation_reason = ?19, "
                  "staff_involved = ?20, victim_minor = ?21, "
                  "principal_recused = ?22, pending_owner_id = ?23, "
                  "closure_reason = ?24, closure_pending = ?25, "
                  "sealed_closure_note = ?26 "
                  "WHERE id = ?1 AND version = ?27",
                  "update case"));
  BindCase(stmt, record);
  stmt.BindInt64(27, expected_version);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 1) return absl::OkStatus();
  return NoCaseUpdated(record.id);
}

absl::Status SqlCaseRepository::Touch(const std::string& case_id,
                                      UnixMillis updated_at,
                                      int64_t expected_version) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE OR FAIL cases SET updated_at = ?2, version = ?3 "
                  "WHERE id = ?1 AND version = ?4",
                  "touch case"));
  stmt.BindText(1, case_id);
  stmt.BindInt64(2, updated_at);
  stmt.BindInt64(3, expected_version + 1);
  stmt.BindInt64(4, expected_version);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 1) return absl::OkStatus();
  return NoCaseUpdated(case_id);
}

absl::Status SqlCaseRepository::NoCaseUpdated(const std::string& case_id) {
  ASSIGN_OR_RETURN(
      Statement probe,
      db_.Prepare("SELECT 1 FROM cases WHERE id = ?1", "check case exists"));
  probe.BindText(1, case_id);
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

absl::Status SqlCaseRepository::AddMember(const CaseMemberRecord& member) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO case_members (case_id, account_id, kind, "
                  "added_by, added_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                  "add case member"));
  stmt.BindText(1, member.case_id);
  stmt.BindInt64(2, member.account_id);
  stmt.BindInt64(3, static_cast<int32_t>(member.kind));
  stmt.BindInt64(4, member.added_by);
  stmt.BindInt64(5, member.added_at);
  absl::Status status = stmt.Run();
  // The only foreign key of case_members is its case; a repeated
  // (case, account, kind) clashes with the primary key: ALREADY_EXISTS.
  if (absl::IsFailedPrecondition(status)) {
    return absl::NotFoundError("case not found");
  }
  return status;
}

absl::Status SqlCaseRepository::RemoveMember(const std::string& case_id,
                                             int64_t account_id,
                                             MemberKind kind) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("DELETE FROM case_members "
                  "WHERE case_id = ?1 AND account_id = ?2 AND kind = ?3",
                  "remove case member"));
  stmt.BindText(1, case_id);
  stmt.BindInt64(2, account_id);
  stmt.BindInt64(3, static_cast<int32_t>(kind));
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 0) return absl::NotFoundError("membership not found");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<CaseMemberRecord>> SqlCaseRepository::ListMembers(
    const std::string& case_id) {
  // rowid keeps memberships added in the same millisecond in insertion
  // order.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT case_id, account_id, kind, added_by, added_at "
                  "FROM case_members WHERE case_id = ?1 "
                  "ORDER BY added_at, rowid",
                  "list case members"));
  stmt.BindText(1, case_id);
  std::vector<CaseMemberRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    CaseMemberRecord member;
    member.case_id = stmt.ColumnText(0);
    member.account_id = stmt.ColumnInt64(1);
    member.kind = static_cast<MemberKind>(stmt.ColumnInt64(2));
    member.added_by = stmt.ColumnInt64(3);
    member.added_at = stmt.ColumnInt64(4);
    out.push_back(std::move(member));
  }
  return out;
}

#undef CV_CASE_COLUMNS

}  // namespace casevault::storage
