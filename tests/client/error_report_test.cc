#include "client/error_report.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace casevault::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ErrorReportTest, EveryGrpcCodeMapsToItsDocumentedExitCode) {
  const std::vector<std::pair<grpc::StatusCode, ExitCode>> table = {
      {grpc::StatusCode::CANCELLED, ExitCode::kInternal},
      {grpc::StatusCode::UNKNOWN, ExitCode::kInternal},
      {grpc::StatusCode::INVALID_ARGUMENT, ExitCode::kInvalidInput},
      {grpc::StatusCode::DEADLINE_EXCEEDED, ExitCode::kUnavailable},
      {grpc::StatusCode::NOT_FOUND, ExitCode::kNotFound},
      {grpc::StatusCode::ALREADY_EXISTS, ExitCode::kConflict},
      {grpc::StatusCode::PERMISSION_DENIED, ExitCode::kPermissionDenied},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, ExitCode::kRateLimited},
      {grpc::StatusCode::FAILED_PRECONDITION, ExitCode::kNotPossible},
      {grpc::StatusCode::ABORTED, ExitCode::kConflict},
      {grpc::StatusCode::OUT_OF_RANGE, ExitCode::kInvalidInput},
      {grpc::StatusCode::UNIMPLEMENTED, ExitCode::kInternal},
      {grpc::StatusCode::INTERNAL, ExitCode::kInternal},
      {grpc::StatusCode::UNAVAILABLE, ExitCode::kUnavailable},
      {grpc::StatusCode::DATA_LOSS, ExitCode::kInternal},
      {grpc::StatusCode::UNAUTHENTICATED, ExitCode::kUnauthenticated},
  };
  ASSERT_EQ(table.size(), 16u);  // every code but OK
  for (const auto& [code, exit] : table) {
    absl::Status failure = FromGrpcStatus(grpc::Status(code, "server said so"), "host.test:7443");
    EXPECT_FALSE(failure.ok()) << code;
    EXPECT_EQ(ExitCodeOf(failure), exit) << "grpc code " << code;
    // One line: no detail lines unless there are field violations.
    EXPECT_EQ(FailureText(failure).find('\n'), FailureText(failure).size() - 1) << code;
  }
}

TEST(ErrorReportTest, FixedMessagesForSessionConflictAndUnreachableServer) {
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "x"), "h:1").message(),
            "not signed in or session expired; run: casevault login");
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::ABORTED, "x"), "h:1").message(),
            "the case changed since you loaded it; reload it (casevault case show CASE_ID) and "
            "try again");
  EXPECT_EQ(FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "connection refused"),
                           "server.test:7443")
                .message(),
            "cannot reach the server at server.test:7443");
  EXPECT_THAT(std::string(FromGrpcStatus(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, ""),
                                         "server.test:7443")
                              .message()),
              HasSubstr("cannot reach the server at server.test:7443"));
}

TEST(ErrorReportTest, TlsHandshakeFailureIsATlsProblem) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::UNAVAILABLE,
                   "failed to connect to all addresses; last error: UNKNOWN: Ssl handshake "
                   "failed: SSL_ERROR_SSL: CERTIFICATE_VERIFY_FAILED"),
      "server.test:7443");
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kTls);
  EXPECT_THAT(std::string(failure.message()), HasSubstr("server.test:7443"));
}

TEST(ErrorReportTest, OversizedMessageIsInvalidInputNotRateLimit) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                   "Sent message larger than max (9000000 vs. 4194304)"),
      "h:1");
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kInvalidInput);
}

TEST(ErrorReportTest, BusySignInSaysToWaitAndTryAgain) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                   "too many sign-ins at once"),
      "h:1");
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kRateLimited);
  EXPECT_EQ(std::string(failure.message()),
            "the server cannot take this now; wait a few seconds and try "
            "again: too many sign-ins at once");
}

