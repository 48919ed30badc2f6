// The whole command line against a fake server: parsing, sessions, secrets
// and exit codes.
#include "client/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include "client/client_fakes.h"
#include "client/session_file.h"
#include "client/test_tls_fixtures.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::ReadFileBytes;
using casevault::testing::TempDir;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::FakeServerApi;
using testing::FakeTerminal;

constexpr char kToken[] = "tok-test-0123456789";

class CliTest : public ::testing::Test {
 protected:
  CliTest() {
    session_path_ = dir_.File("config/casevault/session.json");
    vars_["CASEVAULT_SESSION_FILE"] = session_path_;
    std::ofstream(dir_.File("ca.pem")) << testing::kTestCaPem;
    vars_["CASEVAULT_CA"] = dir_.File("ca.pem");
    state_.login_response.set_session_token(kToken);
    state_.login_response.set_role(v1::ROLE_COUNSELOR);
    state_.login_response.set_unit_id("school-test");
    state_.login_response.set_expires_at("2030-01-01T00:00:00Z");
    state_.case_response = testing::SampleCase();
  }

  int Run(std::vector<std::string> args, const std::string& stdin_text = "") {
    out_.str("");
    err_.str("");
    std::istringstream in(stdin_text);
    ClientEnvironment environment;
    environment.env = testing::MapEnv(&vars_);
    environment.terminal = &terminal_;
    environment.in = &in;
    environment.out = &out_;
    environment.err = &err_;
    environment.api_factory = [this](const Connection& connection, const std::string& token) {
      state_.targets_seen.push_back(connection.target);
      state_.tokens_seen.push_back(token);
      return std::make_unique<FakeServerApi>(&state_);
    };
    return RunClient(args, environment);
  }

  void SignIn() {
    vars_["CASEVAULT_PASSWORD"] = "pw-test";
    ASSERT_EQ(Run({"login", "--user", "counselor-test"}), 0) << err_.str();
    vars_.erase("CASEVAULT_PASSWORD");
    state_.tokens_seen.clear();
    state_.targets_seen.clear();
  }

  // One "casevault: ..." line (plus detail lines when asked) and nothing on
  // stdout.
  void ExpectOneErrorLine() {
    const std::string err = err_.str();
    EXPECT_THAT(err, ::testing::StartsWith("casevault: "));
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }

  TempDir dir_;
  std::string session_path_;
  std::map<std::string, std::string> vars_;
  FakeTerminal terminal_{/*interactive=*/false};
  FakeServerApi::State state_;
  std::ostringstream out_;
  std::ostringstream err_;
};

TEST_F(CliTest, LoginSavesA0600SessionAndNeverPrintsTheToken) {
  vars_["CASEVAULT_PASSWORD"] = "pw-test";
  ASSERT_EQ(Run({"login", "--user", "counselor-test"}), 0) << err_.str();
  EXPECT_EQ(state_.login.username(), "counselor-test");
  EXPECT_EQ(state_.login.password(), "pw-test");
  EXPECT_EQ(state_.tokens_seen, std::vector<std::string>{""});
  EXPECT_THAT(out_.str(), HasSubstr("signed in as counselor-test (counselor)"));
  EXPECT_THAT(out_.str() + err_.str(), Not(HasSubstr(kToken)));

  struct stat st;
  ASSERT_EQ(lstat(session_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  absl::StatusOr<std::optional<Session>> session = LoadSession(session_path_);
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ((*session)->token, kToken);
  EXPECT_EQ((*session)->server, "localhost:7443");
  EXPECT_EQ((*session)->ca_path, dir_.File("ca.pem"));
  EXPECT_EQ((*session)->role, "counselor");
}

TEST_F(CliTest, LoginAgainRevokesTheSessionItReplaces) {
  SignIn();
  state_.login_response.set_session_token("tok-test-second");
  vars_["CASEVAULT_PASSWORD"] = "pw-test";
  ASSERT_EQ(Run({"login", "--user", "counselor-test"}), 0) << err_.str();
  EXPECT_EQ(state_.logouts, 1);
  EXPECT_EQ(state_.tokens_seen, (std::vector<std::string>{"", kToken}));
  EXPECT_EQ((*LoadSession(session_path_))->token, "tok-test-second");
}

TEST_F(CliTest, LoginPasswordFileBeatsEnvironment) {
  std::ofstream(dir_.File("pw")) << "pw-from-file-test\n";
  vars_["CASEVAULT_PASSWORD"] = "pw-from-env-test";
  ASSERT_EQ(Run({"login", "--user", "u-test", "--password-file", dir_.File("pw")}), 0);
  EXPECT_EQ(state_.login.password(), "pw-from-file-test");
}

TEST_F(CliTest, PasswordOnArgvIsRefusedBeforeAnyCall) {
  vars_["CASEVAULT_PASSWORD"] = "pw-test";
  for (std::vector<std::string> args :
       {std::vector<std::string>{"login", "--user", "u-test", "--password", "pw-argv-test"},
        {"login", "--user", "u-test", "--password=pw-argv-test"},
        {"user", "add", "--user", "n-test", "--role", "counselor", "--unit", "s", "--password",
         "pw-argv-test"},
        {"user", "reset-password", "n-test", "--password", "pw-argv-test"}}) {
    EXPECT_EQ(Run(args), 2);
    ExpectOneErrorLine();
    EXPECT_THAT(err_.str(), HasSubstr("--password is refused"));
    EXPECT_THAT(err_.str(), Not(HasSubstr("pw-argv-test")));
  }
  EXPECT_THAT(state_.targets_seen, IsEmpty());
}

TEST_F(CliTest, LoginWithoutAnyPasswordSourceIsAUsageError) {
  EXPECT_EQ(Run({"login", "--user", "u-test"}), 2);
  ExpectOneErrorLine();
  EXPECT_THAT(err_.str(), HasSubstr("CASEVAULT_PASSWORD"));
}

TEST_F(CliTest, RefusedSignInExitsThree) {
  vars_["CASEVAULT_PASSWORD"] = "wrong-test";
  state_.failure = FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "x"), "h:1");
  EXPECT_EQ(Run({"login", "--user", "u-test"}), 3);
  ExpectOneErrorLine();
  EXPECT_THAT(err_.str(), HasSubstr("sign-in refused"));
  EXPECT_EQ(access(session_path_.c_str(), F_OK), -1);
}

