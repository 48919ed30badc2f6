// Every casevault service over real domain objects (a SQLCipher store in a
// temporary directory, seeded randomness, a fake clock, cheap password
// hashing), served in process: no port, no TLS. Calls go through gRPC's
// in-process transport, so handlers, CallScope and the status mapping run
// exactly as in casevaultd.
#ifndef CASEVAULT_TESTS_SERVER_SERVER_FIXTURE_H_
#define CASEVAULT_TESTS_SERVER_SERVER_FIXTURE_H_

#include <future>
#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "casevault/v1/auth.grpc.pb.h"
#include "common/clock.h"
#include "crypto/case_key.h"
#include "crypto/keyring.h"
#include "crypto/password_hasher.h"
#include "domain/account_registry.h"
#include "domain/audit_desk.h"
#include "domain/audit_trail.h"
#include "domain/authenticator.h"
#include "domain/case_desk.h"
#include "domain/case_workflow.h"
#include "domain/coordination_desk.h"
#include "domain/session_cache.h"
#include "gtest/gtest.h"
#include "server/services.h"
#include "storage/store.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::server {

// 2026-11-29T00:00:00Z
inline constexpr UnixMillis kServerTestNow = 1795910400000;

class InProcessServerTest : public ::testing::Test {
 protected:
  InProcessServerTest()
      : random_(20261129),
        clock_(kServerTestNow),
        keyring_(crypto::Keyring::Generate(random_)),
        hasher_(crypto::PasswordHashLimits{1, 8192}) {}

  void SetUp() override {
    auto store = storage::OpenSqlCipherStore(
        dir_.File("test.db"), keyring_.database_key, storage::OpenMode::kCreate);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    case_keys_ = std::make_unique<crypto::CaseKeyring>(keyring_, random_);
    auto trail = domain::AuditTrail::New(keyring_, clock_);
    ASSERT_OK(trail.status());
    trail_ = *std::move(trail);
    // One session cache shared by both, as CasevaultServer::Start does.
    sessions_ = std::make_unique<domain::SessionCache>();
    auth_ = std::make_unique<domain::Authenticator>(
        *store_, *trail_, hasher_, clock_, random_, domain::SignInOptions{},
        sessions_.get());
    accounts_ = std::make_unique<domain::AccountRegistry>(
        *store_, *trail_, hasher_, clock_, sessions_.get());
    desk_ = std::make_unique<domain::CaseDesk>(*store_, *trail_, *case_keys_,
                                               clock_, random_);
    workflow_ = std::make_unique<domain::CaseWorkflow>(
        *store_, *trail_, *case_keys_, clock_, random_);
    coordination_ = std::make_unique<domain::CoordinationDesk>(
        *store_, *trail_, *case_keys_, clock_, random_);
    audit_desk_ = std::make_unique<domain::AuditDesk>(*store_, *trail_);

    auth_service_ = std::make_unique<AuthServiceImpl>(*auth_, random_);
    account_service_ =
        std::make_unique<AccountServiceImpl>(*auth_, *accounts_, random_);
    case_service_ = std::make_unique<CaseServiceImpl>(*auth_, *desk_,
                                                      *workflow_, random_);
    step_service_ =
        std::make_unique<StepServiceImpl>(*auth_, *coordination_, random_);
    consent_service_ =
        std::make_unique<ConsentServiceImpl>(*auth_, *coordination_, random_);
    audit_service_ =
        std::make_unique<AuditServiceImpl>(*auth_, *audit_desk_, random_);

    grpc::ServerBuilder builder;
    builder.RegisterService(auth_service_.get());
    builder.RegisterService(account_service_.get());
    builder.RegisterService(case_service_.get());
    builder.RegisterService(step_service_.get());
    builder.RegisterService(consent_service_.get());
    builder.RegisterService(audit_service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = server_->InProcessChannel(grpc::ChannelArguments());
  }

  void TearDown() override {
    if (server_ != nullptr) {
      server_->Shutdown();
      server_->Wait();
    }
  }

  // Creates an account (as the operator would) and signs it in over the
  // channel; returns the session token.
  std::string SignIn(const std::string& username, domain::Role role,
                     const std::string& unit = "school-a") {
    const std::string password = "correct horse battery staple";
    domain::NewAccount a;
    a.username = username;
    a.role = static_cast<int32_t>(role);
    a.unit_id = unit;
    a.password = password;
    EXPECT_OK(accounts_->CreateUnchecked(a).status());
    auto stub = v1::AuthService::NewStub(channel_);
    grpc::ClientContext context;
    v1::LoginRequest request;
    request.set_username(username);
    request.set_password(password);
    v1::LoginResponse response;
    const grpc::Status status = stub->Login(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.session_token();
  }

  struct RawReply {
    grpc::Status status;
    std::string request_id;  // x-request-id initial metadata, if sent
  };

  // Calls `path` ("/casevault.v1.CaseService/GetCase") with `request` (a
  // serialized message; "" is the empty message) and `token` ("" for none).
  RawReply CallRaw(const std::string& path, const std::string& request,
                   const std::string& token) {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    grpc::Slice slice(request);
    grpc::ByteBuffer in(&slice, 1);
    grpc::ByteBuffer out;
    std::promise<grpc::Status> done;
    stub.UnaryCall(&context, path, grpc::StubOptions(), &in, &out,
                   [&done](grpc::Status s) { done.set_value(std::move(s)); });
    RawReply reply;
    reply.status = done.get_future().get();
    const auto& md = context.GetServerInitialMetadata();
    auto it = md.find("x-request-id");
    if (it != md.end()) {
      reply.request_id.assign(it->second.data(), it->second.size());
    }
    return reply;
  }

  testing::TempDir dir_;
  testing::SeededRandom random_;
  FakeClock clock_;
  crypto::Keyring keyring_;
  crypto::PasswordHasher hasher_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<crypto::CaseKeyring> case_keys_;
  std::unique_ptr<domain::AuditTrail> trail_;
  std::unique_ptr<domain::SessionCache> sessions_;
  std::unique_ptr<domain::Authenticator> auth_;
  std::unique_ptr<domain::AccountRegistry> accounts_;
  std::unique_ptr<domain::CaseDesk> desk_;
  std::unique_ptr<domain::CaseWorkflow> workflow_;
  std::unique_ptr<domain::CoordinationDesk> coordination_;
  std::unique_ptr<domain::AuditDesk> audit_desk_;
  std::unique_ptr<AuthServiceImpl> auth_service_;
  std::unique_ptr<AccountServiceImpl> account_service_;
  std::unique_ptr<CaseServiceImpl> case_service_;
  std::unique_ptr<StepServiceImpl> step_service_;
  std::unique_ptr<ConsentServiceImpl> consent_service_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace casevault::server

#endif  // CASEVAULT_TESTS_SERVER_SERVER_FIXTURE_H_