std::string BadRequestDetails(const std::vector<std::pair<std::string, std::string>>& fields) {
  google::rpc::BadRequest bad_request;
  for (const auto& [field, description] : fields) {
    auto* violation = bad_request.add_field_violations();
    violation->set_field(field);
    violation->set_description(description);
  }
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
  rpc_status.set_message("invalid request");
  google::rpc::ErrorInfo info;  // a detail of another type is skipped
  info.set_reason("VALIDATION");
  rpc_status.add_details()->PackFrom(info);
  rpc_status.add_details()->PackFrom(bad_request);
  return rpc_status.SerializeAsString();
}

TEST(ErrorReportTest, InvalidArgumentPrintsEveryFieldViolation) {
  grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request",
                      BadRequestDetails({{"victim.birth_year", "must be between 1900 and now"},
                                         {"incident_date", "must not be in the future"}}));
  absl::Status failure = FromGrpcStatus(status, "h:1");
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kInvalidInput);
  EXPECT_EQ(FailureText(failure),
            "casevault: invalid input\n"
            "  victim.birth_year: must be between 1900 and now\n"
            "  incident_date: must not be in the future\n");
}

TEST(ErrorReportTest, FieldViolationLinesToleratesGarbage) {
  EXPECT_TRUE(FieldViolationLines("").empty());
  EXPECT_TRUE(FieldViolationLines("\xff\xff\xff not a proto").empty());
  EXPECT_THAT(FieldViolationLines(BadRequestDetails({{"narrative", "is required"}})),
              ElementsAre("  narrative: is required"));
}

TEST(ErrorReportTest, ServerTextCannotInjectTerminalControls) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no\x1b[2J\nsecond line"), "h:1");
  const std::string text = FailureText(failure);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(ErrorReportTest, ClientErrorKeepsItsExitCode) {
  for (int code = 1; code <= ToInt(kLastExitCode); ++code) {
    absl::Status failure = ClientError(static_cast<ExitCode>(code), "m");
    EXPECT_EQ(ToInt(ExitCodeOf(failure)), code);
  }
  EXPECT_EQ(ExitCodeOf(absl::OkStatus()), ExitCode::kOk);
  EXPECT_EQ(ExitCodeOf(absl::NotFoundError("plain")), ExitCode::kNotFound);
  EXPECT_EQ(ExitCodeOf(absl::InternalError("plain")), ExitCode::kInternal);
}

TEST(ErrorReportTest, PrintableTextKeepsUtf8AndReplacesControls) {
  const std::string vietnamese = "Tr\xc6\xb0\xe1\xbb\x9dng h\xe1\xbb\x8d" "c";  // "Trường học"
  EXPECT_EQ(PrintableText(vietnamese, false), vietnamese);
  EXPECT_EQ(PrintableText("a\tb", false), "a\tb");
  EXPECT_EQ(PrintableText("a\nb", true), "a\nb");
  EXPECT_EQ(PrintableText("a\nb", false), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(PrintableText("\x07\x7f", false), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(PrintableText("\xc2\x9b" "31m", false), "\xEF\xBF\xBD" "31m");  // C1 CSI
  EXPECT_EQ(PrintableText("\xff", false), "\xEF\xBF\xBD");
  EXPECT_EQ(PrintableText("\xe1\xbb", false), "\xEF\xBF\xBD\xEF\xBF\xBD");  // truncated
}

std::string ErrorInfoDetails(grpc::StatusCode code, const std::string& reason,
                             const std::string& domain) {
  google::rpc::ErrorInfo info;
  info.set_reason(reason);
  info.set_domain(domain);
  google::rpc::Status rpc_status;
  rpc_status.set_code(static_cast<int>(code));
  rpc_status.add_details()->PackFrom(info);
  return rpc_status.SerializeAsString();
}

TEST(ErrorReportTest, PermissionDeniedShowsTheErrorInfoReason) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only the owner may do this",
                   ErrorInfoDetails(grpc::StatusCode::PERMISSION_DENIED,
                                    "RELATION_NOT_PERMITTED", "casevault.v1")),
      "h:1");
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kPermissionDenied);
  EXPECT_EQ(failure.message(),
            "permission denied: only the owner may do this (reason: RELATION_NOT_PERMITTED)");
  EXPECT_EQ(ReasonOf(failure), "RELATION_NOT_PERMITTED");
  EXPECT_EQ(ServerCodeOf(failure), grpc::StatusCode::PERMISSION_DENIED);
  // Without details: the message alone.
  absl::Status plain = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "only the owner may do this"), "h:1");
  EXPECT_EQ(plain.message(), "permission denied: only the owner may do this");
  EXPECT_EQ(ReasonOf(plain), "");
}

