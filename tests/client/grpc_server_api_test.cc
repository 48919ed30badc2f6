// The real gRPC path against an in-process server on a loopback port: TLS
// with the test CA, the bearer token, deadlines, status details on the wire,
// and the whole command line end to end.
#include "client/grpc_server_api.h"

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "client/cli.h"
#include "client/client_fakes.h"
#include "client/test_tls_fixtures.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::TempDir;
using ::testing::HasSubstr;

constexpr char kToken[] = "tok-grpc-test";

bool Authorized(grpc::ServerContext* context) {
  auto it = context->client_metadata().find("authorization");
  return it != context->client_metadata().end() &&
         std::string(it->second.data(), it->second.size()) == std::string("Bearer ") + kToken;
}

grpc::Status Unauthenticated() {
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no valid session");
}

class TestAuthService final : public v1::AuthService::Service {
 public:
  grpc::Status Login(grpc::ServerContext*, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override {
    if (request->username() != "counselor-test" || request->password() != "pw-test") {
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "sign-in refused");
    }
    response->set_session_token(kToken);
    response->set_role(v1::ROLE_COUNSELOR);
    response->set_unit_id("school-test");
    response->set_expires_at("2030-01-01T00:00:00Z");
    return grpc::Status::OK;
  }
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest*,
                      v1::LogoutResponse*) override {
    return Authorized(context) ? grpc::Status::OK : Unauthenticated();
  }
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest*,
                      v1::WhoAmIResponse* response) override {
    if (!Authorized(context)) return Unauthenticated();
    response->set_username("counselor-test");
    response->set_role(v1::ROLE_COUNSELOR);
    response->set_unit_id("school-test");
    return grpc::Status::OK;
  }
};

class TestCaseService final : public v1::CaseService::Service {
 public:
  grpc::Status FileCase(grpc::ServerContext* context, const v1::FileCaseRequest* request,
                        v1::Case* response) override {
    if (!Authorized(context)) return Unauthenticated();
    if (request->victim().name().empty() || request->narrative().empty()) {
      google::rpc::BadRequest bad;
      if (request->victim().name().empty()) {
        auto* v = bad.add_field_violations();
        v->set_field("victim.name");
        v->set_description("is required");
      }
      if (request->narrative().empty()) {
        auto* v = bad.add_field_violations();
        v->set_field("narrative");
        v->set_description("is required");
      }
      google::rpc::Status details;
      details.set_code(static_cast<int>(grpc::StatusCode::INVALID_ARGUMENT));
      details.set_message("invalid request");
      details.add_details()->PackFrom(bad);
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "invalid request",
                          details.SerializeAsString());
    }
    std::lock_guard<std::mutex> lock(mu_);
    stored_.set_id("case-0001");
    stored_.set_incident_type(request->incident_type());
    stored_.set_severity(request->severity());
    stored_.set_place(request->place());
    *stored_.mutable_victim() = request->victim();
    *stored_.mutable_perpetrator() = request->perpetrator();
    stored_.set_narrative(request->narrative());
    stored_.set_status(v1::CASE_STATUS_OPEN);
    *response = stored_;
    return grpc::Status::OK;
  }
  grpc::Status GetCase(grpc::ServerContext* context, const v1::GetCaseRequest* request,
                       v1::Case* response) override {
    if (!Authorized(context)) return Unauthenticated();
    if (request->case_id() == "slow") {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      return grpc::Status::OK;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (request->case_id() != stored_.id() || stored_.id().empty()) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "case not found");
    }
    *response = stored_;
    return grpc::Status::OK;
  }
  // Refuses every escalation the way casevaultd does: PERMISSION_DENIED with
  // the policy's reason in an ErrorInfo.
  grpc::Status EscalateCase(grpc::ServerContext* context, const v1::EscalateCaseRequest* request,
                            v1::CaseState*) override {
    if (!Authorized(context)) return Unauthenticated();
    google::rpc::ErrorInfo info;
    info.set_reason("RELATION_NOT_PERMITTED");
    info.set_domain("casevault.v1");
    google::rpc::Status details;
    details.set_code(static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
    details.set_message("a participant may not escalate");
    details.add_details()->PackFrom(info);
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "a participant may not escalate",
                        details.SerializeAsString());
  }
  grpc::Status ResolveCase(grpc::ServerContext* context, const v1::ResolveCaseRequest* request,
                           v1::CaseState* response) override {
    if (!Authorized(context)) return Unauthenticated();
    if (request->version() != 3) {
      return grpc::Status(grpc::StatusCode::ABORTED, "stale version");
    }
    response->set_case_id(request->case_id());
    response->set_status(v1::CASE_STATUS_RESOLVED);
    response->set_version(4);
    return grpc::Status::OK;
  }

 private:
  std::mutex mu_;
  v1::Case stored_;
};

