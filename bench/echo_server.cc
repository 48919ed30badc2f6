#include "echo_server.h"

#include <signal.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <thread>

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include "echo.grpc.pb.h"
#include "group_commit_wait.h"
#include "serving.h"
#include "server/server.h"

namespace casevault::bench {
namespace {

class EchoService final : public casevault::bench::Echo::Service {
 public:
  explicit EchoService(GroupCommitWait& commit) : commit_(commit) {}

 private:
  grpc::Status Echo(grpc::ServerContext*, const EchoMessage* request,
                    EchoMessage* reply) override {
    reply->set_payload(request->payload());
    return grpc::Status::OK;
  }
  grpc::Status EchoCommitted(grpc::ServerContext*, const EchoMessage* request,
                             EchoMessage* reply) override {
    if (!commit_.Wait()) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "fdatasync failed");
    reply->set_payload(request->payload());
    return grpc::Status::OK;
  }
  GroupCommitWait& commit_;
};

}  // namespace

int RunEchoServer(const std::string& data_dir, const std::string& listen,
                  const std::string& port_file, const std::string& commit_file) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  const std::optional<std::string> cert = ReadWholeFile(data_dir + "/tls/server.pem");
  const std::optional<std::string> key = ReadWholeFile(data_dir + "/tls/server.key");
  if (!cert || !key) {
    std::fprintf(stderr, "echo-server: cannot read %s/tls/server.{pem,key}\n",
                 data_dir.c_str());
    return 4;
  }
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  GroupCommitWait commit(commit_file);
  if (!commit.ok()) {
    std::fprintf(stderr, "echo-server: cannot open %s\n", commit_file.c_str());
    return 4;
  }
  EchoService service(commit);
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::SslServerCredentials(ssl), &port);
  server::ApplyServingSettings(builder, server::ServerOptions().max_message_bytes);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "echo-server: cannot listen on %s\n", listen.c_str());
    return 4;
  }
  const std::string tmp = port_file + ".tmp";
  std::ofstream(tmp) << port << "\n";
  std::rename(tmp.c_str(), port_file.c_str());
  std::thread waiter([&signals, &server] {
    int sig = 0;
    sigwait(&signals, &sig);
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  });
  server->Wait();
  waiter.join();
  return 0;
}

}  // namespace casevault::bench