TEST(ErrorReportTest, OnlyCasevaultReasonCodesAreShown) {
  // Another domain, or a reason that is not an UPPER_SNAKE_CASE code, is
  // ignored: the reason line must not become a channel for arbitrary text.
  for (const auto& [reason, domain] : std::vector<std::pair<std::string, std::string>>{
           {"RELATION_NOT_PERMITTED", "googleapis.com"},
           {"relation not permitted", "casevault.v1"},
           {"BAD\x1b[2J", "casevault.v1"},
           {std::string(65, 'A'), "casevault.v1"},
           {"", "casevault.v1"}}) {
    EXPECT_EQ(ErrorInfoReason(ErrorInfoDetails(grpc::StatusCode::PERMISSION_DENIED, reason,
                                               domain)),
              "")
        << reason << " " << domain;
  }
  EXPECT_EQ(ErrorInfoReason("\xff\xff garbage"), "");
  EXPECT_EQ(ErrorInfoReason(ErrorInfoDetails(grpc::StatusCode::FAILED_PRECONDITION,
                                             "CONSENT_REQUIRED", "casevault.v1")),
            "CONSENT_REQUIRED");
}

TEST(ErrorReportTest, FailedPreconditionHasItsOwnCodeAndAbortedSaysReload) {
  absl::Status not_possible = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the case is closed"), "h:1");
  EXPECT_EQ(ExitCodeOf(not_possible), ExitCode::kNotPossible);
  EXPECT_EQ(ToInt(ExitCode::kNotPossible), 13);
  EXPECT_EQ(not_possible.message(), "not possible in the case's current state: the case is closed");
  absl::Status stale = FromGrpcStatus(grpc::Status(grpc::StatusCode::ABORTED, "x"), "h:1");
  EXPECT_EQ(ExitCodeOf(stale), ExitCode::kConflict);
  EXPECT_EQ(ToInt(ExitCode::kConflict), 7);
  EXPECT_THAT(std::string(stale.message()), HasSubstr("casevault case show"));
}

TEST(ErrorReportTest, RewordedKeepsTheCodesAndTheReason) {
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "no",
                   ErrorInfoDetails(grpc::StatusCode::PERMISSION_DENIED, "NO_HANDOVER",
                                    "casevault.v1")),
      "h:1");
  absl::Status reworded = Reworded(failure, "you may not accept case c-1");
  EXPECT_EQ(ExitCodeOf(reworded), ExitCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(reworded), "NO_HANDOVER");
  EXPECT_EQ(ServerCodeOf(reworded), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(reworded.message(), "you may not accept case c-1 (reason: NO_HANDOVER)");
  EXPECT_FALSE(ServerCodeOf(ClientError(ExitCode::kUsage, "m")).has_value());
}

TEST(ErrorReportTest, TheReasonGoesOnTheFirstLine) {
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("due_date");
  v->set_description("is not a date");
  google::rpc::ErrorInfo info;
  info.set_reason("INVALID_STEP");
  info.set_domain("casevault.v1");
  google::rpc::Status rpc_status;
  rpc_status.set_code(3);
  rpc_status.add_details()->PackFrom(bad);
  rpc_status.add_details()->PackFrom(info);
  absl::Status failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid", rpc_status.SerializeAsString()),
      "h:1");
  EXPECT_EQ(FailureText(failure),
            "casevault: invalid input (reason: INVALID_STEP)\n  due_date: is not a date\n");
}

TEST(ErrorReportTest, FailureTextPrefixesTheFirstLineOnly) {
  EXPECT_EQ(FailureText(ClientError(ExitCode::kUsage, "bad\n  detail")),
            "casevault: bad\n  detail\n");
}

}  // namespace
}  // namespace casevault::client
