// consent record | withdraw | override against a fake server.
#include <string>
#include <vector>

#include "client/cli_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CliTest;
using testing::ServerFailure;

class ConsentTest : public CliTest {
 protected:
  void SetUp() override {
    SignIn();
    state_.consent_response = testing::SampleConsent();
    state_.override_response = testing::SampleOverride();
  }
};

TEST_F(ConsentTest, RecordAReferralConsent) {
  ASSERT_EQ(Run({"consent", "record", "case-0001", "--purpose", "referral", "--service",
                 "womens-union", "--given-by", "guardian", "--child-assent", "given",
                 "--given-on", "2024-03-18"}),
            0)
      << err_.str();
  EXPECT_THAT(state_.calls, ElementsAre("RecordConsent"));
  const v1::RecordConsentRequest& r = state_.record_consent;
  EXPECT_EQ(r.case_id(), "case-0001");
  EXPECT_EQ(r.purpose(), v1::CONSENT_PURPOSE_REFERRAL);
  EXPECT_EQ(r.service_kind(), v1::STEP_KIND_WOMENS_UNION);
  EXPECT_EQ(r.given_by(), v1::CONSENT_GIVER_GUARDIAN);
  EXPECT_EQ(r.child_assent(), v1::CHILD_ASSENT_GIVEN);
  EXPECT_EQ(r.given_on(), "2024-03-18");
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("Consent         consent-1\n"));
  EXPECT_THAT(text, HasSubstr("Purpose         Referral to a service\n"));
  EXPECT_THAT(text, HasSubstr("Service         Women's Union\n"));
  EXPECT_THAT(text, HasSubstr("Given by        The parent or guardian\n"));
  EXPECT_THAT(text, HasSubstr("Child assent    The child agrees\n"));
  EXPECT_THAT(text, HasSubstr("Standing        in force\n"));
}

TEST_F(ConsentTest, RecordOtherPurposesWithoutAService) {
  ASSERT_EQ(Run({"consent", "record", "case-0001", "--purpose", "statistics", "--given-by",
                 "survivor", "--given-on", "2024-03-18"}),
            0)
      << err_.str();
  EXPECT_EQ(state_.record_consent.purpose(), v1::CONSENT_PURPOSE_STATISTICS);
  EXPECT_EQ(state_.record_consent.service_kind(), v1::STEP_KIND_UNSPECIFIED);
  EXPECT_EQ(state_.record_consent.child_assent(), v1::CHILD_ASSENT_UNSPECIFIED);
  EXPECT_EQ(state_.record_consent.given_by(), v1::CONSENT_GIVER_SURVIVOR);
  ASSERT_EQ(Run({"consent", "record", "case-0001", "--purpose", "information-sharing",
                 "--given-by", "both", "--child-assent", "not-able", "--given-on",
                 "2024-03-18"}),
            0);
  EXPECT_EQ(state_.record_consent.purpose(), v1::CONSENT_PURPOSE_INFORMATION_SHARING);
  EXPECT_EQ(state_.record_consent.given_by(), v1::CONSENT_GIVER_BOTH);
  EXPECT_EQ(state_.record_consent.child_assent(), v1::CHILD_ASSENT_NOT_ABLE);
}

TEST_F(ConsentTest, RecordAsJsonAndInVietnamese) {
  ASSERT_EQ(Run({"--lang", "vi", "consent", "record", "case-0001", "--purpose", "referral",
                 "--service", "womens-union", "--given-by", "guardian", "--given-on",
                 "2024-03-18"}),
            0);
  EXPECT_THAT(out_.str(), HasSubstr("Hội Liên hiệp Phụ nữ"));
  EXPECT_THAT(out_.str(), HasSubstr("Cha mẹ hoặc người giám hộ"));
  EXPECT_THAT(out_.str(), HasSubstr("còn hiệu lực"));

  ASSERT_EQ(Run({"--lang", "vi", "--output", "json", "consent", "record", "case-0001",
                 "--purpose", "referral", "--service", "womens-union", "--given-by", "guardian",
                 "--given-on", "2024-03-18"}),
            0);
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "case_id", "purpose", "service_kind",
                                            "given_by", "child_assent", "given_on",
                                            "recorded_by", "recorded_at", "withdrawn_at",
                                            "withdrawn_by", "in_force"}));
  EXPECT_EQ(doc["purpose"], "referral");
  EXPECT_EQ(doc["service_kind"], "womens-union");
  EXPECT_EQ(doc["given_by"], "guardian");
  EXPECT_EQ(doc["child_assent"], "given");
  EXPECT_EQ(doc["in_force"], true);
}

