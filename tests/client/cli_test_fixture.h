// The CliTest fixture: the whole command line against a fake server, with
// a session file in a temporary directory and the test CA.
#ifndef CASEVAULT_TESTS_CLIENT_CLI_TEST_FIXTURE_H_
#define CASEVAULT_TESTS_CLIENT_CLI_TEST_FIXTURE_H_

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "client/cli.h"
#include "client/client_fakes.h"
#include "client/test_tls_fixtures.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

namespace casevault::client::testing {

inline constexpr char kToken[] = "tok-test-0123456789";

// What FakeServerApi answers when the server fails with `code` and
// `message`, carrying a google.rpc.ErrorInfo with `reason` (in `domain`)
// when `reason` is not empty, as casevaultd does for PERMISSION_DENIED.
inline absl::Status ServerFailure(grpc::StatusCode code, const std::string& message,
                                  const std::string& reason = "",
                                  const std::string& domain = "casevault.v1") {
  std::string details;
  if (!reason.empty()) {
    google::rpc::ErrorInfo info;
    info.set_reason(reason);
    info.set_domain(domain);
    google::rpc::Status rpc_status;
    rpc_status.set_code(static_cast<int>(code));
    rpc_status.set_message(message);
    rpc_status.add_details()->PackFrom(info);
    details = rpc_status.SerializeAsString();
  }
  return FromGrpcStatus(grpc::Status(code, message, details), "localhost:7443");
}

class CliTest : public ::testing::Test {
 protected:
  CliTest() {
    session_path_ = dir_.File("config/casevault/session.json");
    vars_["CASEVAULT_SESSION_FILE"] = session_path_;
    std::ofstream(dir_.File("ca.pem")) << kTestCaPem;
    vars_["CASEVAULT_CA"] = dir_.File("ca.pem");
    state_.login_response.set_session_token(kToken);
    state_.login_response.set_role(v1::ROLE_COUNSELOR);
    state_.login_response.set_unit_id("school-test");
    state_.login_response.set_expires_at("2030-01-01T00:00:00Z");
    state_.case_response = SampleCase();
  }

  int Run(std::vector<std::string> args, const std::string& stdin_text = "") {
    out_.str("");
    err_.str("");
    std::istringstream in(stdin_text);
    ClientEnvironment environment;
    environment.env = MapEnv(&vars_);
    environment.terminal = &terminal_;
    environment.in = &in;
    environment.out = &out_;
    environment.err = &err_;
    environment.err_is_terminal = err_is_terminal_;
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

  // Exactly one "casevault: ..." line on stderr.
  void ExpectOneErrorLine() {
    const std::string err = err_.str();
    EXPECT_THAT(err, ::testing::StartsWith("casevault: "));
    EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  }

  casevault::testing::TempDir dir_;
  std::string session_path_;
  std::map<std::string, std::string> vars_;
  FakeTerminal terminal_{/*interactive=*/false};
  FakeServerApi::State state_;
  bool err_is_terminal_ = false;
  std::ostringstream out_;
  std::ostringstream err_;
};

}  // namespace casevault::client::testing

#endif  // CASEVAULT_TESTS_CLIENT_CLI_TEST_FIXTURE_H_
