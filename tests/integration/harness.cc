#include "harness.h"


#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"

namespace casevault::testing {

Deployment::Deployment()
    : paths_(server::DeploymentPaths::For(dir_.path() + "/data", "")) {
  server::InitOptions options;
  options.dev = true;
  options.password_limits = {1, 8192};  // cheap: these tests check behaviour
  const absl::Status s = server::InitDeployment(paths_, options, random_, system_clock_);
  if (!s.ok()) {
    ADD_FAILURE() << "init failed: " << s;
    return;
  }
  const auto json = nlohmann::json::parse(ReadFileBytes(paths_.demo_accounts()));
  for (const auto& a : json.at("accounts")) {
    DemoAccount d{a.at("username"), a.at("password"), a.at("role"), a.at("unit_id")};
    accounts_[d.username] = d;
  }
}

Deployment::~Deployment() { Stop(); }

void Deployment::Start(const Clock* clock, server::ServerOptions options) {
  Stop();
  auto deployment = server::Deployment::Open(paths_, random_);
  ASSERT_TRUE(deployment.ok()) << deployment.status();
  options.listen = "127.0.0.1:0";
  options.password_limits = {1, 8192};
  auto server = server::CasevaultServer::Start(
      *std::move(deployment), paths_, options,
      clock != nullptr ? *clock : system_clock_, random_);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
}

void Deployment::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::milliseconds(2000));
  server_->Wait();
  server_.reset();
}

std::shared_ptr<grpc::Channel> Deployment::Channel() const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileBytes(paths_.ca_cert());
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("localhost:" + std::to_string(port()),
                                   grpc::SslCredentials(ssl), args);
}

std::string Deployment::Login(const std::string& username) const {
  auto stub = v1::AuthService::NewStub(Channel());
  grpc::ClientContext ctx;
  v1::LoginRequest req;
  req.set_username(username);
  req.set_password(account(username).password);
  v1::LoginResponse resp;
  const grpc::Status s = stub->Login(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return resp.session_token();
}

int64_t Deployment::CaseCount() {
  int64_t n = -1;
  const absl::Status s = server_->store().Read([&](storage::Transaction& tx) {
    auto c = tx.cases().Count();
    if (c.ok()) n = *c;
    return c.status();
  });
  EXPECT_TRUE(s.ok()) << s;
  return n;
}

const DemoAccount& Deployment::CreateAccount(const std::string& username,
                                             v1::Role role,
                                             const std::string& unit_id) {
  auto stub = v1::AccountService::NewStub(Channel());
  v1::CreateAccountRequest req;
  req.set_username(username);
  req.set_role(role);
  req.set_unit_id(unit_id);
  req.set_password("mật khẩu thử nghiệm của " + username);
  v1::Account made;
  const grpc::Status s = stub->CreateAccount(Authed(Login("admin")).get(), req, &made);
  EXPECT_TRUE(s.ok()) << username << ": " << s.error_message();
  std::string role_name = v1::Role_Name(role).substr(5);  // drop "ROLE_"
  for (char& c : role_name) c = static_cast<char>(std::tolower(c));
  DemoAccount& a = accounts_[username];
  a = DemoAccount{username, req.password(), role_name, unit_id};
  return a;
}

CliResult RunCli(const Deployment& d, const std::string& session,
                 const std::string& args, const std::string& password,
                 const std::string& stdin_text) {
  return RunCasevault(ClientCall{d.dir(), session, d.paths().ca_cert(),
                                 "localhost:" + std::to_string(d.port()), password,
                                 d.dir() + "/cli"},
                      args, stdin_text);
}

std::unique_ptr<grpc::ClientContext> Authed(const std::string& token) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->AddMetadata("authorization", "Bearer " + token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  return ctx;
}

v1::FileCaseRequest SampleCase(const std::string& marker) {
  v1::FileCaseRequest r;
  r.set_incident_type(v1::INCIDENT_TYPE_PSYCHOLOGICAL_ABUSE);
  r.set_context(v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE);
  r.set_severity(v1::SEVERITY_MEDIUM);
  r.set_incident_date("2026-11-20");
  r.set_place("Hành lang tầng ba, dãy nhà B" + marker);
  r.set_reporter_type(v1::REPORTER_TYPE_PEER);
  r.mutable_victim()->set_name("Nguyễn Thị Hồng Nhung" + marker);
  r.mutable_victim()->set_gender(v1::GENDER_FEMALE);
  r.mutable_victim()->set_birth_year(2012);
  r.mutable_victim()->set_class_or_job("Lớp 8A3");
  r.mutable_perpetrator()->set_relation(v1::PERPETRATOR_RELATION_STUDENT);
  r.mutable_perpetrator()->set_name("Phạm Quốc Tuấn" + marker);
  std::string narrative =
      "Bạn học cùng lớp nhiều lần chặn đường, lấy đồ và nhắn tin đe dọa em "
      "qua mạng xã hội. Em sợ đến trường và đã nghỉ học hai buổi." + marker + " ";
  while (narrative.size() < 900) {
    narrative += "Giáo viên chủ nhiệm đã được báo nhưng sự việc vẫn tiếp diễn. ";
  }
  r.set_narrative(narrative);
  return r;
}

std::vector<std::string> SensitiveStrings(const std::string& marker) {
  return {"Nguyễn Thị Hồng Nhung" + marker, "Phạm Quốc Tuấn" + marker,
          "Hành lang tầng ba", "nhắn tin đe dọa", "Giáo viên chủ nhiệm",
          "L\xe1\xbb\x9bp 8A3"};
}

}  // namespace casevault::testing
