#include "domain/case_validation.h"

#include <functional>

#include "common/field_violation.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

// 2026-11-29
constexpr int64_t kToday = 20786;

NewCase ValidCase() {
  NewCase c;
  c.incident_type = 6;
  c.context = 1;
  c.severity = 2;
  c.incident_date = "2026-11-20";
  c.place = "sân trường";
  c.reporter_type = 2;
  c.victim.name = "Học sinh A";
  c.victim.gender = 1;
  c.victim.birth_year = 2012;
  c.victim.class_or_job = "7A";
  c.perpetrator.relation = 1;
  c.narrative = "Mô tả sự việc.\nDòng thứ hai.";
  return c;
}

std::vector<std::string> FieldsOf(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : FieldViolationsOf(s)) out.push_back(v.field);
  return out;
}

TEST(CaseValidationTest, AcceptsAValidCase) {
  EXPECT_OK(ValidateNewCase(ValidCase(), kToday));
}

struct BadInput {
  const char* field;
  std::function<void(NewCase&)> spoil;
};

TEST(CaseValidationTest, NamesEachBadField) {
  const std::string long_name(201, 'x');
  const std::vector<BadInput> cases = {
      {"incident_type", [](NewCase& c) { c.incident_type = 0; }},
      {"incident_type", [](NewCase& c) { c.incident_type = 7; }},
      {"incident_type", [](NewCase& c) { c.incident_type = -1; }},
      {"context", [](NewCase& c) { c.context = 99; }},
      {"severity", [](NewCase& c) { c.severity = 4; }},
      {"reporter_type", [](NewCase& c) { c.reporter_type = 0; }},
      {"incident_date", [](NewCase& c) { c.incident_date = ""; }},
      {"incident_date", [](NewCase& c) { c.incident_date = "2026-02-30"; }},
      {"incident_date", [](NewCase& c) { c.incident_date = "2026-11-30"; }},
      {"place", [](NewCase& c) { c.place = "a\nb"; }},
      {"place", [](NewCase& c) { c.place = std::string(301, 'p'); }},
      {"victim.name", [](NewCase& c) { c.victim.name = ""; }},
      {"victim.name", [](NewCase& c) { c.victim.name = "   "; }},
      {"victim.name", [&](NewCase& c) { c.victim.name = long_name; }},
      {"victim.name", [](NewCase& c) { c.victim.name = "Ng\xC3"; }},
      {"victim.gender", [](NewCase& c) { c.victim.gender = 5; }},
      {"victim.birth_year", [](NewCase& c) { c.victim.birth_year = 1899; }},
      {"victim.birth_year", [](NewCase& c) { c.victim.birth_year = 2027; }},
      {"victim.class_or_job", [](NewCase& c) { c.victim.class_or_job = std::string(101, 'c'); }},
      {"perpetrator.relation", [](NewCase& c) { c.perpetrator.relation = 0; }},
      {"perpetrator.name", [](NewCase& c) { c.perpetrator.name = "\xFF"; }},
      {"narrative", [](NewCase& c) { c.narrative = ""; }},
      {"narrative", [](NewCase& c) { c.narrative = std::string(20001, 'n'); }},
      {"narrative", [](NewCase& c) { c.narrative = std::string("a\0b", 3); }},
  };
  for (const auto& bad : cases) {
    NewCase c = ValidCase();
    bad.spoil(c);
    const absl::Status s = ValidateNewCase(c, kToday);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument)) << bad.field;
    EXPECT_THAT(FieldsOf(s), ::testing::ElementsAre(bad.field));
  }
}

TEST(CaseValidationTest, CountsCodePointsNotBytes) {
  NewCase c = ValidCase();
  std::string name;
  for (int i = 0; i < 200; ++i) name += "ễ";  // 3 bytes each
  c.victim.name = name;
  EXPECT_OK(ValidateNewCase(c, kToday));
}

TEST(CaseValidationTest, ReportsEveryViolationAtOnce) {
  NewCase empty;
  const auto fields = FieldsOf(ValidateNewCase(empty, kToday));
  EXPECT_THAT(fields, ::testing::IsSupersetOf({"incident_type", "context", "severity",
                                               "reporter_type", "incident_date",
                                               "victim.name", "victim.gender",
                                               "perpetrator.relation", "narrative"}));
}

TEST(CaseValidationTest, MessagesNeverEchoValues) {
  NewCase c = ValidCase();
  c.victim.name = std::string(201, 'Z');
  c.narrative = "";
  const absl::Status s = ValidateNewCase(c, kToday);
  EXPECT_EQ(std::string(s.message()).find("ZZZ"), std::string::npos);
}

TEST(CaseValidationTest, CaseIdsAndQueries) {
  EXPECT_OK(ValidateCaseId("0123456789abcdef01234567"));
  EXPECT_THAT(ValidateCaseId(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateCaseId("0123456789ABCDEF01234567"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateCaseId("../etc/passwd"), StatusIs(absl::StatusCode::kInvalidArgument));
  CaseListQuery q;
  EXPECT_OK(ValidateListQuery(q));
  q.page_size = 101;
  EXPECT_THAT(FieldsOf(ValidateListQuery(q)), ::testing::ElementsAre("page_size"));
  q.page_size = -1;
  EXPECT_THAT(FieldsOf(ValidateListQuery(q)), ::testing::ElementsAre("page_size"));
  q = {};
  q.status = 6;
  EXPECT_THAT(FieldsOf(ValidateListQuery(q)), ::testing::ElementsAre("status"));
  EXPECT_THAT(FieldsOf(ValidateNoteText("")), ::testing::ElementsAre("text"));
  EXPECT_OK(ValidateNoteText("Ghi chú"));
}

}  // namespace
}  // namespace casevault::domain
