// Steps, consent and overrides (repositories.h, CoordinationRepository).
//
// Invariants:
//  - Each table's only foreign key is its case, so a FOREIGN KEY failure on
//    insert means the case is missing: NOT_FOUND.
//  - A consent is in force while withdrawn_at = 0; it is withdrawn at most
//    once, and a withdrawal is never undone.
//  - Overrides are only ever inserted.
#include "common/status_macros.h"
#include "storage/case_visibility.h"
#include "storage/sql_repositories.h"

namespace casevault::storage {
namespace {

// Column order of ReadStep and BindStep.
#define CV_STEP_COLUMNS                                           \
  "id, case_id, kind, environment, status, owner_id, "            \
  "sealed_external_party, due_date, sealed_outcome, created_by, " \
  "created_at, updated_at, version"

// Binds ?1..?13 in CV_STEP_COLUMNS order.
void BindStep(Statement& stmt, const StepRecord& step) {
  stmt.BindText(1, step.id);
  stmt.BindText(2, step.case_id);
  stmt.BindInt64(3, step.kind);
  stmt.BindInt64(4, step.environment);
  stmt.BindInt64(5, step.status);
  stmt.BindInt64(6, step.owner_id);
  stmt.BindBlob(7, step.sealed_external_party);
  stmt.BindText(8, step.due_date);
  stmt.BindBlob(9, step.sealed_outcome);
  stmt.BindInt64(10, step.created_by);
  stmt.BindInt64(11, step.created_at);
  stmt.BindInt64(12, step.updated_at);
  stmt.BindInt64(13, step.version);
}

StepRecord ReadStep(const Statement& stmt) {
  StepRecord step;
  step.id = stmt.ColumnText(0);
  step.case_id = stmt.ColumnText(1);
  step.kind = static_cast<int32_t>(stmt.ColumnInt64(2));
  step.environment = static_cast<int32_t>(stmt.ColumnInt64(3));
  step.status = static_cast<int32_t>(stmt.ColumnInt64(4));
  step.owner_id = stmt.ColumnInt64(5);
  step.sealed_external_party = stmt.ColumnBlob(6);
  step.due_date = stmt.ColumnText(7);
  step.sealed_outcome = stmt.ColumnBlob(8);
  step.created_by = stmt.ColumnInt64(9);
  step.created_at = stmt.ColumnInt64(10);
  step.updated_at = stmt.ColumnInt64(11);
  step.version = stmt.ColumnInt64(12);
  return step;
}

#define CV_CONSENT_COLUMNS                                                 \
  "id, case_id, purpose, service_kind, given_by, child_assent, given_on, " \
  "recorded_by, recorded_at, withdrawn_at, withdrawn_by"

ConsentRecord ReadConsent(const Statement& stmt) {
  ConsentRecord consent;
  consent.id = stmt.ColumnText(0);
  consent.case_id = stmt.ColumnText(1);
  consent.purpose = static_cast<int32_t>(stmt.ColumnInt64(2));
  consent.service_kind = static_cast<int32_t>(stmt.ColumnInt64(3));
  consent.given_by = static_cast<int32_t>(stmt.ColumnInt64(4));
  consent.child_assent = static_cast<int32_t>(stmt.ColumnInt64(5));
  consent.given_on = stmt.ColumnText(6);
  consent.recorded_by = stmt.ColumnInt64(7);
  consent.recorded_at = stmt.ColumnInt64(8);
  consent.withdrawn_at = stmt.ColumnInt64(9);
  consent.withdrawn_by = stmt.ColumnInt64(10);
  return consent;
}

// Runs an insert whose only foreign key is the case.
absl::Status RunInsertForCase(Statement& stmt) {
  absl::Status status = stmt.Run();
  if (absl::IsFailedPrecondition(status)) {
    return absl::NotFoundError("case not found");
  }
  return status;
}

// True when a row with `id` exists; `sql` selects it by ?1.
absl::StatusOr<bool> Exists(Connection& db, const char* sql,
                            const std::string& id) {
  ASSIGN_OR_RETURN(Statement probe, db.Prepare(sql, "check row exists"));
  probe.BindText(1, id);
  return probe.Step();
}

}  // namespace

absl::Status SqlCoordinationRepository::InsertStep(const StepRecord& step) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT INTO case_steps (" CV_STEP_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11, ?12, ?13)",
                               "insert step"));
  BindStep(stmt, step);
  return RunInsertForCase(stmt);
}

