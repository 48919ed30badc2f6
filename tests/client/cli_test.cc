// The command line against a fake server: sign-in, sessions, secrets on
// argv, usage errors.
#include "client/cli.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "client/cli_test_fixture.h"
#include "client/session_file.h"
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