class TestStepService final : public v1::StepService::Service {
 public:
  grpc::Status AddStep(grpc::ServerContext* context, const v1::AddStepRequest* request,
                       v1::Step* response) override {
    if (!Authorized(context)) return Unauthenticated();
    if (request->kind() == v1::STEP_KIND_POLICE_REPORT) {
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "no consent in force");
    }
    response->set_id("step-1");
    response->set_case_id(request->case_id());
    response->set_kind(request->kind());
    response->set_external_party(request->external_party());
    response->set_due_date(request->due_date());
    response->set_version(1);
    return grpc::Status::OK;
  }
};

class TestConsentService final : public v1::ConsentService::Service {
 public:
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::WithdrawConsentRequest* request,
                               v1::Consent* response) override {
    if (!Authorized(context)) return Unauthenticated();
    response->set_id(request->consent_id());
    response->set_in_force(false);
    return grpc::Status::OK;
  }
};

enum class Transport { kTls, kPlaintext };

class GrpcServerApiTest : public ::testing::Test {
 protected:
  void Start(Transport transport) {
    std::shared_ptr<grpc::ServerCredentials> credentials;
    if (transport == Transport::kTls) {
      grpc::SslServerCredentialsOptions options;
      options.pem_key_cert_pairs.push_back(
          {testing::kTestServerKeyPem, testing::kTestServerCertPem});
      credentials = grpc::SslServerCredentials(options);
    } else {
      credentials = grpc::InsecureServerCredentials();
    }
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", credentials, &port_);
    builder.RegisterService(&auth_);
    builder.RegisterService(&cases_);
    builder.RegisterService(&steps_);
    builder.RegisterService(&consents_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_GT(port_, 0);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(3));
  }

  Connection Tls(const char* ca_pem = testing::kTestCaPem) {
    Connection c;
    c.target = "localhost:" + std::to_string(port_);
    c.ca_pem = ca_pem;
    c.timeout_seconds = 5;
    return c;
  }
  Connection Plaintext() {
    Connection c;
    c.target = "127.0.0.1:" + std::to_string(port_);
    c.insecure_loopback = true;
    c.timeout_seconds = 5;
    return c;
  }

  int port_ = 0;
  TestAuthService auth_;
  TestCaseService cases_;
  TestStepService steps_;
  TestConsentService consents_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcServerApiTest, TlsWithTheRightCaCarriesTheBearerToken) {
  Start(Transport::kTls);
  std::unique_ptr<ServerApi> anonymous = NewGrpcServerApi(Tls(), "");
  v1::LoginRequest login;
  login.set_username("counselor-test");
  login.set_password("pw-test");
  absl::StatusOr<v1::LoginResponse> session = anonymous->Login(login);
  ASSERT_TRUE(session.ok()) << session.status();
  EXPECT_EQ(session->session_token(), kToken);
  EXPECT_EQ(ExitCodeOf(anonymous->WhoAmI({}).status()), ExitCode::kUnauthenticated);

  std::unique_ptr<ServerApi> signed_in = NewGrpcServerApi(Tls(), kToken);
  absl::StatusOr<v1::WhoAmIResponse> me = signed_in->WhoAmI({});
  ASSERT_TRUE(me.ok()) << me.status();
  EXPECT_EQ(me->username(), "counselor-test");
}

