#include "storage/migrations.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "storage/store.h"

namespace casevault::storage {
namespace {

// v1: accounts, sessions, cases and case notes (records.h).
constexpr char kSchemaV1[] = R"sql(
CREATE TABLE accounts (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  username       TEXT    NOT NULL UNIQUE,
  role           TEXT    NOT NULL,
  unit_id        TEXT    NOT NULL,
  password_hash  TEXT    NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  failed_logins  INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);

CREATE TABLE sessions (
  token_hash    BLOB    PRIMARY KEY,
  account_id    INTEGER NOT NULL REFERENCES accounts (id),
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_account ON sessions (account_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE cases (
  id                TEXT    PRIMARY KEY NOT NULL,
  school_id         TEXT    NOT NULL,
  owner_id          INTEGER NOT NULL,
  incident_type     INTEGER NOT NULL,
  context           INTEGER NOT NULL,
  severity          INTEGER NOT NULL,
  reporter_type     INTEGER NOT NULL,
  status            INTEGER NOT NULL,
  incident_date     TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  version           INTEGER NOT NULL,
  kek_version       INTEGER NOT NULL,
  wrapped_dek       BLOB    NOT NULL,
  sealed_people     BLOB    NOT NULL,
  sealed_place      BLOB    NOT NULL,
  sealed_narrative  BLOB    NOT NULL
);
CREATE INDEX cases_by_school_created
  ON cases (school_id, created_at DESC, id DESC);
CREATE INDEX cases_by_owner_created ON cases (owner_id, created_at);

CREATE TABLE case_notes (
  id           TEXT    PRIMARY KEY NOT NULL,
  case_id      TEXT    NOT NULL REFERENCES cases (id),
  author_id    INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  sealed_text  BLOB    NOT NULL
);
CREATE INDEX case_notes_by_case ON case_notes (case_id, created_at);
)sql";

// v2: the verifiable audit log (repositories.h, AuditRepository; the level
// choice of audit_subtrees is in docs/storage.md). leaf_hash precedes entry
// so that reading hashes never touches an entry's overflow pages. The
// triggers make entries and checkpoints append-only even to raw SQL,
// INSERT OR REPLACE included (its implicit delete fires no trigger while
// recursive_triggers is off, so the insert triggers refuse it instead).
constexpr char kSchemaV2[] = R"sql(
CREATE TABLE audit_entries (
  seq        INTEGER PRIMARY KEY CHECK (seq >= 0),
  leaf_hash  BLOB    NOT NULL CHECK (length(leaf_hash) = 32),
  entry      BLOB    NOT NULL
);
CREATE TRIGGER audit_entries_dense BEFORE INSERT ON audit_entries
WHEN NEW.seq IS NOT COALESCE((SELECT max(seq) FROM audit_entries) + 1, 0)
BEGIN
  SELECT RAISE(ABORT, 'audit entries are appended at the next seq');
END;
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN
  SELECT RAISE(ABORT, 'audit entries are append-only');
END;

CREATE TABLE audit_tree_state (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  size      INTEGER NOT NULL CHECK (size >= 0),
  frontier  BLOB    NOT NULL
);

CREATE TABLE audit_subtrees (
  level  INTEGER NOT NULL CHECK (level BETWEEN 0 AND 63),
  idx    INTEGER NOT NULL CHECK (idx >= 0),
  hash   BLOB    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;

CREATE TABLE audit_checkpoints (
  size         INTEGER PRIMARY KEY CHECK (size >= 0),
  signed_note  BLOB    NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE TRIGGER audit_checkpoints_grow BEFORE INSERT ON audit_checkpoints
WHEN NEW.size <= (SELECT max(size) FROM audit_checkpoints)
BEGIN
  SELECT RAISE(ABORT, 'audit checkpoints only grow');
END;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
)sql";

// v3: routing, coordination steps and consent (records.h, CaseRecord's
// routing fields, CaseMemberRecord, StepRecord, ConsentRecord,
// OverrideRecord). New case columns default so that a v2 case reads as
// never escalated, not closing, with no closure note. Values outside the
// enums records.h spells out (member kind, step environment and status,
// escalation, booleans) are refused by CHECKs: a caller's bug, INTERNAL.
// The list filters of docs/storage.md ("v3") drive the indexes:
// cases_for_listing covers every column a CaseFilter tests, in list order,
// so a list walks it without reading the sealed blobs of the rows it skips.
constexpr char kSchemaV3[] = R"sql(
ALTER TABLE cases ADD COLUMN escalation INTEGER NOT NULL DEFAULT 0
  CHECK (escalation IN (0, 1, 2));
ALTER TABLE cases ADD COLUMN escalation_reason INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN staff_involved INTEGER NOT NULL DEFAULT 0
  CHECK (staff_involved IN (0, 1));
ALTER TABLE cases ADD COLUMN victim_minor INTEGER NOT NULL DEFAULT 0
  CHECK (victim_minor IN (0, 1));
ALTER TABLE cases ADD COLUMN principal_recused INTEGER NOT NULL DEFAULT 0
  CHECK (principal_recused IN (0, 1));
ALTER TABLE cases ADD COLUMN pending_owner_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closure_reason INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closure_pending INTEGER NOT NULL DEFAULT 0
  CHECK (closure_pending IN (0, 1));
ALTER TABLE cases ADD COLUMN sealed_closure_note BLOB NOT NULL DEFAULT x'';
CREATE INDEX cases_by_school_escalation ON cases (school_id, escalation);
CREATE INDEX cases_by_pending_owner ON cases (pending_owner_id);
CREATE INDEX cases_for_listing ON cases (
  created_at DESC, id DESC, owner_id, pending_owner_id, school_id,
  escalation, staff_involved, principal_recused, status, severity);

CREATE TABLE case_members (
  case_id     TEXT    NOT NULL REFERENCES cases (id),
  account_id  INTEGER NOT NULL,
  kind        INTEGER NOT NULL CHECK (kind IN (1, 2)),
  added_by    INTEGER NOT NULL,
  added_at    INTEGER NOT NULL,
  PRIMARY KEY (case_id, account_id, kind)
);
CREATE INDEX case_members_by_account ON case_members (account_id, kind);

CREATE TABLE case_steps (
  id                     TEXT    PRIMARY KEY NOT NULL,
  case_id                TEXT    NOT NULL REFERENCES cases (id),
  kind                   INTEGER NOT NULL,
  environment            INTEGER NOT NULL CHECK (environment IN (1, 2, 3)),
  status                 INTEGER NOT NULL CHECK (status IN (1, 2, 3, 4)),
  owner_id               INTEGER NOT NULL DEFAULT 0,
  sealed_external_party  BLOB    NOT NULL,
  due_date               TEXT    NOT NULL,
  sealed_outcome         BLOB    NOT NULL,
  created_by             INTEGER NOT NULL,
  created_at             INTEGER NOT NULL,
  updated_at             INTEGER NOT NULL,
  version                INTEGER NOT NULL
);
CREATE INDEX case_steps_by_case ON case_steps (case_id, due_date);
CREATE INDEX case_steps_by_owner ON case_steps (owner_id);
CREATE INDEX case_steps_by_due ON case_steps (due_date, id);

CREATE TABLE case_consents (
  id            TEXT    PRIMARY KEY NOT NULL,
  case_id       TEXT    NOT NULL REFERENCES cases (id),
  purpose       INTEGER NOT NULL,
  service_kind  INTEGER NOT NULL,
  given_by      INTEGER NOT NULL,
  child_assent  INTEGER NOT NULL,
  given_on      TEXT    NOT NULL,
  recorded_by   INTEGER NOT NULL,
  recorded_at   INTEGER NOT NULL,
  withdrawn_at  INTEGER NOT NULL DEFAULT 0,
  withdrawn_by  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX case_consents_by_case ON case_consents (case_id);

CREATE TABLE case_overrides (
  id            TEXT    PRIMARY KEY NOT NULL,
  case_id       TEXT    NOT NULL REFERENCES cases (id),
  purpose       INTEGER NOT NULL,
  service_kind  INTEGER NOT NULL,
  reason        INTEGER NOT NULL,
  recorded_by   INTEGER NOT NULL,
  recorded_at   INTEGER NOT NULL
);
CREATE INDEX case_overrides_by_case ON case_overrides (case_id);
)sql";

// v4: the space reserve (space_reserve.h; sqlcipher_store.cc, G10): rows of
// zeros, one page each, that hold pages back for audit entries while the
// disk is full. They carry nothing and are deleted only when the disk fills.
constexpr char kSchemaV4[] = R"sql(
CREATE TABLE space_reserve (
  id      INTEGER PRIMARY KEY,
  filler  BLOB    NOT NULL
);
)sql";

// v5: the append-only triggers of v2 that run on every INSERT refuse with
// RAISE(FAIL) instead of RAISE(ABORT), and the repositories insert with
// INSERT OR FAIL. A statement that may ABORT after it has fired a trigger
// needs a statement journal, and SQLCipher encrypts every page copied into
// it: for the audit append that was one page encrypted and MACed per
// entry, about a third of the committer's page crypto on GetCase. A
// BEFORE INSERT trigger fires before the row is written, and the
// single-row INSERT checks its constraints before it writes, so FAIL
// leaves exactly what ABORT leaves: nothing (docs/storage.md, G13).
constexpr char kSchemaV5[] = R"sql(
DROP TRIGGER audit_entries_dense;
CREATE TRIGGER audit_entries_dense BEFORE INSERT ON audit_entries
WHEN NEW.seq IS NOT COALESCE((SELECT max(seq) FROM audit_entries) + 1, 0)
BEGIN
  SELECT RAISE(FAIL, 'audit entries are appended at the next seq');
END;
DROP TRIGGER audit_checkpoints_grow;
CREATE TRIGGER audit_checkpoints_grow BEFORE INSERT ON audit_checkpoints
WHEN NEW.size <= (SELECT max(size) FROM audit_checkpoints)
BEGIN
  SELECT RAISE(FAIL, 'audit checkpoints only grow');
END;
)sql";

absl::StatusOr<int> UserVersion(Connection& db) {
  ASSIGN_OR_RETURN(int64_t version,
                   db.QueryInt64("PRAGMA user_version", "read user_version"));
  return static_cast<int>(version);
}

// One step: its DDL and the user_version bump commit together or not at all.
absl::Status Apply(Connection& db, const Migration& step) {
  RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE", "begin migration"));
  // Re-read under the write lock: another process may have migrated since.
  absl::StatusOr<int> current = UserVersion(db);
  absl::Status status = current.status();
  if (status.ok() && *current >= step.version) {
    return db.Exec("ROLLBACK", "end migration");
  }
  if (status.ok() && *current != step.version - 1) {
    status = absl::FailedPreconditionError("schema versions out of order");
  }
  // PRAGMA takes no bound parameters; the value is a constant of the code.
  const std::string bump = absl::StrCat("PRAGMA user_version = ", step.version);
  if (status.ok()) status = db.Exec(step.sql, "apply migration");
  if (status.ok()) status = db.Exec(bump.c_str(), "bump user_version");
  if (status.ok()) status = db.Exec("COMMIT", "commit migration");
  if (!status.ok()) {
    if (db.InTransaction())
      db.Exec("ROLLBACK", "roll back migration").IgnoreError();
    return absl::Status(
        status.code(),
        absl::StrCat("schema migration to version ", step.version,
                     " failed: ", status.message()));
  }
  return absl::OkStatus();
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration>* const kMigrations =
      new std::vector<Migration>{
          {1, kSchemaV1},
          {2, kSchemaV2},
          {3, kSchemaV3},
          {4, kSchemaV4},
          {5, kSchemaV5},
      };
  return *kMigrations;
}

int LatestSchemaVersion() { return Migrations().back().version; }

absl::Status MigrateTo(Connection& db, int target_version) {
  if (target_version < 1 || target_version > LatestSchemaVersion()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown schema version ", target_version));
  }
  ASSIGN_OR_RETURN(int current, UserVersion(db));
  if (current > target_version) {
    return absl::FailedPreconditionError(
        absl::StrCat("the database schema (version ", current,
                     ") is newer than this casevault knows (version ",
                     target_version, "); refusing to open it"));
  }
  for (const Migration& step : Migrations()) {
    if (step.version <= current) continue;
    if (step.version > target_version) break;
    RETURN_IF_ERROR(Apply(db, step));
  }
  return absl::OkStatus();
}

}  // namespace casevault::storage