TEST_F(ConsentTest, RecordUsageErrorsNameTheFlag) {
  struct Bad {
    std::vector<std::string> args;
    std::string flag;
  };
  const std::vector<std::string> base = {"consent", "record", "case-0001"};
  auto with = [&](std::vector<std::string> more) {
    std::vector<std::string> args = base;
    args.insert(args.end(), more.begin(), more.end());
    return args;
  };
  const std::vector<Bad> cases = {
      {with({"--purpose", "referral", "--given-by", "guardian", "--given-on", "2024-03-18"}),
       "--service"},
      {with({"--purpose", "referral", "--service", "home-visit", "--given-by", "guardian",
             "--given-on", "2024-03-18"}),
       "--service"},
      {with({"--purpose", "statistics", "--service", "legal-aid", "--given-by", "guardian",
             "--given-on", "2024-03-18"}),
       "--service"},
      {with({"--purpose", "gossip", "--given-by", "guardian", "--given-on", "2024-03-18"}),
       "--purpose"},
      {with({"--given-by", "guardian", "--given-on", "2024-03-18"}), "--purpose"},
      {with({"--purpose", "statistics", "--given-by", "teacher", "--given-on", "2024-03-18"}),
       "--given-by"},
      {with({"--purpose", "statistics", "--given-by", "guardian", "--child-assent", "maybe",
             "--given-on", "2024-03-18"}),
       "--child-assent"},
      {with({"--purpose", "statistics", "--given-by", "guardian", "--given-on", "18/03/2024"}),
       "--given-on"},
      {with({"--purpose", "statistics", "--given-by", "guardian"}), "--given-on"},
  };
  for (const Bad& bad : cases) {
    EXPECT_EQ(Run(bad.args), 2) << bad.flag;
    ExpectOneErrorLine();
    EXPECT_THAT(err_.str(), HasSubstr(bad.flag));
  }
  EXPECT_EQ(Run(cases[1].args), 2);
  EXPECT_THAT(err_.str(), HasSubstr("health-referral|police-report|commune-committee|"
                                    "womens-union|hotline-111|legal-aid"));
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(ConsentTest, Withdraw) {
  state_.consent_response.set_in_force(false);
  state_.consent_response.set_withdrawn_at("2024-03-20T08:00:00Z");
  state_.consent_response.set_withdrawn_by("counselor-test");
  ASSERT_EQ(Run({"consent", "withdraw", "consent-1"}), 0) << err_.str();
  EXPECT_EQ(state_.withdraw_consent.consent_id(), "consent-1");
  EXPECT_THAT(out_.str(), HasSubstr("Standing        withdrawn 2024-03-20T08:00:00Z\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Withdrawn by    counselor-test\n"));

  state_.failure = ServerFailure(grpc::StatusCode::NOT_FOUND, "no such consent");
  EXPECT_EQ(Run({"consent", "withdraw", "consent-9"}), 5);
  EXPECT_EQ(err_.str(), "casevault: consent consent-9 not found (or not yours to see)\n");
  state_.failure = ServerFailure(grpc::StatusCode::FAILED_PRECONDITION, "already withdrawn");
  EXPECT_EQ(Run({"consent", "withdraw", "consent-1"}), 13);
}

TEST_F(ConsentTest, Override) {
  ASSERT_EQ(Run({"consent", "override", "case-0001", "--purpose", "referral", "--service",
                 "police-report", "--reason", "child-in-danger-now"}),
            0)
      << err_.str();
  EXPECT_THAT(state_.calls, ElementsAre("RecordOverride"));
  const v1::RecordOverrideRequest& r = state_.record_override;
  EXPECT_EQ(r.case_id(), "case-0001");
  EXPECT_EQ(r.purpose(), v1::CONSENT_PURPOSE_REFERRAL);
  EXPECT_EQ(r.service_kind(), v1::STEP_KIND_POLICE_REPORT);
  EXPECT_EQ(r.reason(), v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW);
  EXPECT_THAT(out_.str(), HasSubstr("Override        override-1\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Service         Report to the police\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Reason          The child is in danger now\n"));

  ASSERT_EQ(Run({"--lang", "vi", "consent", "override", "case-0001", "--purpose", "referral",
                 "--service", "police-report", "--reason", "child-in-danger-now"}),
            0);
  EXPECT_THAT(out_.str(), HasSubstr("Trình báo Công an"));

  ASSERT_EQ(Run({"--output", "json", "consent", "override", "case-0001", "--purpose",
                 "information-sharing", "--reason", "legal-duty-to-report"}),
            0);
  EXPECT_EQ(state_.record_override.service_kind(), v1::STEP_KIND_UNSPECIFIED);
  EXPECT_EQ(state_.record_override.reason(), v1::OVERRIDE_REASON_LEGAL_DUTY_TO_REPORT);
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "case_id", "purpose", "service_kind", "reason",
                                            "recorded_by", "recorded_at"}));
  EXPECT_EQ(doc["reason"], "child-in-danger-now");
  EXPECT_EQ(doc["service_kind"], "police-report");

  EXPECT_EQ(Run({"consent", "override", "case-0001", "--purpose", "referral", "--service",
                 "police-report", "--reason", "convenient"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--reason must be one of guardian-is-perpetrator|"
                                    "child-in-danger-now|legal-duty-to-report|"
                                    "survivor-cannot-be-asked"));
  EXPECT_EQ(Run({"consent", "override", "case-0001", "--purpose", "referral", "--reason",
                 "child-in-danger-now"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--service"));
}

TEST_F(ConsentTest, OverrideByACounselorIsDeniedWithItsReason) {
  state_.failure = ServerFailure(grpc::StatusCode::PERMISSION_DENIED,
                                 "only a principal or the district may override consent",
                                 "RELATION_NOT_PERMITTED");
  EXPECT_EQ(Run({"consent", "override", "case-0001", "--purpose", "referral", "--service",
                 "police-report", "--reason", "child-in-danger-now", "--output", "json"}),
            4);
  EXPECT_EQ(err_.str(),
            "casevault: permission denied: only a principal or the district may override consent "
            "(reason: RELATION_NOT_PERMITTED)\n");
  EXPECT_EQ(nlohmann::json::parse(out_.str())["error"]["reason"], "RELATION_NOT_PERMITTED");
}

}  // namespace
}  // namespace casevault::client
