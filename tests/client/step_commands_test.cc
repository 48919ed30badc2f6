// step add | update | done | list against a fake server.
#include <fstream>
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
using ::testing::Not;
using testing::CliTest;
using testing::ServerFailure;

class StepTest : public CliTest {
 protected:
  void SetUp() override {
    SignIn();
    state_.step_response = testing::SampleStep();
  }
};

TEST_F(StepTest, AddWithAnOwner) {
  ASSERT_EQ(Run({"step", "add", "case-0001", "--kind", "counseling-session", "--owner",
                 "counselor-test", "--due", "2024-04-01"}),
            0)
      << err_.str();
  EXPECT_THAT(state_.calls, ElementsAre("AddStep"));
  const v1::AddStepRequest& r = state_.add_step;
  EXPECT_EQ(r.case_id(), "case-0001");
  EXPECT_EQ(r.kind(), v1::STEP_KIND_COUNSELING_SESSION);
  EXPECT_EQ(r.owner(), "counselor-test");
  EXPECT_EQ(r.external_party(), "");
  EXPECT_EQ(r.due_date(), "2024-04-01");
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("Step            step-1\n"));
  EXPECT_THAT(text, HasSubstr("Version         1\n"));
  EXPECT_THAT(text, HasSubstr("Environment     School\n"));
  EXPECT_THAT(text, HasSubstr("Kind            Counseling session\n"));
  EXPECT_THAT(text, HasSubstr("Status          Planned\n"));
  EXPECT_THAT(text, HasSubstr("Owner           counselor-test\n"));
  EXPECT_THAT(text, HasSubstr("Due             2024-04-01\n"));
}

TEST_F(StepTest, AddWithAnExternalPartyFromAFileOrStdin) {
  std::ofstream(dir_.File("party.txt")) << "Test Service S1\n";
  ASSERT_EQ(Run({"step", "add", "case-0001", "--kind", "hotline-111", "--external-party-file",
                 dir_.File("party.txt"), "--due", "2024-03-20"}),
            0)
      << err_.str();
  EXPECT_EQ(state_.add_step.kind(), v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111);
  EXPECT_EQ(state_.add_step.external_party(), "Test Service S1");
  EXPECT_EQ(state_.add_step.owner(), "");

  ASSERT_EQ(Run({"step", "add", "case-0001", "--kind", "womens-union", "--external-party-file",
                 "-", "--due", "2024-03-20"},
                "Test Service S2\n"),
            0)
      << err_.str();
  EXPECT_EQ(state_.add_step.external_party(), "Test Service S2");

  std::ofstream(dir_.File("empty.txt")) << "";
  EXPECT_EQ(Run({"step", "add", "case-0001", "--kind", "legal-aid", "--external-party-file",
                 dir_.File("empty.txt"), "--due", "2024-03-20"}),
            10);
  ExpectOneErrorLine();
}

TEST_F(StepTest, EveryDocumentedKindAndTheProtoSpellingsParse) {
  const std::vector<std::pair<std::string, v1::StepKind>> kinds = {
      {"counseling-session", v1::STEP_KIND_COUNSELING_SESSION},
      {"safety-plan", v1::STEP_KIND_SAFETY_PLAN},
      {"class-change", v1::STEP_KIND_CLASS_OR_SCHEDULE_CHANGE},
      {"teacher-briefing", v1::STEP_KIND_TEACHER_BRIEFING},
      {"contact-guardian", v1::STEP_KIND_CONTACT_GUARDIAN},
      {"home-visit", v1::STEP_KIND_HOME_VISIT},
      {"family-meeting", v1::STEP_KIND_FAMILY_MEETING},
      {"health-referral", v1::STEP_KIND_HEALTH_SERVICE_REFERRAL},
      {"police-report", v1::STEP_KIND_POLICE_REPORT},
      {"commune-committee", v1::STEP_KIND_COMMUNE_COMMITTEE},
      {"womens-union", v1::STEP_KIND_WOMENS_UNION},
      {"hotline-111", v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111},
      {"legal-aid", v1::STEP_KIND_LEGAL_AID},
      {"STEP_KIND_CLASS_OR_SCHEDULE_CHANGE", v1::STEP_KIND_CLASS_OR_SCHEDULE_CHANGE},
      {"HEALTH_SERVICE_REFERRAL", v1::STEP_KIND_HEALTH_SERVICE_REFERRAL},
      {"child-protection-hotline-111", v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111},
  };
  for (const auto& [name, kind] : kinds) {
    ASSERT_EQ(Run({"step", "add", "case-0001", "--kind", name, "--owner", "u", "--due",
                   "2024-04-01"}),
              0)
        << name << ": " << err_.str();
    EXPECT_EQ(state_.add_step.kind(), kind) << name;
  }
}

