#include "storage/migrations.h"

#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

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
    for (const auto& [version, schema] : ExpectedSchemas()) {
      if (version > step.version) break;
      for (const auto& [table, columns] : schema.tables) {
        tables.insert(table);
        EXPECT_THAT(Columns(*db, table), UnorderedElementsAreArray(columns))
            << table;
      }
      indexes.insert(schema.indexes.begin(), schema.indexes.end());
      triggers.insert(schema.triggers.begin(), schema.triggers.end());
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

// A v1 database with data: opening it migrates to v2, keeps the data and
// starts an empty audit log.
TEST_F(MigrationsTest, V1DatabaseMigratesToV2KeepingItsRows) {
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
  EXPECT_EQ(UserVersion(*db), 2);
  const int64_t schema_version =
      *db->QueryInt64("PRAGMA schema_version", "schema_version");
  ASSERT_OK(MigrateTo(*db, 2));  // a re-run is a no-op
  EXPECT_EQ(*db->QueryInt64("PRAGMA schema_version", "schema_version"),
            schema_version);
  SqlAuditRepository audit(*db);
  EXPECT_THAT(audit.EntryCount(), IsOkAndHolds(uint64_t{1}));
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
