#include "storage/sqlite_status.h"

#include <sqlcipher/sqlite3.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::storage {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;

TEST(StatusFromSqliteTest, MapsCodes) {
  EXPECT_TRUE(StatusFromSqlite(SQLITE_OK, "op").ok());
  EXPECT_TRUE(StatusFromSqlite(SQLITE_DONE, "op").ok());
  EXPECT_THAT(StatusFromSqlite(SQLITE_CONSTRAINT_UNIQUE, "op"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(StatusFromSqlite(SQLITE_CONSTRAINT_PRIMARYKEY, "op"),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(StatusFromSqlite(SQLITE_CONSTRAINT_FOREIGNKEY, "op"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(StatusFromSqlite(SQLITE_CONSTRAINT_NOTNULL, "op"),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(StatusFromSqlite(SQLITE_FULL, "op"),
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("the disk is full")));
  EXPECT_THAT(StatusFromSqlite(SQLITE_IOERR, "op"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(StatusFromSqlite(SQLITE_IOERR_FSYNC, "op"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(StatusFromSqlite(SQLITE_BUSY, "op"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(StatusFromSqlite(SQLITE_BUSY_SNAPSHOT, "op"),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(StatusFromSqlite(SQLITE_CORRUPT, "op"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(StatusFromSqlite(SQLITE_MISUSE, "op"),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(StatusFromSqliteTest, DiskErrorsCarryTheirCode) {
  EXPECT_EQ(SqliteCodeOf(StatusFromSqlite(SQLITE_FULL, "op")), SQLITE_FULL);
  EXPECT_EQ(SqliteCodeOf(StatusFromSqlite(SQLITE_IOERR_FSYNC, "op")),
            SQLITE_IOERR_FSYNC);
  EXPECT_EQ(SqliteCodeOf(StatusFromSqlite(SQLITE_BUSY, "op")), 0);
  EXPECT_EQ(SqliteCodeOf(absl::UnavailableError("x")), 0);
}

TEST(StatusFromSqliteTest, MessageNamesOperationAndCode) {
  EXPECT_THAT(StatusFromSqlite(SQLITE_IOERR_FSYNC, "commit batch"),
              StatusIs(absl::StatusCode::kUnavailable,
                       ::testing::AllOf(
                           HasSubstr("commit batch"),
                           HasSubstr(std::to_string(SQLITE_IOERR_FSYNC)))));
}

}  // namespace
}  // namespace casevault::storage