TEST_F(StepTest, AddUsageErrorsNameTheFlag) {
  struct Bad {
    std::vector<std::string> args;
    std::string flag;
  };
  const std::vector<Bad> cases = {
      {{"step", "add", "case-0001", "--kind", "therapy", "--owner", "u", "--due", "2024-04-01"},
       "--kind"},
      {{"step", "add", "case-0001", "--owner", "u", "--due", "2024-04-01"}, "--kind"},
      {{"step", "add", "case-0001", "--kind", "home-visit", "--owner", "u"}, "--due"},
      {{"step", "add", "case-0001", "--kind", "home-visit", "--owner", "u", "--due", "2024-02-30"},
       "--due"},
      {{"step", "add", "case-0001", "--kind", "home-visit", "--owner", "u", "--due", "tomorrow"},
       "--due"},
      {{"step", "add", "case-0001", "--kind", "home-visit", "--due", "2024-04-01"}, "--owner"},
      {{"step", "add", "case-0001", "--kind", "home-visit", "--owner", "u",
        "--external-party-file", "-", "--due", "2024-04-01"},
       "--external-party-file"},
  };
  for (const Bad& bad : cases) {
    EXPECT_EQ(Run(bad.args), 2) << bad.flag;
    ExpectOneErrorLine();
    EXPECT_THAT(err_.str(), HasSubstr(bad.flag));
  }
  EXPECT_EQ(Run({"step", "add", "case-0001", "--kind", "therapy", "--owner", "u", "--due",
                 "2024-04-01"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("counseling-session|safety-plan|class-change|"
                                    "teacher-briefing|contact-guardian|home-visit|family-meeting|"
                                    "health-referral|police-report|commune-committee|"
                                    "womens-union|hotline-111|legal-aid"));
  EXPECT_EQ(Run({"step", "add", "case-0001", "--kind", "home-visit", "--external-party",
                 "Test Secret Party", "--due", "2024-04-01"}),
            2);
  EXPECT_THAT(err_.str(), Not(HasSubstr("Test Secret Party")));
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(StepTest, ASocietyStepWithoutConsentIsNotPossible) {
  state_.failure = ServerFailure(grpc::StatusCode::FAILED_PRECONDITION,
                                 "a referral needs consent in force or an override",
                                 "CONSENT_REQUIRED");
  EXPECT_EQ(Run({"step", "add", "case-0001", "--kind", "police-report", "--owner", "u", "--due",
                 "2024-04-01"}),
            13);
  EXPECT_EQ(err_.str(),
            "casevault: not possible in the case's current state: a referral needs consent in "
            "force or an override (reason: CONSENT_REQUIRED)\n");
}

TEST_F(StepTest, UpdateSendsOnlyWhatIsGiven) {
  std::ofstream(dir_.File("outcome.txt")) << "Test outcome so far.\n";
  ASSERT_EQ(Run({"step", "update", "step-1", "--version", "4", "--status", "in-progress",
                 "--owner", "teacher-test", "--due", "2024-05-01", "--outcome-file",
                 dir_.File("outcome.txt")}),
            0)
      << err_.str();
  const v1::UpdateStepRequest& r = state_.update_step;
  EXPECT_EQ(r.step_id(), "step-1");
  EXPECT_EQ(r.version(), 4);
  EXPECT_EQ(r.status(), v1::STEP_STATUS_IN_PROGRESS);
  ASSERT_TRUE(r.has_owner());
  EXPECT_EQ(r.owner(), "teacher-test");
  ASSERT_TRUE(r.has_due_date());
  EXPECT_EQ(r.due_date(), "2024-05-01");
  ASSERT_TRUE(r.has_outcome());
  EXPECT_EQ(r.outcome(), "Test outcome so far.");
  EXPECT_FALSE(r.has_external_party());

  ASSERT_EQ(Run({"step", "update", "step-1", "--version", "5", "--external-party-file", "-"},
                "Test Service S3"),
            0)
      << err_.str();
  const v1::UpdateStepRequest& r2 = state_.update_step;
  EXPECT_EQ(r2.status(), v1::STEP_STATUS_UNSPECIFIED);
  EXPECT_FALSE(r2.has_owner());
  EXPECT_FALSE(r2.has_due_date());
  EXPECT_FALSE(r2.has_outcome());
  ASSERT_TRUE(r2.has_external_party());
  EXPECT_EQ(r2.external_party(), "Test Service S3");

  ASSERT_EQ(Run({"step", "update", "step-1", "--version", "6", "--status", "cancelled"}), 0);
  EXPECT_EQ(state_.update_step.status(), v1::STEP_STATUS_CANCELLED);
}

TEST_F(StepTest, UpdateUsageErrors) {
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("nothing to change"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4", "--status", "done"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("casevault step done"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4", "--status", "paused"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--status must be one of planned|in-progress|cancelled"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--status", "planned"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--version"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4", "--due", "2024-13-01"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--due"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4", "--owner", "u",
                 "--external-party-file", "-"}),
            2);
  EXPECT_THAT(err_.str(), HasSubstr("--owner and --external-party-file"));
  EXPECT_EQ(Run({"step", "update", "step-1", "--version", "4", "--outcome", "Test Secret"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--outcome is refused"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("Test Secret")));
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(StepTest, DoneWithAnOutcome) {
  state_.step_response.set_status(v1::STEP_STATUS_DONE);
  state_.step_response.set_outcome("Test outcome.");
  ASSERT_EQ(Run({"step", "done", "step-1", "--version", "2", "--outcome-file", "-"},
                "Test outcome.\n"),
            0)
      << err_.str();
  EXPECT_THAT(state_.calls, ElementsAre("CompleteStep"));
  EXPECT_EQ(state_.complete_step.step_id(), "step-1");
  EXPECT_EQ(state_.complete_step.version(), 2);
  EXPECT_EQ(state_.complete_step.outcome(), "Test outcome.");
  EXPECT_THAT(out_.str(), HasSubstr("Status          Done\n"));
  EXPECT_THAT(out_.str(), HasSubstr("Outcome\n  Test outcome.\n"));

  ASSERT_EQ(Run({"step", "done", "step-1", "--version", "2"}), 0);
  EXPECT_EQ(state_.complete_step.outcome(), "");
}

TEST_F(StepTest, JsonHasStableKeys) {
  state_.step_response = testing::SampleExternalStep();
  ASSERT_EQ(Run({"--lang", "vi", "step", "done", "step-2", "--version", "4", "--output",
                 "json"}),
            0)
      << err_.str();
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "case_id", "environment", "kind", "status",
                                            "owner", "external_party", "due_date", "outcome",
                                            "created_by", "created_at", "updated_at", "version",
                                            "overdue"}));
  EXPECT_EQ(doc["environment"], "society");
  EXPECT_EQ(doc["kind"], "hotline-111");
  EXPECT_EQ(doc["status"], "in-progress");
  EXPECT_EQ(doc["external_party"], "Test Service S1");
  EXPECT_EQ(doc["overdue"], true);
  EXPECT_EQ(doc["version"], 4);
}

TEST_F(StepTest, AStaleStepVersionExitsSevenAndSaysToReload) {
  state_.failure = ServerFailure(grpc::StatusCode::ABORTED, "stale");
  EXPECT_EQ(Run({"step", "done", "step-1", "--version", "1"}), 7);
  EXPECT_EQ(err_.str(),
            "casevault: step step-1 changed since you loaded it; reload it (casevault step list "
            "--case CASE_ID) and try again\n");
  state_.failure = ServerFailure(grpc::StatusCode::NOT_FOUND, "no such step");
  EXPECT_EQ(Run({"step", "update", "step-9", "--version", "1", "--status", "planned"}), 5);
  EXPECT_EQ(err_.str(), "casevault: step step-9 not found (or not yours to see)\n");
}

TEST_F(StepTest, ListFollowsEveryPageLikeCaseList) {
  v1::ListStepsResponse page1, page2;
  *page1.add_steps() = testing::SampleExternalStep();
  page1.set_next_page_token("p2");
  *page2.add_steps() = testing::SampleStep();
  state_.step_list_responses = {page1, page2};
  ASSERT_EQ(Run({"step", "list", "--case", "case-0001", "--overdue", "--all", "--page-size",
                 "1"}),
            0)
      << err_.str();
  ASSERT_EQ(state_.step_list_requests.size(), 2u);
  EXPECT_EQ(state_.step_list_requests[0].case_id(), "case-0001");
  EXPECT_TRUE(state_.step_list_requests[0].overdue());
  EXPECT_EQ(state_.step_list_requests[0].page_size(), 1);
  EXPECT_EQ(state_.step_list_requests[1].page_token(), "p2");
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("DUE         CASE       ENVIRONMENT  KIND"));
  EXPECT_THAT(text, HasSubstr("2024-03-20  case-0001  Society      Child protection hotline 111  "
                              "In progress  external        step-2  4        OVERDUE\n"));
  EXPECT_THAT(text, HasSubstr("2024-04-01  case-0001  School       Counseling session            "
                              "Planned      counselor-test  step-1  1\n"));
  EXPECT_THAT(text, Not(HasSubstr("Test Service S1")));  // lists never show free text
  EXPECT_THAT(text, Not(HasSubstr("Test outcome")));

  state_.step_list_responses = {page1};
  ASSERT_EQ(Run({"step", "list", "--output", "json"}), 0);
  EXPECT_EQ(state_.step_list_requests.back().case_id(), "");
  EXPECT_FALSE(state_.step_list_requests.back().overdue());
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["steps"].size(), 1u);
  EXPECT_EQ(doc["steps"][0]["kind"], "hotline-111");
  EXPECT_EQ(doc["next_page_token"], "p2");

  state_.step_list_responses = {page1};
  ASSERT_EQ(Run({"step", "list"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("more: casevault step list --page-token p2\n"));
  ASSERT_EQ(Run({"step", "list", "--page-token", "p2"}), 0);
  EXPECT_EQ(state_.step_list_requests.back().page_token(), "p2");
  EXPECT_EQ(out_.str(), "no steps\n");

  EXPECT_EQ(Run({"step", "list", "--all", "--page-token", "x"}), 2);
  EXPECT_EQ(Run({"step", "list", "--page-size", "-1"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("--page-size"));
}

TEST_F(StepTest, ListInVietnamese) {
  v1::ListStepsResponse page;
  *page.add_steps() = testing::SampleExternalStep();
  state_.step_list_responses = {page};
  ASSERT_EQ(Run({"--lang", "vi", "step", "list"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("HẠN"));
  EXPECT_THAT(out_.str(), HasSubstr("Xã hội"));
  EXPECT_THAT(out_.str(), HasSubstr("Đường dây nóng bảo vệ trẻ em 111"));
  EXPECT_THAT(out_.str(), HasSubstr("Đang thực hiện"));
  EXPECT_THAT(out_.str(), HasSubstr("bên ngoài"));
  EXPECT_THAT(out_.str(), HasSubstr("QUÁ HẠN"));
}

}  // namespace
}  // namespace casevault::client