TEST_F(GrpcServerApiTest, AnotherCaIsATlsProblem) {
  Start(Transport::kTls);
  absl::Status failure = NewGrpcServerApi(Tls(testing::kTestWrongCaPem), "")->WhoAmI({}).status();
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kTls) << failure;
}

TEST_F(GrpcServerApiTest, FieldViolationsSurviveTheWire) {
  Start(Transport::kPlaintext);
  absl::Status failure = NewGrpcServerApi(Plaintext(), kToken)->FileCase({}).status();
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kInvalidInput);
  EXPECT_EQ(FailureText(failure),
            "casevault: invalid input\n"
            "  victim.name: is required\n"
            "  narrative: is required\n");
}

TEST_F(GrpcServerApiTest, NewServicesAndTheirFailuresOverTheWire) {
  Start(Transport::kPlaintext);
  std::unique_ptr<ServerApi> api = NewGrpcServerApi(Plaintext(), kToken);

  v1::EscalateCaseRequest escalate;
  escalate.set_case_id("case-0001");
  absl::Status denied = api->EscalateCase(escalate).status();
  EXPECT_EQ(ExitCodeOf(denied), ExitCode::kPermissionDenied);
  EXPECT_EQ(ReasonOf(denied), "RELATION_NOT_PERMITTED");
  EXPECT_EQ(FailureText(denied),
            "casevault: permission denied: a participant may not escalate (reason: "
            "RELATION_NOT_PERMITTED)\n");

  v1::ResolveCaseRequest resolve;
  resolve.set_case_id("case-0001");
  resolve.set_version(3);
  absl::StatusOr<v1::CaseState> state = api->ResolveCase(resolve);
  ASSERT_TRUE(state.ok()) << state.status();
  EXPECT_EQ(state->version(), 4);
  resolve.set_version(2);
  EXPECT_EQ(ExitCodeOf(api->ResolveCase(resolve).status()), ExitCode::kConflict);

  v1::AddStepRequest add;
  add.set_case_id("case-0001");
  add.set_kind(v1::STEP_KIND_WOMENS_UNION);
  add.set_external_party("H\xe1\xbb\x99i Ph\xe1\xbb\xa5 n\xe1\xbb\xaf x\xc3\xa3");
  absl::StatusOr<v1::Step> step = api->AddStep(add);
  ASSERT_TRUE(step.ok()) << step.status();
  EXPECT_EQ(step->external_party(), add.external_party());
  add.set_kind(v1::STEP_KIND_POLICE_REPORT);
  EXPECT_EQ(ExitCodeOf(api->AddStep(add).status()), ExitCode::kNotPossible);

  v1::WithdrawConsentRequest withdraw;
  withdraw.set_consent_id("consent-1");
  absl::StatusOr<v1::Consent> consent = api->WithdrawConsent(withdraw);
  ASSERT_TRUE(consent.ok()) << consent.status();
  EXPECT_EQ(consent->id(), "consent-1");
  // A method the test server does not implement: a version mismatch.
  EXPECT_EQ(ExitCodeOf(api->ListSteps({}).status()), ExitCode::kInternal);
}

TEST_F(GrpcServerApiTest, DeadlineIsAnUnavailableServer) {
  Start(Transport::kPlaintext);
  Connection connection = Plaintext();
  connection.timeout_seconds = 0.2;
  v1::GetCaseRequest request;
  request.set_case_id("slow");
  absl::Status failure = NewGrpcServerApi(connection, kToken)->GetCase(request).status();
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kUnavailable);
  EXPECT_THAT(std::string(failure.message()),
              HasSubstr("cannot reach the server at " + connection.target));
}

TEST_F(GrpcServerApiTest, NobodyListeningIsAnUnavailableServer) {
  Start(Transport::kPlaintext);
  Connection connection = Plaintext();
  server_->Shutdown();
  server_.reset();
  absl::Status failure = NewGrpcServerApi(connection, "")->WhoAmI({}).status();
  EXPECT_EQ(ExitCodeOf(failure), ExitCode::kUnavailable);
  EXPECT_EQ(failure.message(), "cannot reach the server at " + connection.target);
}

