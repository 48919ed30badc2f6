// casevault: the client. The only place that builds concrete classes (the
// terminal, the gRPC API) and reads the real environment.
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/cli.h"
#include "client/grpc_server_api.h"
#include "client/secret_input.h"
#include "grpc/support/log.h"

namespace {

void DropGrpcLog(gpr_log_func_args*) {}

std::optional<std::string> RealEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

}  // namespace

int main(int argc, char** argv) {
  // A core dump would hold the token, passwords and case content.
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  umask(077);
  // gRPC's own log lines would break "one line per failure"; they stay
  // available with GRPC_VERBOSITY=DEBUG for whoever debugs the connection.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    setenv("GRPC_VERBOSITY", "NONE", 0);
    gpr_set_log_function(DropGrpcLog);
  }

  std::unique_ptr<casevault::client::Terminal> terminal = casevault::client::NewTtyTerminal();
  casevault::client::ClientEnvironment environment;
  environment.env = RealEnv;
  environment.terminal = terminal.get();
  environment.in = &std::cin;
  environment.out = &std::cout;
  environment.err = &std::cerr;
  environment.err_is_terminal = isatty(STDERR_FILENO) == 1;
  environment.api_factory = casevault::client::NewGrpcServerApi;

  const std::vector<std::string> args(argv + 1, argv + argc);
  const int code = casevault::client::RunClient(args, environment);
  std::cout.flush();
  return code;
}
