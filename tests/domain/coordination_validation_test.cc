#include "domain/coordination_validation.h"

#include <set>
#include <vector>

#include "common/clock.h"
#include "common/field_violation.h"
#include "crypto/digest.h"
#include "domain/coordination_model.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

const int64_t kToday = ParseIsoDate("2026-11-29").value();
const std::string kCase = "0123456789abcdef01234567";

std::set<std::string> FieldsOf(const absl::Status& status) {
  std::set<std::string> fields;
  for (const FieldViolation& f : FieldViolationsOf(status)) {
    fields.insert(f.field);
  }
  return fields;
}

TEST(StepKindTest, KindsImplyTheirEnvironment) {
  for (int32_t k : kStepKinds) {
    EXPECT_TRUE(IsStepKind(k)) << k;
    EXPECT_EQ(static_cast<int32_t>(EnvironmentOf(k)), k / 10) << k;
  }
  for (int32_t k : {0, 1, 10, 15, 20, 24, 30, 37, 41, -11}) {
    EXPECT_FALSE(IsStepKind(k)) << k;
    EXPECT_FALSE(IsSocietyKind(k)) << k;
  }
  EXPECT_EQ(EnvironmentOf(14), Environment::kSchool);
  EXPECT_EQ(EnvironmentOf(23), Environment::kFamily);
  EXPECT_TRUE(IsSocietyKind(35));
  EXPECT_FALSE(IsSocietyKind(21));
}

NewStep GoodStep() {
  NewStep s;
  s.case_id = kCase;
  s.kind = 12;
  s.owner = "co.lan";
  s.due_date = "2026-12-01";
  return s;
}

TEST(ValidateNewStepTest, AcceptsOwnerOrExternalParty) {
  EXPECT_OK(ValidateNewStep(GoodStep()));
  NewStep s = GoodStep();
  s.owner = "";
  s.external_party = "Hội Liên hiệp Phụ nữ xã";
  EXPECT_OK(ValidateNewStep(s));
  s.due_date = "2024-02-29";  // a past leap day is a real date
  EXPECT_OK(ValidateNewStep(s));
}

TEST(ValidateNewStepTest, NamesEachBadField) {
  NewStep s = GoodStep();
  s.kind = 0;
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)), std::set<std::string>{"kind"});
  s.kind = 15;
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)), std::set<std::string>{"kind"});
  s = GoodStep();
  for (const char* bad : {"", "2026-13-01", "2026-02-29", "01/12/2026",
                          "2026-1-01", "2026-12-01x"}) {
    s.due_date = bad;
    EXPECT_EQ(FieldsOf(ValidateNewStep(s)), std::set<std::string>{"due_date"})
        << bad;
  }
  s = GoodStep();
  s.owner = "";
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)),
            (std::set<std::string>{"owner", "external_party"}));
  s.external_party = "   ";
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)),
            std::set<std::string>{"external_party"});
  s.external_party = std::string("B\xe1", 2);
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)),
            std::set<std::string>{"external_party"});
  s.external_party = "line\nbreak";
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)),
            std::set<std::string>{"external_party"});
  s.external_party = std::string(301, 'a');
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)),
            std::set<std::string>{"external_party"});
  s.external_party = std::string(300, 'a');
  EXPECT_OK(ValidateNewStep(s));
  s = GoodStep();
  s.case_id = "";
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)), std::set<std::string>{"case_id"});
  s.case_id = "0123456789ABCDEF01234567";
  EXPECT_EQ(FieldsOf(ValidateNewStep(s)), std::set<std::string>{"case_id"});
}

TEST(ValidateNewStepTest, DescriptionsDoNotEchoTheValue) {
  NewStep s = GoodStep();
  s.owner = "";
  s.external_party = std::string("Secret\x01", 7);
  s.due_date = "Secret-date";
  for (const FieldViolation& f : FieldViolationsOf(ValidateNewStep(s))) {
    EXPECT_EQ(f.description.find("Secret"), std::string::npos) << f.field;
  }
}

TEST(ValidateStepChangeTest, StatusAndOwnershipRules) {
  StepChange c;
  c.step_id = kCase;
  c.version = 3;
  EXPECT_OK(ValidateStepChange(c));
  for (int32_t ok : {0, 1, 2, 4}) {
    c.status = ok;
    EXPECT_OK(ValidateStepChange(c)) << ok;
  }
  for (int32_t bad : {3, 5, -1}) {
    c.status = bad;
    EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"status"})
        << bad;
  }
  c.status = 0;
  c.owner = "";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"owner"});
  c.owner.reset();
  c.external_party = "";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)),
            std::set<std::string>{"external_party"});
  c.external_party = "Công an xã";
  EXPECT_OK(ValidateStepChange(c));
  c.owner = "co.lan";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)),
            (std::set<std::string>{"owner", "external_party"}));
  c.owner.reset();
  c.external_party.reset();
  c.outcome = "";  // clears it
  EXPECT_OK(ValidateStepChange(c));
  c.outcome = "Nhiều dòng\nvẫn được";
  EXPECT_OK(ValidateStepChange(c));
  c.outcome = std::string(20001, 'x');
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"outcome"});
  c.outcome.reset();
  c.due_date = "2026-04-31";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"due_date"});
  c.due_date.reset();
  c.version = 0;
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"version"});
  c.version = 1;
  c.step_id = "";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"step_id"});
  c.step_id = "../etc";
  EXPECT_EQ(FieldsOf(ValidateStepChange(c)), std::set<std::string>{"step_id"});
}

