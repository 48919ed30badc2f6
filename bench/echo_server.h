// `casevault-bench echo-server`: a bare Echo service built exactly as
// casevaultd builds its server (src/server/server.cc): synchronous
// grpc::ServerBuilder, SslServerCredentials from the deployment's
// tls/server.pem and tls/server.key, the same builder settings
// (server::ApplyServingSettings: 1 MiB receive limit, up to 64 idle handler
// threads), health service and reflection. EchoCommitted waits for a
// GroupCommitWait on `commit_file` first.
#ifndef CASEVAULT_BENCH_ECHO_SERVER_H_
#define CASEVAULT_BENCH_ECHO_SERVER_H_

#include <string>

namespace casevault::bench {

// Serves until SIGTERM/SIGINT; writes the bound port to `port_file`
// (atomically). Returns the process exit code.
int RunEchoServer(const std::string& data_dir, const std::string& listen,
                  const std::string& port_file, const std::string& commit_file);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_ECHO_SERVER_H_
