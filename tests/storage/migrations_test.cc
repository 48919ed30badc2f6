#include "storage/migrations.h"

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/status_macros.h"
#include "crypto/digest.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keyed_connection.h"
#include "storage/sql_repositories.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::IsSupersetOf;
using ::testing::UnorderedElementsAreArray;

// What each step adds. A new migration must add its entry here.
struct StepSchema {
  // table -> its columns, exactly
  std::map<std::string, std::vector<std::string>> tables;
  std::vector<std::string> indexes;
  std::vector<std::string> triggers;
  // table of an earlier step -> the columns this step appends to it
  std::map<std::string, std::vector<std::string>> added_columns = {};
};

const std::map<int, StepSchema>& ExpectedSchemas() {
  static const auto* const kSchemas = new std::map<int, StepSchema>{
      {1,
       {{
            {"accounts",
             {"id", "username", "role", "unit_id", "password_hash", "disabled",
              "failed_logins", "locked_until", "created_at", "updated_at"}},
            {"sessions",
             {"token_hash", "account_id", "created_at", "last_used_at",
              "expires_at"}},
            {"cases",
             {"id", "school_id", "owner_id", "incident_type", "context",
              "severity", "reporter_type", "status", "incident_date",
              "created_at", "updated_at", "version", "kek_version",
              "wrapped_dek", "sealed_people", "sealed_place",
              "sealed_narrative"}},
            {"case_notes",
             {"id", "case_id", "author_id", "created_at", "sealed_text"}},
        },
        {"sessions_by_account", "sessions_by_expiry", "cases_by_school_created",
         "cases_by_owner_created", "case_notes_by_case"},
        {}}},
      {2,
       {{
            {"audit_entries", {"seq", "leaf_hash", "entry"}},
            {"audit_tree_state", {"id", "size", "frontier"}},
            {"audit_subtrees", {"level", "idx", "hash"}},
            {"audit_checkpoints", {"size", "signed_note", "created_at"}},
        },
        {},
        {"audit_entries_dense", "audit_entries_no_update",
         "audit_entries_no_delete", "audit_checkpoints_grow",
         "audit_checkpoints_no_update", "audit_checkpoints_no_delete"}}},
      {3,
       {{
            {"case_members",
             {"case_id", "account_id", "kind", "added_by", "added_at"}},
            {"case_steps",
             {"id", "case_id", "kind", "environment", "status", "owner_id",
              "sealed_external_party", "due_date", "sealed_outcome",
              "created_by", "created_at", "updated_at", "version"}},
            {"case_consents",
             {"id", "case_id", "purpose", "service_kind", "given_by",
              "child_assent", "given_on", "recorded_by", "recorded_at",
              "withdrawn_at", "withdrawn_by"}},
            {"case_overrides",
             {"id", "case_id", "purpose", "service_kind", "reason",
              "recorded_by", "recorded_at"}},
        },
        {"cases_by_school_escalation", "cases_by_pending_owner",
         "cases_for_listing",
         "case_members_by_account", "case_steps_by_case",
         "case_steps_by_owner", "case_steps_by_due", "case_consents_by_case",
         "case_overrides_by_case"},
        {},
        {{"cases",
          {"escalation", "escalation_reason", "staff_involved",
           "victim_minor", "principal_recused", "pending_owner_id",
           "closure_reason", "closure_pending", "sealed_closure_note"}}}}},
      {4, {{{"space_reserve", {"id", "filler"}}}, {}, {}}},
      {5, {{}, {}, {}}},  // replaces two triggers of step 2
  };
  return *kSchemas;
}

class MigrationsTest : public ::testing::Test {
 protected:
  MigrationsTest() : key_(TestKey(5)) {}

  std::unique_ptr<Connection> Open() {
    auto db = OpenKeyedConnection(dir_.File("m.db"), key_,
                                  AccessMode::kReadWriteCreate, 1000);
    EXPECT_THAT(db, IsOk());
    return db.ok() ? std::move(db).value() : nullptr;
  }

