#include "server/server.h"

#include <fstream>
#include <sstream>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "common/log.h"

namespace casevault::server {
namespace {

absl::StatusOr<std::string> ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string HostOf(const std::string& host_port) {
  if (!host_port.empty() && host_port.front() == '[') {
    const size_t close = host_port.find(']');
    return close == std::string::npos ? host_port : host_port.substr(1, close - 1);
  }
  const size_t colon = host_port.rfind(':');
  return colon == std::string::npos ? host_port : host_port.substr(0, colon);
}

}  // namespace

bool IsLoopbackAddress(const std::string& host_port) {
  const std::string host = HostOf(host_port);
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void ApplyServingSettings(grpc::ServerBuilder& builder, int max_message_bytes) {
  builder.SetMaxReceiveMessageSize(max_message_bytes);
  builder.SetMaxSendMessageSize(4 * max_message_bytes);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              kIdleHandlerThreads);
}

absl::StatusOr<std::unique_ptr<CasevaultServer>> CasevaultServer::Start(
    std::unique_ptr<Deployment> deployment, const DeploymentPaths& paths,
    const ServerOptions& options, const Clock& clock, RandomSource& random) {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (options.insecure_loopback) {
    if (!IsLoopbackAddress(options.listen)) {
      return absl::InvalidArgumentError(
          "plaintext is allowed only on a loopback address (127.0.0.1, ::1 or "
          "localhost); remove --insecure-loopback to serve TLS");
    }
    LogWarning("serving WITHOUT TLS on a loopback address (--insecure-loopback)");
    credentials = grpc::InsecureServerCredentials();
  } else {
    auto cert = ReadTextFile(options.tls_cert.empty() ? paths.server_cert()
                                                      : options.tls_cert);
    if (!cert.ok()) return cert.status();
    auto key = ReadTextFile(options.tls_key.empty() ? paths.server_key()
                                                    : options.tls_key);
    if (!key.ok()) return key.status();
    grpc::SslServerCredentialsOptions ssl;
    ssl.pem_key_cert_pairs.push_back({*key, *cert});
    credentials = grpc::SslServerCredentials(ssl);
  }

  std::unique_ptr<CasevaultServer> s(new CasevaultServer());
  s->deployment_ = std::move(deployment);
  storage::Store& store = s->deployment_->store();
  auto trail =
      domain::AuditTrail::New(s->deployment_->keyring(), clock, options.audit);
  if (!trail.ok()) return trail.status();
  s->trail_ = *std::move(trail);
  if (absl::Status intact = s->trail_->CheckIntegrity(store); !intact.ok()) {
    return intact;  // refuse to serve on a broken log
  }
  s->hasher_ = std::make_unique<crypto::PasswordHasher>(
      options.password_limits, options.password_concurrency);
  // One cache for the one process serving this database: the registry
  // erases what the authenticator caches.
  s->sessions_ = std::make_unique<domain::SessionCache>(
      options.session_cache_entries, options.sign_in.idle_timeout);
  s->auth_ = std::make_unique<domain::Authenticator>(
      store, *s->trail_, *s->hasher_, clock, random, options.sign_in,
      s->sessions_.get());
  s->accounts_ = std::make_unique<domain::AccountRegistry>(
      store, *s->trail_, *s->hasher_, clock, s->sessions_.get());
  s->desk_ = std::make_unique<domain::CaseDesk>(
      store, *s->trail_, s->deployment_->case_keys(), clock, random);
  s->workflow_ = std::make_unique<domain::CaseWorkflow>(
      store, *s->trail_, s->deployment_->case_keys(), clock, random);
  s->coordination_ = std::make_unique<domain::CoordinationDesk>(
      store, *s->trail_, s->deployment_->case_keys(), clock, random);
  s->audit_desk_ = std::make_unique<domain::AuditDesk>(store, *s->trail_);
  s->auth_service_ = std::make_unique<AuthServiceImpl>(*s->auth_, random);
  s->account_service_ =
      std::make_unique<AccountServiceImpl>(*s->auth_, *s->accounts_, random);
  s->case_service_ = std::make_unique<CaseServiceImpl>(
      *s->auth_, *s->desk_, *s->workflow_, random);
  s->step_service_ =
      std::make_unique<StepServiceImpl>(*s->auth_, *s->coordination_, random);
  s->consent_service_ =
      std::make_unique<ConsentServiceImpl>(*s->auth_, *s->coordination_, random);
  s->audit_service_ =
      std::make_unique<AuditServiceImpl>(*s->auth_, *s->audit_desk_, random);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, credentials, &s->port_);
  ApplyServingSettings(builder, options.max_message_bytes);
  builder.RegisterService(s->auth_service_.get());
  builder.RegisterService(s->account_service_.get());
  builder.RegisterService(s->case_service_.get());
  builder.RegisterService(s->step_service_.get());
  builder.RegisterService(s->consent_service_.get());
  builder.RegisterService(s->audit_service_.get());
  s->server_ = builder.BuildAndStart();
  if (s->server_ == nullptr || s->port_ == 0) {
    return absl::UnavailableError("cannot listen on " + options.listen);
  }
  s->checkpoint_timer_ = std::make_unique<domain::CheckpointTimer>(
      store, *s->trail_, domain::TimerThread::kStart);
  s->server_->GetHealthCheckService()->SetServingStatus(true);
  return s;
}

void CasevaultServer::Shutdown(std::chrono::milliseconds drain) {
  if (shut_down_) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + drain);
  if (checkpoint_timer_ != nullptr) checkpoint_timer_->Stop();
}

void CasevaultServer::Wait() { server_->Wait(); }

CasevaultServer::~CasevaultServer() {
  if (server_ != nullptr) {
    Shutdown(std::chrono::milliseconds(0));
    server_->Wait();
  }
}

}  // namespace casevault::server
