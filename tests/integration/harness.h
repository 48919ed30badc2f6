// A real casevault deployment for integration tests: `casevaultd init --dev`
// in a temporary directory, the real server on 127.0.0.1 port 0 with TLS and
// its SQLCipher file, and real client stubs over a TLS channel.
#ifndef CASEVAULT_TESTS_INTEGRATION_HARNESS_H_
#define CASEVAULT_TESTS_INTEGRATION_HARNESS_H_

#include <map>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "child_process.h"

#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "common/clock.h"
#include "crypto/sodium_random.h"
#include "crypto/thread_random.h"
#include "server/deployment.h"
#include "server/server.h"
#include "support/temp_dir.h"

namespace casevault::testing {

struct DemoAccount {
  std::string username, password, role, unit_id;
};

class Deployment {
 public:
  // Initialises a --dev deployment (with cheap password hashing).
  Deployment();
  ~Deployment();

  // Starts (or restarts) the in-process server. `clock` defaults to the
  // system clock.
  void Start(const Clock* clock = nullptr, server::ServerOptions options = {});
  void Stop();

  const server::DeploymentPaths& paths() const { return paths_; }
  const std::string& dir() const { return dir_.path(); }
  int port() const { return server_->port(); }
  server::CasevaultServer& server() { return *server_; }
  const DemoAccount& account(const std::string& username) const {
    return accounts_.at(username);
  }

  std::shared_ptr<grpc::Channel> Channel() const;
  // Signs in and returns the session token (fails the test on error).
  std::string Login(const std::string& username) const;
  int64_t CaseCount();

  // Creates an account through the admin's AccountService.CreateAccount (a
  // real RPC over TLS; the server must be running) and remembers its
  // password, so that Login(username) and account(username) work for it.
  const DemoAccount& CreateAccount(const std::string& username, v1::Role role,
                                   const std::string& unit_id = "demo-school");

 private:
  TempDir dir_;
  server::DeploymentPaths paths_;
  std::map<std::string, DemoAccount> accounts_;
  crypto::ThreadRandom random_;
  SystemClock system_clock_;
  std::unique_ptr<server::CasevaultServer> server_;
};

// What a run of the `casevault` binary printed and returned.
using CliResult = ProcessResult;

// Runs the real `casevault ARGS` against `d` with a clean environment:
// session file `session`, the deployment's CA and server, and
// CASEVAULT_PASSWORD when `password` is not empty.
CliResult RunCli(const Deployment& d, const std::string& session,
                 const std::string& args, const std::string& password = "",
                 const std::string& stdin_text = "");

// A client context carrying `authorization: Bearer <token>` and a deadline.
std::unique_ptr<grpc::ClientContext> Authed(const std::string& token);

// A realistic case of about 1 KiB with distinctive Vietnamese strings.
v1::FileCaseRequest SampleCase(const std::string& marker = "");

// The distinctive strings SampleCase(marker) puts in sealed fields.
std::vector<std::string> SensitiveStrings(const std::string& marker = "");

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_HARNESS_H_