TEST_F(CliTest, CommandsWithoutASessionExitThree) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{"whoami"}, {"case", "show", "c-1"}, {"case", "list"},
        {"user", "list"}}) {
    EXPECT_EQ(Run(args), 3);
    EXPECT_EQ(err_.str(), "casevault: not signed in or session expired; run: casevault login\n");
  }
  EXPECT_THAT(state_.targets_seen, IsEmpty());
}

TEST_F(CliTest, TheTokenGoesOnlyToTheServerItCameFrom) {
  SignIn();
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0) << err_.str();
  EXPECT_EQ(state_.tokens_seen, std::vector<std::string>{kToken});
  EXPECT_EQ(state_.get.case_id(), "case-0001");
  EXPECT_EQ(Run({"--server", "other.test:7443", "case", "show", "case-0001"}), 3);
  ExpectOneErrorLine();
  EXPECT_THAT(err_.str(), HasSubstr("other.test:7443"));
  EXPECT_EQ(state_.tokens_seen.size(), 1u);
}

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
  EXPECT_THAT(out_.str(), HasSubstr("Incident type   sexual-assault"));
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

TEST_F(CliTest, LogoutRevokesAndDeletesTheSession) {
  SignIn();
  ASSERT_EQ(Run({"logout"}), 0) << err_.str();
  EXPECT_EQ(state_.logouts, 1);
  EXPECT_EQ(state_.tokens_seen, std::vector<std::string>{kToken});
  EXPECT_EQ(access(session_path_.c_str(), F_OK), -1);
  EXPECT_EQ(Run({"logout"}), 0);
  EXPECT_EQ(Run({"whoami"}), 3);
}

TEST_F(CliTest, LogoutDeletesTheLocalSessionEvenIfTheServerIsDown) {
  SignIn();
  state_.failure = FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, ""), "h:1");
  EXPECT_EQ(Run({"logout"}), 8);
  ExpectOneErrorLine();
  EXPECT_EQ(access(session_path_.c_str(), F_OK), -1);
}

TEST_F(CliTest, UnsafeSessionFileExitsTen) {
  SignIn();
  ASSERT_EQ(chmod(session_path_.c_str(), 0644), 0);
  EXPECT_EQ(Run({"whoami"}), 10);
  ExpectOneErrorLine();
  // Login replaces it with a safe one.
  vars_["CASEVAULT_PASSWORD"] = "pw-test";
  ASSERT_EQ(Run({"login", "--user", "counselor-test"}), 0) << err_.str();
  struct stat st;
  ASSERT_EQ(stat(session_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
}

TEST_F(CliTest, InsecureLoopbackRefusedForRemoteServers) {
  vars_["CASEVAULT_PASSWORD"] = "pw-test";
  EXPECT_EQ(Run({"--insecure-loopback", "--server", "school.example.org:7443", "login", "--user",
                 "u-test"}),
            2);
  ExpectOneErrorLine();
  EXPECT_THAT(state_.targets_seen, IsEmpty());
  vars_.erase("CASEVAULT_CA");
  ASSERT_EQ(Run({"--insecure-loopback", "--server", "127.0.0.1:7443", "login", "--user",
                 "u-test"}),
            0)
      << err_.str();
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

TEST_F(CliTest, UsageErrorsExitTwoAndHelpExitsZero) {
  for (std::vector<std::string> args :
       {std::vector<std::string>{}, {"frobnicate"}, {"case"}, {"case", "show"},
        {"--output", "yaml", "whoami"}, {"--timeout", "soon", "whoami"},
        {"--server", "no-port", "whoami"}, {"login"}}) {
    EXPECT_EQ(Run(args), 2) << (args.empty() ? "" : args[0]);
    ExpectOneErrorLine();
  }
  EXPECT_EQ(Run({"--help"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Usage"));
}

}  // namespace
}  // namespace casevault::client
