#include "audit/entry.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::audit {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;

AuditEntry Sample() {
  AuditEntry e;
  e.seq = 42;
  e.time = "2026-11-29T01:51:53.123Z";
  e.actor = "co.lan";
  e.role = "counselor";
  e.unit = "school-a";
  e.action = "case.view";
  e.outcome = "ok";
  e.request = "9f2c61d0a4b3e785";
  e.case_ref = "0123456789abcdef0123456789abcdef";
  e.target = "";
  e.reason = "owner";
  return e;
}

constexpr char kSampleBytes[] =
    "{\"seq\":42,\"time\":\"2026-11-29T01:51:53.123Z\",\"actor\":\"co.lan\","
    "\"role\":\"counselor\",\"unit\":\"school-a\",\"action\":\"case.view\","
    "\"outcome\":\"ok\",\"request\":\"9f2c61d0a4b3e785\","
    "\"case\":\"0123456789abcdef0123456789abcdef\",\"target\":\"\","
    "\"reason\":\"owner\"}";

TEST(EntryTest, EncodesTheDocumentedBytes) {
  ASSERT_OK_AND_ASSIGN(std::string bytes, EncodeEntry(Sample()));
  EXPECT_EQ(bytes, kSampleBytes);
  ASSERT_OK_AND_ASSIGN(AuditEntry parsed, ParseEntry(bytes));
  EXPECT_EQ(parsed, Sample());
}

TEST(EntryTest, EscapesOnlyQuoteBackslashAndControls) {
  AuditEntry e = Sample();
  e.actor = std::string("a\"b\\c\x01\x1f\n\x7f", 9) + "ư";
  ASSERT_OK_AND_ASSIGN(std::string bytes, EncodeEntry(e));
  EXPECT_THAT(bytes, HasSubstr("\"actor\":\"a\\\"b\\\\c\\u0001\\u001f\\u000a\x7fư\""));
  ASSERT_OK_AND_ASSIGN(AuditEntry parsed, ParseEntry(bytes));
  EXPECT_EQ(parsed, e);
}

TEST(EntryTest, ZeroAndLargestSeq) {
  AuditEntry e = Sample();
  e.seq = 0;
  ASSERT_OK_AND_ASSIGN(std::string zero, EncodeEntry(e));
  EXPECT_EQ(zero.rfind("{\"seq\":0,", 0), 0u);
  e.seq = UINT64_MAX;
  ASSERT_OK_AND_ASSIGN(std::string max, EncodeEntry(e));
  EXPECT_EQ(ParseEntry(max)->seq, UINT64_MAX);
}

TEST(EntryTest, EncodeRefusesValuesOutsideTheGrammar) {
  auto refused = [](void (*mutate)(AuditEntry&)) {
    AuditEntry e = Sample();
    mutate(e);
    return EncodeEntry(e).status();
  };
  const auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(refused([](AuditEntry& e) { e.time = "2026-11-29T01:51:53Z"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.time = "2026-02-30T01:51:53.123Z"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.time = "2026-11-29T24:00:00.000Z"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.role = "janitor"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.action = "case"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.action = "Case.view"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.action = "case.view.x"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.outcome = "OK"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.outcome = ""; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.case_ref = "0123"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.case_ref = std::string(32, 'A'); }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.unit = "\xff"; }), StatusIs(kBad));
  EXPECT_THAT(refused([](AuditEntry& e) { e.target = std::string(257, 'a'); }), StatusIs(kBad));
}

TEST(EntryTest, OutcomesAreLowerSnakeCodeNames) {
  EXPECT_EQ(OutcomeName(absl::StatusCode::kOk), "ok");
  EXPECT_EQ(OutcomeName(absl::StatusCode::kNotFound), "not_found");
  EXPECT_EQ(OutcomeName(absl::StatusCode::kPermissionDenied), "permission_denied");
  EXPECT_EQ(OutcomeName(absl::StatusCode::kUnauthenticated), "unauthenticated");
  EXPECT_EQ(OutcomeName(absl::StatusCode::kDataLoss), "data_loss");
  for (int code = 0; code <= 16; ++code) {
    AuditEntry e = Sample();
    e.outcome = std::string(OutcomeName(static_cast<absl::StatusCode>(code)));
    EXPECT_OK(EncodeEntry(e)) << code;
  }
}

// Every other spelling of the sample must be refused: the bytes are the
// entry, so there may be only one way to write it.
TEST(EntryTest, ParseAcceptsOnlyTheCanonicalForm) {
  const std::string good = kSampleBytes;
  auto replaced = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  const std::vector<std::string> bad = {
      "",
      good + "\n",
      " " + good,
      good.substr(0, good.size() - 1),
      replaced("{\"seq\":42,", "{ \"seq\":42,"),
      replaced("\"seq\":42", "\"seq\":042"),
      replaced("\"seq\":42", "\"seq\":-42"),
      replaced("\"seq\":42", "\"seq\":42.0"),
      replaced("\"seq\":42", "\"seq\":\"42\""),
      replaced("\"seq\":42", "\"seq\":18446744073709551616"),
      replaced(",\"actor\":", ", \"actor\":"),
      replaced("\"actor\":\"co.lan\",\"role\":\"counselor\",",
               "\"role\":\"counselor\",\"actor\":\"co.lan\","),
      replaced("\"co.lan\"", "\"co\\u002elan\""),
      replaced("\"co.lan\"", "\"co\\/lan\""),
      replaced("\"co.lan\"", "\"co\\nlan\""),
      replaced("\"co.lan\"", std::string("\"co\x01lan\"")),
      replaced("\"reason\":\"owner\"}", "\"reason\":\"owner\",\"extra\":\"\"}"),
      replaced(",\"reason\":\"owner\"", ""),
      replaced("\"outcome\":\"ok\"", "\"outcome\":\"OK\""),
  };
  for (const std::string& bytes : bad) {
    EXPECT_THAT(ParseEntry(bytes), StatusIs(absl::StatusCode::kInvalidArgument))
        << bytes;
  }
  AuditEntry escaped = Sample();
  escaped.actor = "\x1f";
  ASSERT_OK_AND_ASSIGN(std::string bytes, EncodeEntry(escaped));
  EXPECT_THAT(bytes, HasSubstr("\\u001f"));
  std::string upper = bytes;
  upper.replace(upper.find("\\u001f"), 6, "\\u001F");
  EXPECT_THAT(ParseEntry(upper), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace casevault::audit
