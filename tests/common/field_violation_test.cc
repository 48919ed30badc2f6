#include "common/field_violation.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;

TEST(FieldViolationTest, EmptyIsOk) {
  Violations v;
  EXPECT_OK(v.ToStatus());
  EXPECT_TRUE(FieldViolationsOf(absl::OkStatus()).empty());
}

TEST(FieldViolationTest, CarriesEveryFieldInMessageAndPayload) {
  Violations v;
  v.Add("victim.name", "is required");
  v.Add("incident_date", "must not be in the future");
  const absl::Status s = v.ToStatus();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("victim.name: is required")));
  EXPECT_THAT(std::string(s.message()), HasSubstr("incident_date"));
  const auto list = FieldViolationsOf(s);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].field, "victim.name");
  EXPECT_EQ(list[0].description, "is required");
  EXPECT_EQ(list[1].field, "incident_date");
}

TEST(FieldViolationTest, OtherStatusesHaveNone) {
  EXPECT_TRUE(FieldViolationsOf(absl::InvalidArgumentError("x")).empty());
}

}  // namespace
}  // namespace casevault