  static std::set<std::string> Names(Connection& db, const char* type) {
    std::set<std::string> out;
    auto stmt = db.Prepare(
        "SELECT name FROM sqlite_master WHERE type = ?1 AND name NOT LIKE "
        "'sqlite_%'",
        "list schema");
    EXPECT_THAT(stmt, IsOk());
    stmt->BindText(1, type);
    for (auto row = stmt->Step(); row.ok() && *row; row = stmt->Step()) {
      out.insert(stmt->ColumnText(0));
    }
    return out;
  }

  static std::vector<std::string> Columns(Connection& db,
                                          const std::string& table) {
    std::vector<std::string> out;
    // table_info takes no bound parameter; the name is a test constant.
    const std::string sql = "PRAGMA table_info(" + table + ")";
    auto stmt = db.Prepare(sql.c_str(), "table info");
    EXPECT_THAT(stmt, IsOk());
    for (auto row = stmt->Step(); row.ok() && *row; row = stmt->Step()) {
      out.push_back(stmt->ColumnText(1));
    }
    return out;
  }

  static int64_t UserVersion(Connection& db) {
    return *db.QueryInt64("PRAGMA user_version", "user_version");
  }

  ::casevault::testing::TempDir dir_;
  crypto::SecretBytes key_;
};

TEST_F(MigrationsTest, StepsAreNumberedWithoutGapsAndAllHaveExpectations) {
  const auto& steps = Migrations();
  ASSERT_FALSE(steps.empty());
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(ExpectedSchemas().count(steps[i].version), 1u)
        << "add the schema of step " << steps[i].version << " to this test";
  }
  EXPECT_EQ(LatestSchemaVersion(), steps.back().version);
}

// Each step on its own: migrate a fresh file to N and check what steps 1..N
// created.
TEST_F(MigrationsTest, EachStepCreatesItsSchema) {
  for (const Migration& step : Migrations()) {
    SCOPED_TRACE(step.version);
    std::remove(dir_.File("m.db").c_str());
    std::remove(dir_.File("m.db-wal").c_str());
    std::remove(dir_.File("m.db-shm").c_str());
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_OK(MigrateTo(*db, step.version));
    EXPECT_EQ(UserVersion(*db), step.version);

    std::set<std::string> tables, indexes, triggers;
    std::map<std::string, std::vector<std::string>> columns;
    for (const auto& [version, schema] : ExpectedSchemas()) {
      if (version > step.version) break;
      for (const auto& [table, its_columns] : schema.tables) {
        tables.insert(table);
        columns[table] = its_columns;
      }
      for (const auto& [table, added] : schema.added_columns) {
        ASSERT_EQ(columns.count(table), 1u) << table << " is not older";
        columns[table].insert(columns[table].end(), added.begin(),
                              added.end());
      }
      indexes.insert(schema.indexes.begin(), schema.indexes.end());
      triggers.insert(schema.triggers.begin(), schema.triggers.end());
    }
    for (const auto& [table, its_columns] : columns) {
      EXPECT_THAT(Columns(*db, table), UnorderedElementsAreArray(its_columns))
          << table;
    }
    std::set<std::string> actual_tables = Names(*db, "table");
    EXPECT_THAT(actual_tables, IsSupersetOf(tables));
    EXPECT_EQ(actual_tables, tables) << "a table is missing from the test";
    EXPECT_EQ(Names(*db, "index"), indexes);
    EXPECT_EQ(Names(*db, "trigger"), triggers);
  }
}

// A released step is never edited: its DDL is what existing files ran.
TEST_F(MigrationsTest, ReleasedStepsAreUnchanged) {
  const std::map<int, std::string> kReleased = {
      {1, "56cc765452710dadbc8b65abe75bcf0d3069ce1bf4acc4379d30cfc5503d7c97"},
      {2, "f2bad91e11a9da36b214b65fc6864fa78cad0e3d394da7ac962b7fa5f85dfc20"},
  };
  for (const auto& [version, sha256] : kReleased) {
    const Migration& step = Migrations().at(version - 1);
    ASSERT_EQ(step.version, version);
    const crypto::Sha256Digest digest = crypto::Sha256(step.sql);
    EXPECT_EQ(crypto::HexEncode(std::string(digest.begin(), digest.end())),
              sha256)
        << "migration step " << version << " was edited";
  }
}

