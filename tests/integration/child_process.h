// casevault as processes, for the crash tests and daemon_test.cc:
// `casevaultd init` and `casevaultd serve` run as child processes (the real
// binaries from $CASEVAULT_BIN_DIR) that can be killed with SIGKILL at any
// moment, TLS channels to them, and the real `casevault` client pointed at
// them.
#ifndef CASEVAULT_TESTS_INTEGRATION_CHILD_PROCESS_H_
#define CASEVAULT_TESTS_INTEGRATION_CHILD_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "testbed/child_process.h"

namespace casevault::testing {

// $CASEVAULT_BIN_DIR/<name> (or ./<name>).
std::string BinaryPath(const std::string& name);

using testbed::ChildProcess;

// Starts `args` (args[0] is the executable) with stdout to /dev/null and
// stderr to `log` (appended).
ChildProcess SpawnProcess(const std::vector<std::string>& args,
                          const std::string& log);

// `casevaultd serve --data DIR --listen 127.0.0.1:0 --port-file F` as a
// child process. The destructor kills it if it still runs.
class ChildServer {
 public:
  // `flags` are added to `casevaultd serve`'s own.
  ChildServer(std::string data_dir, std::string log,
              std::vector<std::string> flags = {});
  ~ChildServer();

  // Spawns the server and polls the port file until it exists and parses
  // (it may be written in place or renamed into place). False when the
  // server exits or no port appears within `seconds`.
  bool Start(int seconds = 30);
  // SIGKILL, as a crash would.
  void Kill();
  // SIGTERM and wait: the exit code (-1 on timeout, then killed).
  int Stop(int seconds = 20);

  bool running() const { return process_.started(); }
  // Peak resident set so far (VmHWM), KiB; -1 if unknown.
  int64_t PeakRssKib() const { return process_.PeakRssKib(); }
  int port() const { return port_; }
  std::string address() const { return "localhost:" + std::to_string(port_); }
  const std::string& data_dir() const { return data_dir_; }
  std::string ca_cert() const { return data_dir_ + "/tls/ca.pem"; }
  // A new TLS channel (not shared with other channels).
  std::shared_ptr<grpc::Channel> NewChannel() const;

 private:
  std::string data_dir_, log_, port_file_;
  std::vector<std::string> flags_;
  ChildProcess process_;
  int port_ = 0;
};

struct ProcessResult {
  int code = -1;
  std::string out, err;
};

// Where and as whom a run of the real `casevault` client talks.
struct ClientCall {
  std::string home;      // HOME
  std::string session;   // CASEVAULT_SESSION_FILE
  std::string ca;        // CASEVAULT_CA
  std::string server;    // CASEVAULT_SERVER (host:port)
  std::string password;  // CASEVAULT_PASSWORD, when not empty
  std::string scratch;   // path prefix of the .in/.out/.err files
};

// Runs `casevault ARGS` (from CASEVAULT_BIN_DIR) with a clean environment
// holding only `call`'s settings, PATH and the sanitizers' options, with
// `stdin_text` on its standard input; captures what it printed.
ProcessResult RunCasevault(const ClientCall& call, const std::string& args,
                           const std::string& stdin_text = "");

// RunCasevault against `server`, with session file `session`; `scratch` is
// a path prefix for the captured output.
ProcessResult RunClient(const ChildServer& server, const std::string& scratch,
                        const std::string& session, const std::string& args,
                        const std::string& password = "");

// username -> password from DIR/demo-accounts.json.
std::map<std::string, std::string> ReadDemoPasswords(const std::string& data_dir);

// Signs in over `channel`; "" (and a test failure) on error.
std::string SignIn(const std::shared_ptr<grpc::Channel>& channel,
                   const std::string& username, const std::string& password);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_CHILD_PROCESS_H_