TEST(ValidateCompletionTest, OutcomeIsOptional) {
  EXPECT_OK(ValidateCompletion(kCase, 1, ""));
  EXPECT_OK(ValidateCompletion(kCase, 1, "Đã xong."));
  EXPECT_EQ(FieldsOf(ValidateCompletion(kCase, -1, "")),
            std::set<std::string>{"version"});
  EXPECT_EQ(FieldsOf(ValidateCompletion(kCase, 1, std::string("\xc0\xaf", 2))),
            std::set<std::string>{"outcome"});
}

NewConsent GoodConsent() {
  NewConsent c;
  c.case_id = kCase;
  c.purpose = kConsentReferral;
  c.service_kind = 32;
  c.given_by = 2;
  c.child_assent = 1;
  c.given_on = "2026-11-29";  // today is fine
  return c;
}

TEST(ValidateNewConsentTest, PurposeAndServiceKind) {
  EXPECT_OK(ValidateNewConsent(GoodConsent(), kToday, true));
  NewConsent c = GoodConsent();
  c.service_kind = 0;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"service_kind"});
  c.service_kind = 22;  // a family step is not a referral outside
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"service_kind"});
  c.service_kind = 37;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"service_kind"});
  for (int32_t purpose : {2, 3}) {
    c.purpose = purpose;
    c.service_kind = 0;
    EXPECT_OK(ValidateNewConsent(c, kToday, true));
    c.service_kind = 31;
    EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
              std::set<std::string>{"service_kind"});
  }
  c.purpose = 0;
  c.service_kind = 0;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"purpose"});
  c.purpose = 4;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"purpose"});
}

TEST(ValidateNewConsentTest, GiverAssentAndDate) {
  NewConsent c = GoodConsent();
  for (int32_t bad : {0, 4, -1}) {
    c.given_by = bad;
    EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
              std::set<std::string>{"given_by"});
  }
  c = GoodConsent();
  c.child_assent = 0;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
            std::set<std::string>{"child_assent"});
  EXPECT_OK(ValidateNewConsent(c, kToday, false));
  EXPECT_OK(ValidateNewConsent(c, kToday, std::nullopt));
  for (int32_t assent : {1, 2, 3}) {
    c.child_assent = assent;
    EXPECT_OK(ValidateNewConsent(c, kToday, true));
    EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, false)),
              std::set<std::string>{"child_assent"});
  }
  c.child_assent = 4;
  EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, std::nullopt)),
            std::set<std::string>{"child_assent"});
  c = GoodConsent();
  for (const char* bad : {"", "2026-11-30", "2027-01-01", "2026-11-31"}) {
    c.given_on = bad;
    EXPECT_EQ(FieldsOf(ValidateNewConsent(c, kToday, true)),
              std::set<std::string>{"given_on"})
        << bad;
  }
  c.given_on = "2025-01-15";
  EXPECT_OK(ValidateNewConsent(c, kToday, true));
}

TEST(ValidateNewOverrideTest, SameRulesAsConsentAndAReason) {
  NewOverride o;
  o.case_id = kCase;
  o.purpose = kConsentReferral;
  o.service_kind = 35;
  o.reason = 1;
  EXPECT_OK(ValidateNewOverride(o));
  for (int32_t reason : {2, 3, 4}) {
    o.reason = reason;
    EXPECT_OK(ValidateNewOverride(o));
  }
  o.reason = 5;
  o.service_kind = 11;
  EXPECT_EQ(FieldsOf(ValidateNewOverride(o)),
            (std::set<std::string>{"service_kind", "reason"}));
  o.purpose = 2;
  o.service_kind = 0;
  o.reason = 0;
  EXPECT_EQ(FieldsOf(ValidateNewOverride(o)), std::set<std::string>{"reason"});
}

TEST(StepListQueryTest, PageSizeAndToken) {
  StepListQuery q;
  EXPECT_OK(ValidateStepListQuery(q));
  q.page_size = 200;
  q.case_id = kCase;
  EXPECT_OK(ValidateStepListQuery(q));
  q.page_size = 201;
  EXPECT_EQ(FieldsOf(ValidateStepListQuery(q)),
            std::set<std::string>{"page_size"});
  q.page_size = -1;
  EXPECT_EQ(FieldsOf(ValidateStepListQuery(q)),
            std::set<std::string>{"page_size"});
  q.page_size = 0;
  q.case_id = "abc";
  EXPECT_EQ(FieldsOf(ValidateStepListQuery(q)),
            std::set<std::string>{"case_id"});
}

TEST(StepPageTokenTest, RoundTripsAndRefusesAnythingElse) {
  const std::string token = EncodeStepPageToken("2026-12-01", kCase);
  ASSERT_OK_AND_ASSIGN(auto after, DecodeStepPageToken(token));
  EXPECT_EQ(after.first, "2026-12-01");
  EXPECT_EQ(after.second, kCase);
  const std::vector<std::string> bad = {
      "2026-12-01",          "2026-12-01:",         "2026-12-01:abc",
      "2026-13-01:" + kCase, "2026-12-01;" + kCase, "12345:" + kCase};
  for (const std::string& raw : bad) {
    const auto r = DecodeStepPageToken(crypto::Base64UrlEncode(raw));
    ASSERT_THAT(r, StatusIs(absl::StatusCode::kInvalidArgument)) << raw;
    EXPECT_EQ(FieldsOf(r.status()), std::set<std::string>{"page_token"});
  }
  EXPECT_THAT(DecodeStepPageToken("%%%"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DecodeStepPageToken(std::string(300, 'A')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ValidateConsentIdTest, NamesConsentId) {
  EXPECT_OK(ValidateConsentId(kCase));
  EXPECT_EQ(FieldsOf(ValidateConsentId("")),
            std::set<std::string>{"consent_id"});
  EXPECT_EQ(FieldsOf(ValidateConsentId("zz")),
            std::set<std::string>{"consent_id"});
}

}  // namespace
}  // namespace casevault::domain