// A v1 database with data: opening it migrates to the latest version, keeps
// the data and starts an empty audit log.
TEST_F(MigrationsTest, V1DatabaseMigratesToLatestKeepingItsRows) {
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_OK(MigrateTo(*db, 1));
    SqlAccountRepository accounts(*db);
    ASSERT_OK(accounts.Insert(MakeAccount("from-v1")).status());
    EXPECT_EQ(Names(*db, "table").count("audit_entries"), 0u);
  }
  {
    ASSERT_OK_AND_ASSIGN(
        auto store,
        OpenSqlCipherStore(dir_.File("m.db"), key_, OpenMode::kOpenExisting));
    ASSERT_OK(store->Write([](Transaction& txn) -> absl::Status {
      EXPECT_OK(txn.accounts().FindByUsername("from-v1"));
      EXPECT_THAT(txn.audit().EntryCount(), IsOkAndHolds(uint64_t{0}));
      return txn.audit().Append(0, "{}", std::string(32, 'h'));
    }));
  }
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(UserVersion(*db), LatestSchemaVersion());
  const int64_t schema_version =
      *db->QueryInt64("PRAGMA schema_version", "schema_version");
  ASSERT_OK(MigrateTo(*db, LatestSchemaVersion()));  // a re-run is a no-op
  EXPECT_EQ(*db->QueryInt64("PRAGMA schema_version", "schema_version"),
            schema_version);
  SqlAuditRepository audit(*db);
  EXPECT_THAT(audit.EntryCount(), IsOkAndHolds(uint64_t{1}));
}

