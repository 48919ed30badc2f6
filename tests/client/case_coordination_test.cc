// `case show` with the case's state, steps, consents and overrides, and the
// new `case list` filters.
#include <string>
#include <vector>

#include "client/cli_test_fixture.h"
#include "client/output.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::CliTest;

TEST_F(CliTest, CaseShowPrintsTheStateAndTheTimeline) {
  SignIn();
  state_.case_response = testing::SampleCoordinatedCase();
  state_.case_response.set_closure_note("Test closure note.");
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("Status          Escalated\n"
                              "Escalation      School leadership (Needs more than the school can "
                              "do)\n"
                              "Owner           counselor-test\n"
                              "Hand-over to    counselor-other\n"
                              "Closure         (none)\n"
                              "Participants    teacher-test, nurse-test\n"
                              "Implicated      staff-test\n"
                              "Staff involved  yes\n"));
  EXPECT_THAT(text, HasSubstr("Closure note\n  Test closure note.\n"));
  // The steps in the server's order (by due date), with an overdue marker,
  // an external party and the outcome under its step.
  EXPECT_THAT(
      text,
      HasSubstr("Steps (2)\n"
                "  DUE         ENVIRONMENT  KIND                          STATUS       OWNER      "
                "                STEP    VERSION\n"
                "  2024-03-20  Society      Child protection hotline 111  In progress  external: "
                "Test Service S1  step-2  4        OVERDUE\n"
                "    Outcome\n"
                "      Test outcome text.\n"
                "  2024-04-01  School       Counseling session            Planned      "
                "counselor-test             step-1  1\n"));
  EXPECT_THAT(text, HasSubstr("Consents (1)\n"
                              "  PURPOSE                SERVICE        GIVEN BY                "
                              "CHILD ASSENT      GIVEN ON    STANDING  CONSENT\n"
                              "  Referral to a service  Women's Union  The parent or guardian  "
                              "The child agrees  2024-03-18  in force  consent-1\n"));
  EXPECT_THAT(text, HasSubstr("Consent overrides (1)\n"
                              "  PURPOSE                SERVICE               REASON              "
                              "        BY              AT                    OVERRIDE\n"
                              "  Referral to a service  Report to the police  The child is in "
                              "danger now  principal-test  2024-03-19T08:00:00Z  override-1\n"));
}

TEST_F(CliTest, CaseShowJsonHasStateStepsConsentsAndOverrides) {
  SignIn();
  state_.case_response = testing::SampleCoordinatedCase();
  state_.case_response.set_closure_note("Test closure note.");
  ASSERT_EQ(Run({"case", "show", "case-0001", "--output", "json"}), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["state"]["escalation"], "principal");
  EXPECT_EQ(doc["state"]["pending_owner"], "counselor-other");
  EXPECT_EQ(doc["state"]["implicated"][0], "staff-test");
  ASSERT_EQ(doc["steps"].size(), 2u);
  EXPECT_EQ(doc["steps"][0]["kind"], "hotline-111");
  EXPECT_EQ(doc["steps"][0]["external_party"], "Test Service S1");
  EXPECT_EQ(doc["steps"][0]["overdue"], true);
  EXPECT_EQ(doc["steps"][1]["owner"], "counselor-test");
  EXPECT_EQ(doc["consents"][0]["service_kind"], "womens-union");
  EXPECT_EQ(doc["overrides"][0]["reason"], "child-in-danger-now");
  EXPECT_EQ(doc["closure_note"], "Test closure note.");
}

TEST_F(CliTest, CaseListFilters) {
  SignIn();
  ASSERT_EQ(Run({"case", "list", "--status", "escalated", "--severity", "high", "--overdue",
                 "--environment", "society"}),
            0)
      << err_.str();
  ASSERT_EQ(state_.list_requests.size(), 1u);
  const v1::ListCasesRequest& r = state_.list_requests[0];
  EXPECT_EQ(r.status(), v1::CASE_STATUS_ESCALATED);
  EXPECT_EQ(r.severity(), v1::SEVERITY_HIGH);
  EXPECT_TRUE(r.overdue());
  EXPECT_EQ(r.environment(), v1::ENVIRONMENT_SOCIETY);

  ASSERT_EQ(Run({"case", "list"}), 0);
  EXPECT_EQ(state_.list_requests[1].severity(), v1::SEVERITY_UNSPECIFIED);
  EXPECT_FALSE(state_.list_requests[1].overdue());
  EXPECT_EQ(state_.list_requests[1].environment(), v1::ENVIRONMENT_UNSPECIFIED);

  EXPECT_EQ(Run({"case", "list", "--environment", "street"}), 2);
  EXPECT_EQ(err_.str(), "casevault: --environment must be one of school|family|society\n");
  EXPECT_EQ(Run({"case", "list", "--severity", "extreme"}), 2);
  EXPECT_EQ(err_.str(), "casevault: --severity must be one of low|medium|high\n");
  EXPECT_EQ(state_.list_requests.size(), 2u);
}

TEST_F(CliTest, CaseListJsonHasTheEscalation) {
  SignIn();
  v1::ListCasesResponse page;
  page.add_cases()->set_escalation(v1::ESCALATION_DISTRICT);
  page.add_cases();
  state_.list_responses = {page};
  ASSERT_EQ(Run({"case", "list", "--output", "json"}), 0);
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["cases"][0]["escalation"], "district");
  EXPECT_EQ(doc["cases"][1]["escalation"], "none");
}

TEST(CaseTextTest, NoStepsConsentsOrOverrides) {
  const std::string text = CaseText(testing::SampleCase());
  EXPECT_THAT(text, HasSubstr("Steps (0)\nConsents (0)\nConsent overrides (0)\n"));
}

TEST(CaseTextTest, StepFreeTextCannotInjectTerminalControls) {
  v1::Case c = testing::SampleCoordinatedCase();
  c.mutable_steps(0)->set_external_party("Test\x1b[2J party");
  c.mutable_steps(0)->set_outcome("Test\r outcome\x07");
  const std::string text = CaseText(c);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
}

}  // namespace
}  // namespace casevault::client
