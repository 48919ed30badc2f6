#include "child_process.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "casevault/v1/auth.grpc.pb.h"
#include "gtest/gtest.h"
#include "support/temp_dir.h"

extern char** environ;

namespace casevault::testing {

std::string BinaryPath(const std::string& name) {
  const char* bin = std::getenv("CASEVAULT_BIN_DIR");
  return std::string(bin ? bin : ".") + "/" + name;
}

ChildProcess SpawnProcess(const std::vector<std::string>& args,
                          const std::string& log) {
  return ChildProcess::Start(args, "/dev/null", log);
}

ChildServer::ChildServer(std::string data_dir, std::string log,
                         std::vector<std::string> flags)
    : data_dir_(std::move(data_dir)), log_(std::move(log)),
      port_file_(data_dir_ + ".port"), flags_(std::move(flags)) {}

ChildServer::~ChildServer() { Kill(); }

bool ChildServer::Start(int seconds) {
  Kill();
  std::remove(port_file_.c_str());
  port_ = 0;
  std::vector<std::string> args = {BinaryPath("casevaultd"), "serve",
                                   "--data", data_dir_, "--listen",
                                   "127.0.0.1:0", "--port-file", port_file_};
  args.insert(args.end(), flags_.begin(), flags_.end());
  process_ = SpawnProcess(args, log_);
  if (!process_.started()) return false;
  for (int i = 0; i < seconds * 100; ++i) {
    // Complete only with its line feed: a writer may not have finished.
    const std::string text = ReadFileBytes(port_file_);
    if (!text.empty() && text.back() == '\n') {
      port_ = std::atoi(text.c_str());
      if (port_ > 0) return true;
    }
    if (!process_.Running()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

void ChildServer::Kill() { process_.Kill(); }

int ChildServer::Stop(int seconds) {
  return process_.started() ? process_.Stop(seconds) : -1;
}

std::shared_ptr<grpc::Channel> ChildServer::NewChannel() const {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileBytes(ca_cert());
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(address(), grpc::SslCredentials(ssl), args);
}

ProcessResult RunCasevault(const ClientCall& call, const std::string& args,
                           const std::string& stdin_text) {
  testbed::Launch launch;
  launch.argv = {BinaryPath("casevault")};
  std::istringstream words(args);
  for (std::string word; words >> word;) {
    // Split on spaces only: quoting would need a shell.
    EXPECT_EQ(word.find_first_of("'\"\\"), std::string::npos) << args;
    launch.argv.push_back(word);
  }
  launch.in_file = call.scratch + ".in";
  launch.out_file = call.scratch + ".out";
  launch.err_file = call.scratch + ".err";
  std::ofstream(launch.in_file, std::ios::trunc) << stdin_text;
  std::remove(launch.out_file.c_str());
  std::remove(launch.err_file.c_str());
  // A clean environment: only the client's settings, PATH and the
  // sanitizers' options. The password travels in the environment, never
  // on a command line that `ps` shows.
  launch.inherit_environment = false;
  launch.env = {"PATH=/usr/bin:/bin", "HOME=" + call.home,
                "CASEVAULT_SESSION_FILE=" + call.session,
                "CASEVAULT_CA=" + call.ca, "CASEVAULT_SERVER=" + call.server};
  for (const char* name : {"ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) {
      launch.env.push_back(std::string(name) + "=" + value);
    }
  }
  if (!call.password.empty()) {
    launch.env.push_back("CASEVAULT_PASSWORD=" + call.password);
  }
  ChildProcess client = ChildProcess::Start(launch);
  ProcessResult r;
  r.code = client.Wait(300);
  if (r.code == -1) {
    client.Kill();
    ADD_FAILURE() << "casevault " << args << " did not finish in 300 s";
  }
  r.out = ReadFileBytes(launch.out_file);
  r.err = ReadFileBytes(launch.err_file);
  return r;
}

ProcessResult RunClient(const ChildServer& server, const std::string& scratch,
                        const std::string& session, const std::string& args,
                        const std::string& password) {
  return RunCasevault(ClientCall{scratch + ".home", session, server.ca_cert(),
                                 server.address(), password, scratch},
                      args);
}

std::map<std::string, std::string> ReadDemoPasswords(const std::string& data_dir) {
  std::map<std::string, std::string> out;
  const auto json = nlohmann::json::parse(ReadFileBytes(data_dir + "/demo-accounts.json"),
                                          nullptr, false);
  if (!json.is_object()) return out;
  for (const auto& a : json.at("accounts")) {
    out[a.at("username").get<std::string>()] = a.at("password").get<std::string>();
  }
  return out;
}

std::string SignIn(const std::shared_ptr<grpc::Channel>& channel,
                   const std::string& username, const std::string& password) {
  auto stub = v1::AuthService::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::LoginRequest req;
  req.set_username(username);
  req.set_password(password);
  v1::LoginResponse resp;
  const grpc::Status s = stub->Login(&ctx, req, &resp);
  EXPECT_TRUE(s.ok()) << username << ": " << s.error_message();
  return resp.session_token();
}

}  // namespace casevault::testing
