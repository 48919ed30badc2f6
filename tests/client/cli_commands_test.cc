// The case and user commands against a fake server: what they send, what
// they print, and the exit code of every kind of failure.
#include "client/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "client/cli_test_fixture.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::CliTest;
using testing::kToken;

TEST_F(CliTest, GlobalOptionsMayFollowTheCommand) {
  SignIn();
  ASSERT_EQ(Run({"case", "show", "case-0001", "--output", "json", "--timeout", "3"}), 0)
      << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["id"], "case-0001");
  EXPECT_EQ(doc["victim"]["name"], "Test Victim V1");
}

TEST_F(CliTest, CaseShowTextAndNotFound) {
  SignIn();
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Incident type   Sexual assault"));
  state_.failure = FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "case"), "h:1");
  EXPECT_EQ(Run({"case", "show", "case-0002"}), 5);
  EXPECT_EQ(err_.str(), "casevault: case case-0002 not found (or not yours to see)\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(CliTest, CaseFileFromJsonPrintsTheNewId) {
  SignIn();
  std::ofstream(dir_.File("case.json"))
      << R"({"victim_name": "Test Victim V1", "place": "Test Place P1",
             "narrative": "Test narrative.", "perpetrator_name": "Test Person X1"})";
  ASSERT_EQ(Run({"case", "file", "--from-file", dir_.File("case.json"), "--type", "rape",
                 "--context", "school-violence", "--severity", "high", "--incident-date",
                 "2024-03-15", "--reporter", "self", "--victim-gender", "female",
                 "--victim-birth-year", "2010", "--victim-class", "Class T1", "--victim-staff",
                 "--perpetrator-relation", "staff"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "case-0001\n");
  const v1::FileCaseRequest& r = state_.filed;
  EXPECT_EQ(r.incident_type(), v1::INCIDENT_TYPE_RAPE);
  EXPECT_EQ(r.context(), v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE);
  EXPECT_EQ(r.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(r.reporter_type(), v1::REPORTER_TYPE_SELF);
  EXPECT_EQ(r.victim().gender(), v1::GENDER_FEMALE);
  EXPECT_EQ(r.victim().birth_year(), 2010);
  EXPECT_EQ(r.victim().class_or_job(), "Class T1");
  EXPECT_TRUE(r.victim().is_staff());
  EXPECT_EQ(r.perpetrator().relation(), v1::PERPETRATOR_RELATION_STAFF);
  EXPECT_EQ(r.victim().name(), "Test Victim V1");
  EXPECT_EQ(r.narrative(), "Test narrative.");

  ASSERT_EQ(Run({"--output", "json", "case", "file", "--from-file", dir_.File("case.json")}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["id"], "case-0001");
}

TEST_F(CliTest, VictimStaffFlagCanBeTurnedOff) {
  SignIn();
  std::ofstream(dir_.File("case.json")) << R"({"victim_staff": true})";
  ASSERT_EQ(Run({"case", "file", "--from-file", dir_.File("case.json"), "--victim-staff=false"}),
            0)
      << err_.str();
  EXPECT_FALSE(state_.filed.victim().is_staff());
  ASSERT_EQ(Run({"case", "file", "--from-file", dir_.File("case.json")}), 0);
  EXPECT_TRUE(state_.filed.victim().is_staff());
}

TEST_F(CliTest, SensitiveCaseFieldsOnArgvAreRefused) {
  SignIn();
  for (const char* flag : {"--victim-name", "--perpetrator-name", "--place", "--narrative"}) {
    EXPECT_EQ(Run({"case", "file", flag, "Test Secret Value"}), 2) << flag;
    ExpectOneErrorLine();
    EXPECT_THAT(err_.str(), Not(HasSubstr("Test Secret Value")));
  }
  EXPECT_EQ(Run({"case", "note", "case-0001", "--text", "Test Secret Value"}), 2);
  EXPECT_EQ(Run({"case", "file", "--bogus=Test Secret Value"}), 2);
  EXPECT_THAT(err_.str(), Not(HasSubstr("Test Secret Value")));
  EXPECT_THAT(state_.targets_seen, IsEmpty());
}

TEST_F(CliTest, CaseFileWithABadInputFileExitsTen) {
  SignIn();
  EXPECT_EQ(Run({"case", "file", "--from-file", dir_.File("missing.json")}), 10);
  ExpectOneErrorLine();
  std::ofstream(dir_.File("bad.json")) << "{not json";
  EXPECT_EQ(Run({"case", "file", "--from-file", dir_.File("bad.json")}), 10);
  ExpectOneErrorLine();
  EXPECT_EQ(Run({"case", "file", "--severity", "urgent"}), 2);
}

TEST_F(CliTest, InvalidInputPrintsEachFieldViolation) {
  SignIn();
  google::rpc::BadRequest bad;
  auto* v = bad.add_field_violations();
  v->set_field("victim.name");
  v->set_description("is required");
  google::rpc::Status details;
  details.set_code(3);
  details.add_details()->PackFrom(bad);
  state_.failure = FromGrpcStatus(
      grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request",
                   details.SerializeAsString()),
      "localhost:7443");
  std::ofstream(dir_.File("case.json")) << "{}";
  EXPECT_EQ(Run({"case", "file", "--from-file", dir_.File("case.json")}), 6);
  EXPECT_EQ(err_.str(), "casevault: invalid input\n  victim.name: is required\n");
}

TEST_F(CliTest, ServerFailuresExitWithTheirCodes) {
  SignIn();
  const std::vector<std::pair<grpc::StatusCode, int>> table = {
      {grpc::StatusCode::PERMISSION_DENIED, 4}, {grpc::StatusCode::ABORTED, 7},
      {grpc::StatusCode::FAILED_PRECONDITION, 13}, {grpc::StatusCode::ALREADY_EXISTS, 7},
      {grpc::StatusCode::UNAVAILABLE, 8},       {grpc::StatusCode::DEADLINE_EXCEEDED, 8},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, 11}, {grpc::StatusCode::INTERNAL, 1},
      {grpc::StatusCode::UNAUTHENTICATED, 3}};
  for (const auto& [code, exit] : table) {
    state_.failure = FromGrpcStatus(grpc::Status(code, "m"), "localhost:7443");
    EXPECT_EQ(Run({"case", "list"}), exit) << code;
    ExpectOneErrorLine();
  }
}

TEST_F(CliTest, CaseNoteFromStandardInput) {
  SignIn();
  ASSERT_EQ(Run({"case", "note", "case-0001", "--text-file", "-"}, "Test note.\n"), 0)
      << err_.str();
  EXPECT_EQ(state_.note.case_id(), "case-0001");
  EXPECT_EQ(state_.note.text(), "Test note.");
  EXPECT_EQ(out_.str(), "added note note-1 to case case-0001\n");
  EXPECT_EQ(Run({"case", "note", "case-0001"}), 2);  // no file, no terminal
}

TEST_F(CliTest, CaseListAllFollowsEveryPage) {
  SignIn();
  v1::ListCasesResponse page1, page2;
  page1.add_cases()->set_id("case-0001");
  page1.set_next_page_token("p2");
  page2.add_cases()->set_id("case-0002");
  state_.list_responses = {page1, page2};
  ASSERT_EQ(Run({"case", "list", "--all", "--status", "open", "--page-size", "1",
                 "--output", "json"}),
            0)
      << err_.str();
  ASSERT_EQ(state_.list_requests.size(), 2u);
  EXPECT_EQ(state_.list_requests[0].status(), v1::CASE_STATUS_OPEN);
  EXPECT_EQ(state_.list_requests[1].page_token(), "p2");
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["cases"].size(), 2u);
  EXPECT_EQ(doc["next_page_token"], "");
  EXPECT_EQ(Run({"case", "list", "--all", "--page-token", "x"}), 2);
  EXPECT_EQ(Run({"case", "list", "--status", "lost"}), 2);
}