// The command line, the session file and gRPC over TLS together.
TEST_F(GrpcServerApiTest, CommandLineEndToEndOverTls) {
  Start(Transport::kTls);
  TempDir dir;
  std::ofstream(dir.File("ca.pem")) << testing::kTestCaPem;
  std::ofstream(dir.File("wrong-ca.pem")) << testing::kTestWrongCaPem;
  const std::string place = "Tr\xc6\xb0\xe1\xbb\x9dng th\xe1\xbb\xad nghi\xe1\xbb\x87m";
  std::ofstream(dir.File("case.json"))
      << R"({"victim_name": "Test Victim V1", "place": ")" << place
      << R"(", "narrative": "Test narrative."})";
  std::map<std::string, std::string> vars = {
      {"CASEVAULT_SESSION_FILE", dir.File("session.json")},
      {"CASEVAULT_PASSWORD", "pw-test"}};
  testing::FakeTerminal terminal;
  std::istringstream in;
  std::ostringstream out, err;
  ClientEnvironment environment;
  environment.env = testing::MapEnv(&vars);
  environment.terminal = &terminal;
  environment.in = &in;
  environment.out = &out;
  environment.err = &err;
  environment.api_factory = NewGrpcServerApi;
  auto run = [&](std::vector<std::string> args) {
    out.str("");
    err.str("");
    return RunClient(args, environment);
  };
  const std::string server = "localhost:" + std::to_string(port_);

  EXPECT_EQ(run({"--server", server, "--ca", dir.File("wrong-ca.pem"), "login", "--user",
                 "counselor-test"}),
            9)
      << err.str();
  ASSERT_EQ(run({"--server", server, "--ca", dir.File("ca.pem"), "login", "--user",
                 "counselor-test"}),
            0)
      << err.str();
  // Server and CA now come from the session.
  ASSERT_EQ(run({"whoami"}), 0) << err.str();
  EXPECT_THAT(out.str(), HasSubstr("counselor-test (counselor)"));
  ASSERT_EQ(run({"case", "file", "--from-file", dir.File("case.json"), "--type", "rape",
                 "--severity", "high"}),
            0)
      << err.str();
  EXPECT_EQ(out.str(), "case-0001\n");
  ASSERT_EQ(run({"case", "show", "case-0001", "--output", "json"}), 0) << err.str();
  const nlohmann::json doc = nlohmann::json::parse(out.str());
  EXPECT_EQ(doc["place"], place);
  EXPECT_EQ(doc["incident_type"], "rape");
  EXPECT_EQ(run({"case", "show", "case-0002"}), 5);
  ASSERT_EQ(run({"case", "resolve", "case-0001", "--version", "3", "--lang", "vi"}), 0)
      << err.str();
  EXPECT_THAT(out.str(), HasSubstr("\xc4\x90\xc3\xa3 gi\xe1\xba\xa3i quy\xe1\xba\xbft"));  // "Đã giải quyết"
  EXPECT_EQ(run({"case", "resolve", "case-0001", "--version", "2"}), 7);
  EXPECT_THAT(err.str(), HasSubstr("reload it (casevault case show case-0001)"));
  EXPECT_EQ(run({"case", "escalate", "case-0001", "--version", "3", "--reason", "other",
                 "--output", "json"}),
            4);
  EXPECT_EQ(nlohmann::json::parse(out.str())["error"]["reason"], "RELATION_NOT_PERMITTED");
  ASSERT_EQ(run({"logout"}), 0) << err.str();
  EXPECT_EQ(run({"whoami"}), 3);
  vars["CASEVAULT_PASSWORD"] = "wrong-test";
  EXPECT_EQ(run({"--server", server, "--ca", dir.File("ca.pem"), "login", "--user",
                 "counselor-test"}),
            3);
}

}  // namespace
}  // namespace casevault::client
