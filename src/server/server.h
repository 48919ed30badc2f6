// A running casevault gRPC server: services, health, reflection, TLS.
#ifndef CASEVAULT_SERVER_SERVER_H_
#define CASEVAULT_SERVER_SERVER_H_

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/password_hasher.h"
#include "domain/account_registry.h"
#include "domain/audit_desk.h"
#include "domain/audit_trail.h"
#include "domain/authenticator.h"
#include "domain/case_desk.h"
#include "domain/case_workflow.h"
#include "domain/checkpoint_timer.h"
#include "domain/coordination_desk.h"
#include "domain/session_cache.h"
#include "server/deployment.h"
#include "server/services.h"

namespace casevault::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:7443";  // port 0 picks a free port
  // TLS material; empty paths mean the deployment's tls/ files.
  std::string tls_cert;
  std::string tls_key;
  // Plaintext, allowed only when `listen` is a loopback address.
  bool insecure_loopback = false;
  int max_message_bytes = 1 << 20;
  crypto::PasswordHashLimits password_limits =
      crypto::PasswordHashLimits::Interactive();
  // Password hashes at once, the rest wait their turn (casevaultd serve
  // --parallel-sign-ins; crypto/password_hasher.h).
  crypto::PasswordHashConcurrency password_concurrency =
      crypto::PasswordHashConcurrency::ForThisMachine();
  domain::SignInOptions sign_in;
  // Signed-in sessions kept in memory (domain/session_cache.h).
  size_t session_cache_entries = domain::kDefaultSessionCacheEntries;
  // Checkpoints every N entries and every T (casevaultd serve
  // --checkpoint-every-entries, --checkpoint-every-seconds).
  domain::AuditOptions audit;
};

class CasevaultServer {
 public:
  // Builds and starts the server on an opened deployment. INVALID_ARGUMENT
  // for a plaintext listen address that is not loopback or bad audit
  // options; DATA_LOSS when the audit log fails its integrity check
  // (AuditTrail::CheckIntegrity); UNAVAILABLE when the port cannot be
  // bound. Starts the checkpoint timer.
  static absl::StatusOr<std::unique_ptr<CasevaultServer>> Start(
      std::unique_ptr<Deployment> deployment, const DeploymentPaths& paths,
      const ServerOptions& options, const Clock& clock, RandomSource& random);
  ~CasevaultServer();

  int port() const { return port_; }
  // The deployment's store, for operator tooling and tests.
  storage::Store& store() { return deployment_->store(); }
  // Health NOT_SERVING, then stop accepting and drain calls until `deadline`,
  // then stop the checkpoint timer.
  void Shutdown(std::chrono::milliseconds drain);
  void Wait();

 private:
  CasevaultServer() = default;
  std::unique_ptr<Deployment> deployment_;
  std::unique_ptr<crypto::PasswordHasher> hasher_;
  std::unique_ptr<domain::AuditTrail> trail_;
  // Shared by auth_ and accounts_, so it outlives both.
  std::unique_ptr<domain::SessionCache> sessions_;
  std::unique_ptr<domain::Authenticator> auth_;
  std::unique_ptr<domain::AccountRegistry> accounts_;
  std::unique_ptr<domain::CaseDesk> desk_;
  std::unique_ptr<domain::CaseWorkflow> workflow_;
  std::unique_ptr<domain::CoordinationDesk> coordination_;
  std::unique_ptr<domain::AuditDesk> audit_desk_;
  // Destroyed (stopped) before everything above it.
  std::unique_ptr<domain::CheckpointTimer> checkpoint_timer_;
  std::unique_ptr<AuthServiceImpl> auth_service_;
  std::unique_ptr<AccountServiceImpl> account_service_;
  std::unique_ptr<CaseServiceImpl> case_service_;
  std::unique_ptr<StepServiceImpl> step_service_;
  std::unique_ptr<ConsentServiceImpl> consent_service_;
  std::unique_ptr<AuditServiceImpl> audit_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

// True for 127.0.0.0/8, ::1 and "localhost" (with a :port suffix).
bool IsLoopbackAddress(const std::string& host_port);

// Idle handler threads the sync server keeps (docs/performance.md): every
// call blocks a thread until its batch is durable, and with gRPC's default
// of 2 a thread was started and ended for nearly every call under load.
inline constexpr int kIdleHandlerThreads = 64;

// What casevaultd sets on its ServerBuilder besides ports and services:
// message limits and the handler threads. casevault-bench's echo server
// uses it too, so that both are served alike.
void ApplyServingSettings(grpc::ServerBuilder& builder, int max_message_bytes);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_SERVER_H_