absl::StatusOr<StepRecord> SqlCoordinationRepository::FindStep(
    const std::string& step_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_.Prepare("SELECT " CV_STEP_COLUMNS
                                               " FROM case_steps WHERE id = ?1",
                                               "find step"));
  stmt.BindText(1, step_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("step not found");
  return ReadStep(stmt);
}

absl::Status SqlCoordinationRepository::UpdateStep(const StepRecord& step,
                                                   int64_t expected_version) {
  // id, case_id, created_by and created_at are never rewritten.
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE OR FAIL case_steps SET kind = ?3, environment = ?4, "
                  "status = ?5, owner_id = ?6, sealed_external_party = ?7, "
                  "due_date = ?8, sealed_outcome = ?9, updated_at = ?12, "
                  "version = ?13 WHERE id = ?1 AND version = ?14",
                  "update step"));
  BindStep(stmt, step);  // ?2, ?10 and ?11 are bound but unused
  stmt.BindInt64(14, expected_version);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 1) return absl::OkStatus();

  // Nothing changed: tell a missing step from a stale version.
  ASSIGN_OR_RETURN(
      bool exists,
      Exists(db_, "SELECT 1 FROM case_steps WHERE id = ?1", step.id));
  if (!exists) return absl::NotFoundError("step not found");
  return absl::AbortedError(
      "the step was changed by someone else; reload it and try again");
}

absl::StatusOr<std::vector<StepRecord>> SqlCoordinationRepository::ListSteps(
    const std::string& case_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT " CV_STEP_COLUMNS
                               " FROM case_steps WHERE case_id = ?1"
                               " ORDER BY due_date, created_at, id",
                               "list steps"));
  stmt.BindText(1, case_id);
  std::vector<StepRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadStep(stmt));
  }
  return out;
}

absl::StatusOr<std::vector<StepRecord>> SqlCoordinationRepository::FindSteps(
    const StepFilter& filter) {
  if (filter.limit < 0) {
    return absl::InvalidArgumentError("limit must not be negative");
  }
  // The steps of the visible cases (case_visibility.h); only the
  // narrowings that are set are emitted. IN, not a join: the visible ids
  // come from one pass over the cases indexes, never one case lookup per
  // step, which bounds the cost when few of many steps are visible.
  BoundSql sql;
  sql.Sql("SELECT " CV_STEP_COLUMNS
          " FROM case_steps"
          " WHERE case_steps.case_id IN (SELECT cases.id FROM cases WHERE ");
  RETURN_IF_ERROR(AppendVisibleCase(filter.viewer_id, filter.routes, sql));
  sql.Sql(")");
  if (filter.case_id) {
    sql.Sql(" AND case_steps.case_id = ").Text(*filter.case_id);
  }
  if (filter.overdue_before) {
    // Done (3) and cancelled (4) steps are never overdue.
    sql.Sql(
           " AND case_steps.status NOT IN (3, 4)"
           " AND case_steps.due_date < ")
        .Text(*filter.overdue_before);
  }
  if (filter.after) {
    sql.Sql(" AND (case_steps.due_date > ")
        .Text(filter.after->first)
        .Sql(" OR (case_steps.due_date = ")
        .Text(filter.after->first)
        .Sql(" AND case_steps.id > ")
        .Text(filter.after->second)
        .Sql("))");
  }
  sql.Sql(" ORDER BY case_steps.due_date, case_steps.id LIMIT ")
      .Int(filter.limit);

  ASSIGN_OR_RETURN(Statement stmt, db_.Prepare(sql.text(), "find steps"));
  sql.BindTo(stmt);
  std::vector<StepRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadStep(stmt));
  }
  return out;
}

absl::Status SqlCoordinationRepository::InsertConsent(
    const ConsentRecord& consent) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("INSERT INTO case_consents (" CV_CONSENT_COLUMNS
                               ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                               "?10, ?11)",
                               "insert consent"));
  stmt.BindText(1, consent.id);
  stmt.BindText(2, consent.case_id);
  stmt.BindInt64(3, consent.purpose);
  stmt.BindInt64(4, consent.service_kind);
  stmt.BindInt64(5, consent.given_by);
  stmt.BindInt64(6, consent.child_assent);
  stmt.BindText(7, consent.given_on);
  stmt.BindInt64(8, consent.recorded_by);
  stmt.BindInt64(9, consent.recorded_at);
  stmt.BindInt64(10, consent.withdrawn_at);
  stmt.BindInt64(11, consent.withdrawn_by);
  return RunInsertForCase(stmt);
}