TEST_F(CliTest, UserCommands) {
  SignIn();
  vars_["CASEVAULT_NEW_PASSWORD"] = "new-pw-test";
  ASSERT_EQ(Run({"user", "add", "--user", "n-test", "--role", "principal", "--unit",
                 "school-test"}),
            0)
      << err_.str();
  EXPECT_EQ(state_.create.username(), "n-test");
  EXPECT_EQ(state_.create.role(), v1::ROLE_PRINCIPAL);
  EXPECT_EQ(state_.create.unit_id(), "school-test");
  EXPECT_EQ(state_.create.password(), "new-pw-test");
  EXPECT_THAT(out_.str(), Not(HasSubstr("new-pw-test")));
  EXPECT_EQ(Run({"user", "add", "--user", "n", "--role", "janitor", "--unit", "s"}), 2);
  ASSERT_EQ(Run({"user", "reset-password", "n-test"}), 0);
  EXPECT_EQ(state_.reset.new_password(), "new-pw-test");
  ASSERT_EQ(Run({"user", "disable", "n-test"}), 0);
  EXPECT_EQ(state_.disabled, "n-test");
  ASSERT_EQ(Run({"user", "unlock", "n-test", "--output", "json"}), 0);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["username"], "n-test");
  ASSERT_EQ(Run({"user", "list"}), 0);
  EXPECT_EQ(out_.str(), "no accounts\n");
  vars_.erase("CASEVAULT_NEW_PASSWORD");
  EXPECT_EQ(Run({"user", "reset-password", "n-test"}), 2);  // no source, no terminal
}

}  // namespace
}  // namespace casevault::client
