// GoogleTest 1.12 has no absl::Status matchers; these are ours.
#ifndef CASEVAULT_TESTS_SUPPORT_STATUS_MATCHERS_H_
#define CASEVAULT_TESTS_SUPPORT_STATUS_MATCHERS_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace casevault::testing {

inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) { return s.status(); }

MATCHER(IsOk, "is OK") {
  const absl::Status& s = GetStatus(arg);
  if (!s.ok()) *result_listener << "status is " << s.ToString();
  return s.ok();
}

MATCHER_P(StatusIs, code,
          std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher,
           std::string("has code ") + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << "status is " << s.ToString();
  return s.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, std::string(s.message()),
                                       result_listener);
}

}  // namespace casevault::testing

#define ASSERT_OK(expr) ASSERT_THAT((expr), ::casevault::testing::IsOk())
#define EXPECT_OK(expr) EXPECT_THAT((expr), ::casevault::testing::IsOk())

#define CV_TEST_CONCAT_INNER_(a, b) a##b
#define CV_TEST_CONCAT_(a, b) CV_TEST_CONCAT_INNER_(a, b)
// ASSERT_OK_AND_ASSIGN(auto x, StatusOrExpr());
#define ASSERT_OK_AND_ASSIGN(lhs, rexpr)                                  \
  auto CV_TEST_CONCAT_(cv_sor_, __LINE__) = (rexpr);                     \
  ASSERT_OK(CV_TEST_CONCAT_(cv_sor_, __LINE__).status());                \
  lhs = std::move(CV_TEST_CONCAT_(cv_sor_, __LINE__)).value()

#endif  // CASEVAULT_TESTS_SUPPORT_STATUS_MATCHERS_H_
