// casevaultd as a process: it serves, logs without case content, and shuts
// down cleanly on SIGTERM.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "gtest/gtest.h"
#include "child_process.h"
#include "harness.h"


namespace casevault::testing {
namespace {

class Daemon {
 public:
  Daemon(const std::string& data_dir, const std::string& log_path,
         const std::string& port_file, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {BinaryPath("casevaultd"), "serve", "--data", data_dir,
                                     "--listen", "127.0.0.1:0", "--port-file", port_file};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = SpawnProcess(args, log_path);
    EXPECT_TRUE(process_.started());
  }
  ~Daemon() { process_.Kill(); }
  pid_t pid() const { return process_.pid(); }
  // Sends `sig` (0: none, it is expected to exit by itself) and waits up to
  // `seconds` for the exit code (-1 on timeout).
  int Stop(int sig, int seconds) {
    if (sig != 0) process_.Signal(sig);
    return process_.Wait(seconds);
  }

 private:
  ChildProcess process_;
};

TEST(DaemonTest, ServesLogsNoContentAndDrainsOnSigterm) {
  Deployment d;  // init only; the daemon serves it
  const std::string log = d.dir() + "/server.log";
  const std::string port_file = d.dir() + "/port";
  Daemon daemon(d.paths().data_dir, log, port_file);
  std::string port;
  for (int i = 0; i < 100 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    port = ReadFileBytes(port_file);
  }
  ASSERT_FALSE(port.empty()) << ReadFileBytes(log);
  port.erase(port.find_last_not_of("\n") + 1);

  // Case data lives in this process's memory: no core file may hold it.
  const std::string limits = ReadFileBytes("/proc/" + std::to_string(daemon.pid()) + "/limits");
  const size_t core = limits.find("Max core file size");
  ASSERT_NE(core, std::string::npos);
  EXPECT_EQ(limits.substr(core, limits.find('\n', core) - core).find_first_of("123456789"),
            std::string::npos)
      << limits.substr(core, 80);

  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileBytes(d.paths().ca_cert());
  auto channel = grpc::CreateChannel("localhost:" + port, grpc::SslCredentials(ssl));
  auto auth = v1::AuthService::NewStub(channel);
  auto cases = v1::CaseService::NewStub(channel);
  grpc::ClientContext login_ctx;
  v1::LoginRequest login;
  login.set_username("counselor");
  login.set_password(d.account("counselor").password);
  v1::LoginResponse session;
  ASSERT_TRUE(auth->Login(&login_ctx, login, &session).ok());
  v1::Case filed;
  ASSERT_TRUE(cases->FileCase(Authed(session.session_token()).get(), SampleCase("LOGCHK"),
                              &filed).ok());
  v1::FileCaseRequest bad = SampleCase("LOGCHK");
  bad.mutable_victim()->set_birth_year(1);
  EXPECT_FALSE(cases->FileCase(Authed(session.session_token()).get(), bad, &filed).ok());

  EXPECT_EQ(daemon.Stop(SIGTERM, 15), 0);
  const std::string text = ReadFileBytes(log);
  EXPECT_NE(text.find("CaseService.FileCase code=0"), std::string::npos) << text;
  EXPECT_NE(text.find("CaseService.FileCase code=3"), std::string::npos) << text;
  for (const auto& s : SensitiveStrings("LOGCHK")) {
    EXPECT_EQ(text.find(s), std::string::npos) << "case content reached the log";
  }
  EXPECT_EQ(text.find(d.account("counselor").password), std::string::npos);
  EXPECT_EQ(text.find(session.session_token()), std::string::npos);
}

// Polls for the port the daemon writes ("" if it never does).
std::string WaitForPort(const std::string& port_file) {
  std::string port;
  for (int i = 0; i < 100 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    port = ReadFileBytes(port_file);
  }
  if (!port.empty()) port.erase(port.find_last_not_of("\n") + 1);
  return port;
}

// The size of the latest checkpoint of the (stopped) deployment.
uint64_t LatestCheckpointSize(const Deployment& d) {
  crypto::SodiumRandom random;
  auto opened = server::Deployment::Open(d.paths(), random);
  EXPECT_TRUE(opened.ok()) << opened.status();
  if (!opened.ok()) return 0;
  uint64_t size = 0;
  EXPECT_TRUE((*opened)->store().Read([&](storage::Transaction& tx) -> absl::Status {
    auto latest = tx.audit().LatestCheckpoint();
    if (latest.ok()) size = latest->size;
    return latest.status();
  }).ok());
  return size;
}

// Serves `d` with `flags`, signs in `logins` times, waits `wait`, stops.
void Serve(const Deployment& d, const std::vector<std::string>& flags, int logins,
           std::chrono::milliseconds wait) {
  const std::string log = d.dir() + "/server.log";
  const std::string port_file = d.dir() + "/port";
  std::remove(port_file.c_str());
  Daemon daemon(d.paths().data_dir, log, port_file, flags);
  const std::string port = WaitForPort(port_file);
  ASSERT_FALSE(port.empty()) << ReadFileBytes(log);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileBytes(d.paths().ca_cert());
  auto channel = grpc::CreateChannel("localhost:" + port, grpc::SslCredentials(ssl));
  auto auth = v1::AuthService::NewStub(channel);
  for (int i = 0; i < logins; ++i) {  // one audit entry each
    grpc::ClientContext ctx;
    v1::LoginRequest login;
    login.set_username("counselor");
    login.set_password(d.account("counselor").password);
    v1::LoginResponse session;
    ASSERT_TRUE(auth->Login(&ctx, login, &session).ok());
  }
  std::this_thread::sleep_for(wait);
  EXPECT_EQ(daemon.Stop(SIGTERM, 15), 0);
}

TEST(DaemonTest, SignsAuditCheckpointsAsTheFlagsSay) {
  Deployment d;
  const uint64_t initial = LatestCheckpointSize(d);  // init signs its accounts
  ASSERT_GT(initial, 0u);
  // By count: every 3 entries; the timer is too slow to interfere.
  Serve(d, {"--checkpoint-every-entries", "3", "--checkpoint-every-seconds", "3600"}, 4,
        std::chrono::milliseconds(0));
  EXPECT_EQ(LatestCheckpointSize(d), initial + 3);
  // By time: the fourth entry is signed once the latest checkpoint is 1 s
  // old (the timer wakes every second).
  Serve(d, {"--checkpoint-every-entries", "1000", "--checkpoint-every-seconds", "1"}, 0,
        std::chrono::milliseconds(3500));
  EXPECT_EQ(LatestCheckpointSize(d), initial + 4);
}

TEST(DaemonTest, RefusesCheckpointFlagsOutOfRange) {
  Deployment d;
  for (const std::vector<std::string>& flags :
       {std::vector<std::string>{"--checkpoint-every-entries", "0"},
        std::vector<std::string>{"--checkpoint-every-seconds", "0"}}) {
    Daemon daemon(d.paths().data_dir, d.dir() + "/server.log", d.dir() + "/port", flags);
    EXPECT_EQ(daemon.Stop(0, 15), 2) << flags[0];
  }
}

}  // namespace
}  // namespace casevault::testing
