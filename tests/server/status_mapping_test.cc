#include "server/status_mapping.h"
#include "storage/store.h"

#include <optional>
#include <string>
#include <vector>

#include "common/error_reason.h"
#include "common/field_violation.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"

namespace casevault::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The google.rpc.Status in a grpc::Status's binary details, if any.
std::optional<google::rpc::Status> DetailsOf(const grpc::Status& status) {
  if (status.error_details().empty()) return std::nullopt;
  google::rpc::Status details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  return details;
}

std::optional<google::rpc::ErrorInfo> ErrorInfoOf(const grpc::Status& status) {
  auto details = DetailsOf(status);
  if (!details.has_value()) return std::nullopt;
  for (const auto& any : details->details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info;
  }
  return std::nullopt;
}

TEST(StatusMappingTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "r1").ok());
}

TEST(StatusMappingTest, PermissionDeniedCarriesErrorInfo) {
  const absl::Status denied = WithErrorReason(
      absl::PermissionDeniedError("only a principal may approve closure"),
      "NOT_APPROVER");
  const grpc::Status mapped = ToGrpcStatus(denied, "r1");
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(mapped.error_message(), "only a principal may approve closure");
  auto details = DetailsOf(mapped);
  ASSERT_TRUE(details.has_value());
  EXPECT_EQ(details->code(), static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_EQ(details->message(), "only a principal may approve closure");
  ASSERT_EQ(details->details_size(), 1);
  auto info = ErrorInfoOf(mapped);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "NOT_APPROVER");
  EXPECT_EQ(info->domain(), "casevault.v1");
  EXPECT_TRUE(info->metadata().empty());
}

TEST(StatusMappingTest, FailedPreconditionCarriesErrorInfo) {
  const absl::Status refused = WithErrorReason(
      absl::FailedPreconditionError("record consent or an override first"),
      "CONSENT_REQUIRED");
  const grpc::Status mapped = ToGrpcStatus(refused, "r1");
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(mapped.error_message(), "record consent or an override first");
  auto info = ErrorInfoOf(mapped);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reason(), "CONSENT_REQUIRED");
  EXPECT_EQ(info->domain(), kErrorDomain);
}

TEST(StatusMappingTest, NoReasonNoDetails) {
  EXPECT_TRUE(ToGrpcStatus(absl::PermissionDeniedError("no"), "r1")
                  .error_details()
                  .empty());
  EXPECT_TRUE(ToGrpcStatus(absl::FailedPreconditionError("closed"), "r1")
                  .error_details()
                  .empty());
}

// A hidden denial is NOT_FOUND exactly as for a missing case: a reason the
// domain attached must not reach the client and tell the two apart.
TEST(StatusMappingTest, ReasonOnOtherCodesIsNotSent) {
  for (absl::Status s :
       {absl::NotFoundError("case not found"), absl::AbortedError("reload"),
        absl::UnauthenticatedError("sign in"),
        absl::AlreadyExistsError("exists"),
        absl::ResourceExhaustedError("slow down")}) {
    const grpc::Status mapped =
        ToGrpcStatus(WithErrorReason(s, "SOME_REASON"), "r1");
    EXPECT_EQ(static_cast<int>(mapped.error_code()), static_cast<int>(s.code()));
    EXPECT_EQ(mapped.error_message(), std::string(s.message()));
    EXPECT_TRUE(mapped.error_details().empty()) << s;
  }
}

TEST(StatusMappingTest, InternalCodesHideMessageAndReason) {
  for (absl::Status s : {absl::InternalError("sqlite said: disk I/O error"),
                         absl::DataLossError("bad tag on case c-1"),
                         absl::UnknownError("?")}) {
    const grpc::Status mapped =
        ToGrpcStatus(WithErrorReason(s, "SECRET_REASON"), "req42");
    EXPECT_EQ(mapped.error_code(), grpc::StatusCode::INTERNAL);
    EXPECT_EQ(mapped.error_message(), "internal error (request req42)");
    EXPECT_TRUE(mapped.error_details().empty());
  }
}

TEST(StatusMappingTest, MalformedReasonIsDropped) {
  const std::vector<std::string> reasons = {
      "",          "x",        "lower_case", "HAS SPACE",
      "TRAILING_", "_LEADING", "9STARTS_WITH_DIGIT", "NAME=alice",
      std::string(64, 'A')};
  for (const std::string& reason : reasons) {
    const grpc::Status mapped = ToGrpcStatus(
        WithErrorReason(absl::PermissionDeniedError("no"), reason), "r1");
    EXPECT_EQ(mapped.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    EXPECT_TRUE(mapped.error_details().empty()) << "reason '" << reason << "'";
  }
  const grpc::Status longest = ToGrpcStatus(
      WithErrorReason(absl::PermissionDeniedError("no"), std::string(63, 'A')),
      "r1");
  EXPECT_TRUE(ErrorInfoOf(longest).has_value());
}

TEST(StatusMappingTest, InvalidArgumentCarriesBadRequest) {
  Violations v;
  v.Add("victim.birth_year", "must be a year between 1900 and this year");
  v.Add("narrative", "must be UTF-8");
  const grpc::Status mapped = ToGrpcStatus(v.ToStatus(), "r1");
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  auto details = DetailsOf(mapped);
  ASSERT_TRUE(details.has_value());
  ASSERT_EQ(details->details_size(), 1);
  google::rpc::BadRequest bad;
  ASSERT_TRUE(details->details(0).UnpackTo(&bad));
  ASSERT_EQ(bad.field_violations_size(), 2);
  EXPECT_EQ(bad.field_violations(0).field(), "victim.birth_year");
  EXPECT_EQ(bad.field_violations(1).field(), "narrative");
  EXPECT_FALSE(ErrorInfoOf(mapped).has_value());
}

TEST(StatusMappingTest, UnavailableSaysTryAgain) {
  const grpc::Status mapped =
      ToGrpcStatus(absl::UnavailableError("database is locked"), "r7");
  EXPECT_EQ(mapped.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(mapped.error_message(), HasSubstr("try again"));
  EXPECT_THAT(mapped.error_message(), HasSubstr("r7"));
  EXPECT_THAT(mapped.error_message(), Not(HasSubstr("locked")));
}

TEST(StatusMappingTest, DiskFaultSentencesReachTheClient) {
  for (const char* sentence :
       {storage::kDiskFullMessage, storage::kWritesStoppedMessage}) {
    const grpc::Status mapped =
        ToGrpcStatus(absl::UnavailableError(sentence), "r8");
    EXPECT_EQ(mapped.error_code(), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(mapped.error_message(), std::string(sentence) + " (request r8)");
    EXPECT_TRUE(mapped.error_details().empty());
  }
  // Anything that merely starts like one is still replaced.
  const grpc::Status mapped = ToGrpcStatus(
      absl::UnavailableError(std::string(storage::kDiskFullMessage) + " /srv/x"),
      "r9");
  EXPECT_THAT(mapped.error_message(), Not(HasSubstr("/srv")));
}

}  // namespace
}  // namespace casevault::server
