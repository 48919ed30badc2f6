#include "common/status_macros.h"

#include <memory>

#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault {
namespace {

using ::casevault::testing::StatusIs;

absl::Status FailIf(bool fail) {
  return fail ? absl::NotFoundError("missing") : absl::OkStatus();
}

absl::Status UsesReturnIfError(bool fail, int* reached) {
  RETURN_IF_ERROR(FailIf(fail));
  *reached = 1;
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<int>> MakeInt(bool fail) {
  if (fail) return absl::DataLossError("broken");
  return std::make_unique<int>(7);
}

absl::StatusOr<int> UsesAssignOrReturn(bool fail) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> value, MakeInt(fail));  // move-only
  ASSIGN_OR_RETURN(auto again, MakeInt(false));  // twice in one scope
  return *value + *again;
}

TEST(StatusMacrosTest, ReturnIfErrorPassesOkThrough) {
  int reached = 0;
  EXPECT_OK(UsesReturnIfError(false, &reached));
  EXPECT_EQ(reached, 1);
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsTheError) {
  int reached = 0;
  EXPECT_THAT(UsesReturnIfError(true, &reached),
              StatusIs(absl::StatusCode::kNotFound, "missing"));
  EXPECT_EQ(reached, 0);
}

TEST(StatusMacrosTest, AssignOrReturnMovesTheValue) {
  absl::StatusOr<int> v = UsesAssignOrReturn(false);
  ASSERT_OK(v);
  EXPECT_EQ(*v, 14);
}

TEST(StatusMacrosTest, AssignOrReturnReturnsTheError) {
  EXPECT_THAT(UsesAssignOrReturn(true), StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace casevault