absl::StatusOr<ConsentRecord> SqlCoordinationRepository::FindConsent(
    const std::string& consent_id) {
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT " CV_CONSENT_COLUMNS
                               " FROM case_consents WHERE id = ?1",
                               "find consent"));
  stmt.BindText(1, consent_id);
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return absl::NotFoundError("consent not found");
  return ReadConsent(stmt);
}

absl::Status SqlCoordinationRepository::WithdrawConsent(
    const std::string& consent_id, UnixMillis at, int64_t by) {
  // withdrawn_at = 0 means "in force": a withdrawal at 0 would be lost.
  if (at <= 0) {
    return absl::InvalidArgumentError("a withdrawal needs a time after 0");
  }
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("UPDATE OR FAIL case_consents SET withdrawn_at = ?2, "
                  "withdrawn_by = ?3 WHERE id = ?1 AND withdrawn_at = 0",
                  "withdraw consent"));
  stmt.BindText(1, consent_id);
  stmt.BindInt64(2, at);
  stmt.BindInt64(3, by);
  RETURN_IF_ERROR(stmt.Run());
  if (db_.Changes() == 1) return absl::OkStatus();

  ASSIGN_OR_RETURN(
      bool exists,
      Exists(db_, "SELECT 1 FROM case_consents WHERE id = ?1", consent_id));
  if (!exists) return absl::NotFoundError("consent not found");
  return absl::FailedPreconditionError("the consent is already withdrawn");
}

absl::StatusOr<std::vector<ConsentRecord>>
SqlCoordinationRepository::ListConsents(const std::string& case_id) {
  // rowid keeps consents recorded in the same millisecond in insertion
  // order.
  ASSIGN_OR_RETURN(Statement stmt,
                   db_.Prepare("SELECT " CV_CONSENT_COLUMNS
                               " FROM case_consents WHERE case_id = ?1"
                               " ORDER BY recorded_at, rowid",
                               "list consents"));
  stmt.BindText(1, case_id);
  std::vector<ConsentRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    out.push_back(ReadConsent(stmt));
  }
  return out;
}

absl::Status SqlCoordinationRepository::InsertOverride(
    const OverrideRecord& override_record) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("INSERT INTO case_overrides (id, case_id, purpose, "
                  "service_kind, reason, recorded_by, recorded_at) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                  "insert override"));
  stmt.BindText(1, override_record.id);
  stmt.BindText(2, override_record.case_id);
  stmt.BindInt64(3, override_record.purpose);
  stmt.BindInt64(4, override_record.service_kind);
  stmt.BindInt64(5, override_record.reason);
  stmt.BindInt64(6, override_record.recorded_by);
  stmt.BindInt64(7, override_record.recorded_at);
  return RunInsertForCase(stmt);
}

absl::StatusOr<std::vector<OverrideRecord>>
SqlCoordinationRepository::ListOverrides(const std::string& case_id) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_.Prepare("SELECT id, case_id, purpose, service_kind, reason, "
                  "recorded_by, recorded_at FROM case_overrides "
                  "WHERE case_id = ?1 ORDER BY recorded_at, rowid",
                  "list overrides"));
  stmt.BindText(1, case_id);
  std::vector<OverrideRecord> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    OverrideRecord record;
    record.id = stmt.ColumnText(0);
    record.case_id = stmt.ColumnText(1);
    record.purpose = static_cast<int32_t>(stmt.ColumnInt64(2));
    record.service_kind = static_cast<int32_t>(stmt.ColumnInt64(3));
    record.reason = static_cast<int32_t>(stmt.ColumnInt64(4));
    record.recorded_by = stmt.ColumnInt64(5);
    record.recorded_at = stmt.ColumnInt64(6);
    out.push_back(std::move(record));
  }
  return out;
}

#undef CV_CONSENT_COLUMNS
#undef CV_STEP_COLUMNS

}  // namespace casevault::storage