// A v2 database with a case, a note and audit entries: opening it migrates
// to v3, keeps every row and gives the case the v3 defaults (not escalated,
// no pending owner, not closing, empty closure note).
TEST_F(MigrationsTest, V2DatabaseMigratesToV3KeepingItsRows) {
  const CaseRecord v2_case = MakeCase("from-v2", "school-9", 3, 1234, 2, 1);
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_OK(MigrateTo(*db, 2));
    // The v2 columns only: today's repository writes v3's as well.
    ASSERT_OK_AND_ASSIGN(
        Statement insert,
        db->Prepare("INSERT INTO cases (id, school_id, owner_id, "
                    "incident_type, context, severity, reporter_type, status, "
                    "incident_date, created_at, updated_at, version, "
                    "kek_version, wrapped_dek, sealed_people, sealed_place, "
                    "sealed_narrative) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                    "insert v2 case"));
    insert.BindText(1, v2_case.id);
    insert.BindText(2, v2_case.school_id);
    insert.BindInt64(3, v2_case.owner_id);
    insert.BindInt64(4, v2_case.incident_type);
    insert.BindInt64(5, v2_case.context);
    insert.BindInt64(6, v2_case.severity);
    insert.BindInt64(7, v2_case.reporter_type);
    insert.BindInt64(8, v2_case.status);
    insert.BindText(9, v2_case.incident_date);
    insert.BindInt64(10, v2_case.created_at);
    insert.BindInt64(11, v2_case.updated_at);
    insert.BindInt64(12, v2_case.version);
    insert.BindInt64(13, v2_case.kek_version);
    insert.BindBlob(14, v2_case.wrapped_dek);
    insert.BindBlob(15, v2_case.sealed_people);
    insert.BindBlob(16, v2_case.sealed_place);
    insert.BindBlob(17, v2_case.sealed_narrative);
    ASSERT_OK(insert.Run());
    SqlCaseRepository cases(*db);
    ASSERT_OK(cases.InsertNote(MakeNote("n1", "from-v2", 1300)));
    SqlAuditRepository audit(*db);
    ASSERT_OK(audit.Append(0, "{}", std::string(32, 'h')));
    EXPECT_EQ(Names(*db, "table").count("case_steps"), 0u);
  }
  {
    ASSERT_OK_AND_ASSIGN(
        auto store,
        OpenSqlCipherStore(dir_.File("m.db"), key_, OpenMode::kOpenExisting));
    ASSERT_OK(store->Write([&](Transaction& txn) -> absl::Status {
      auto found = txn.cases().Find("from-v2");
      EXPECT_OK(found.status());
      if (!found.ok()) return found.status();
      EXPECT_EQ(found->school_id, v2_case.school_id);
      EXPECT_EQ(found->owner_id, v2_case.owner_id);
      EXPECT_EQ(found->severity, v2_case.severity);
      EXPECT_EQ(found->status, v2_case.status);
      EXPECT_EQ(found->created_at, v2_case.created_at);
      EXPECT_EQ(found->version, v2_case.version);
      EXPECT_EQ(found->wrapped_dek, v2_case.wrapped_dek);
      EXPECT_EQ(found->sealed_people, v2_case.sealed_people);
      EXPECT_EQ(found->sealed_narrative, v2_case.sealed_narrative);
      EXPECT_EQ(found->escalation, 0);
      EXPECT_EQ(found->escalation_reason, 0);
      EXPECT_FALSE(found->staff_involved);
      EXPECT_FALSE(found->victim_minor);
      EXPECT_FALSE(found->principal_recused);
      EXPECT_EQ(found->pending_owner_id, 0);
      EXPECT_EQ(found->closure_reason, 0);
      EXPECT_FALSE(found->closure_pending);
      EXPECT_EQ(found->sealed_closure_note, "");
      auto notes = txn.cases().ListNotes("from-v2");
      EXPECT_OK(notes.status());
      if (notes.ok()) {
        EXPECT_EQ(notes->size(), 1u);
      }
      EXPECT_THAT(txn.audit().EntryCount(), IsOkAndHolds(uint64_t{1}));
      // The owner still sees it through the v3 list.
      CaseFilter mine;
      mine.viewer_id = v2_case.owner_id;
      auto listed = txn.cases().List(mine);
      EXPECT_OK(listed.status());
      if (listed.ok()) {
        EXPECT_EQ(listed->size(), 1u);
      }
      // And the v3 tables take rows for it.
      RETURN_IF_ERROR(txn.cases().AddMember(
          MakeMember("from-v2", 4, MemberKind::kParticipant)));
      return txn.coordination().InsertStep(
          MakeStep("st1", "from-v2", "2024-10-01"));
    }));
  }
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(UserVersion(*db), LatestSchemaVersion());
}

TEST_F(MigrationsTest, StepByStepEqualsAllAtOnce) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  for (const Migration& step : Migrations()) {
    ASSERT_OK(MigrateTo(*db, step.version));
    EXPECT_EQ(UserVersion(*db), step.version);
  }
  EXPECT_EQ(UserVersion(*db), LatestSchemaVersion());
}

TEST_F(MigrationsTest, MigratingAMigratedDatabaseIsANoOp) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  ASSERT_OK(MigrateTo(*db, LatestSchemaVersion()));
  const int64_t schema_version =
      *db->QueryInt64("PRAGMA schema_version", "schema_version");
  ASSERT_OK(MigrateTo(*db, LatestSchemaVersion()));
  EXPECT_EQ(*db->QueryInt64("PRAGMA schema_version", "schema_version"),
            schema_version);
  EXPECT_EQ(UserVersion(*db), LatestSchemaVersion());
}

TEST_F(MigrationsTest, UnknownTargetIsInvalid) {
  auto db = Open();
  ASSERT_NE(db, nullptr);
  EXPECT_THAT(MigrateTo(*db, 0), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(MigrateTo(*db, LatestSchemaVersion() + 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(MigrationsTest, NewerDatabaseIsRefused) {
  {
    auto db = Open();
    ASSERT_NE(db, nullptr);
    ASSERT_OK(MigrateTo(*db, LatestSchemaVersion()));
    const std::string bump =
        "PRAGMA user_version = " + std::to_string(LatestSchemaVersion() + 1);
    ASSERT_OK(db->Exec(bump.c_str(), "bump"));
    EXPECT_THAT(MigrateTo(*db, LatestSchemaVersion()),
                StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  EXPECT_THAT(
      OpenSqlCipherStore(dir_.File("m.db"), key_, OpenMode::kOpenExisting),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace casevault::storage::testing
