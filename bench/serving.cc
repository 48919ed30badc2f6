#include "serving.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ops.h"

namespace casevault::bench {
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using testbed::ChildProcess;
using testbed::WaitForPortFile;

std::optional<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

double SecondsSince(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

absl::StatusOr<uint64_t> ParseScale(const std::string& scale) {
  if (scale == "fresh") return 0;
  char* end = nullptr;
  const double n = std::strtod(scale.c_str(), &end);
  if (end == scale.c_str() || n <= 0) return absl::InvalidArgumentError("bad scale " + scale);
  std::string unit(end);
  if (unit.empty()) return static_cast<uint64_t>(n);
  if (unit == "k") return static_cast<uint64_t>(n * 1000);
  if (unit == "m") return static_cast<uint64_t>(n * 1000000);
  return absl::InvalidArgumentError("bad scale " + scale + " (fresh, 10k, 1m, or a number)");
}

int ChannelsFor(const BenchConfig& c, int inflight) {
  return c.channels > 0 ? c.channels : std::min(inflight, 8);
}

LoadOptions LoadFor(const BenchConfig& c, int inflight) {
  LoadOptions load;
  load.inflight = inflight;
  load.channels = ChannelsFor(c, inflight);
  load.warmup_s = c.warmup_s;
  load.duration_s = c.duration_s;
  return load;
}

bool ServedDeployment::SampleStore(StoreSample* out) {
  const size_t before = samples_seen_;
  server.Signal(SIGUSR1);
  const auto deadline = Steady::now() + std::chrono::seconds(3);
  while (Steady::now() < deadline) {
    // casevaultd's "casevaultd: store commits=N writes=M ... pages=P" lines.
    std::ifstream in(log, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(log_offset_));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // a partial last line: read it again later
      log_offset_ += line.size() + 1;
      unsigned long long c = 0, w = 0;
      if (std::sscanf(line.c_str(), "casevaultd: store commits=%llu writes=%llu", &c,
                      &w) == 2) {
        last_sample_.commits = c;
        last_sample_.writes = w;
        const size_t at = line.find(" pages=");
        last_sample_.pages =
            at == std::string::npos ? 0 : std::strtoull(line.c_str() + at + 7, nullptr, 10);
        ++samples_seen_;
      }
    }
    if (samples_seen_ > before) {
      *out = last_sample_;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

absl::Status ChildDied(const std::string& what, ChildProcess& child,
                       const std::string& log) {
  return absl::InternalError(what + " is not running (exit " +
                             std::to_string(child.Wait()) + "); see " + log);
}

absl::Status ServedDeployment::Died(const std::string& what) {
  return ChildDied(what, server, log);
}

absl::StatusOr<std::unique_ptr<ServedDeployment>> Serve(const BenchConfig& c,
                                                        const std::string& scale) {
  auto count = ParseScale(scale);
  if (!count.ok()) return count.status();
  auto s = std::make_unique<ServedDeployment>();
  s->scale = scale;
  auto deployment = PrepareDeployment(c.bin_dir, c.cache_dir,
                                      c.work_dir + "/data-" + scale, *count,
                                      c.seed_threads);
  if (!deployment.ok()) return deployment.status();
  s->deployment = *std::move(deployment);
  const std::string data = s->deployment.data_dir;
  auto password = DemoPassword(data, "counselor");
  if (!password.ok()) return password.status();
  s->ca_pem = ReadWholeFile(data + "/tls/ca.pem").value_or("");

  // casevaultd: fork/exec until the first sign-in is answered.
  s->log = c.work_dir + "/casevaultd-" + scale + ".log";
  const std::string port_file = c.work_dir + "/casevaultd-" + scale + ".port";
  fs::remove(port_file);
  const Steady::time_point started = Steady::now();
  s->server = ChildProcess::Start({c.bin_dir + "/casevaultd", "serve", "--data", data,
                                   "--listen", "127.0.0.1:0", "--port-file", port_file},
                                  s->log, s->log);
  s->port = WaitForPortFile(port_file, s->server, 600);
  if (s->port == 0) return s->Died("casevaultd");
  s->port_s = SecondsSince(started);
  auto admin = ConnectChannels(s->address(), s->ca_pem, 1, 60);
  if (admin.empty()) return s->Died("casevaultd (no connection)");
  auto token = SignIn(admin[0], "counselor", *password);
  if (!token.ok()) return token.status();
  s->startup_s = SecondsSince(started);
  const Steady::time_point t = Steady::now();
  if (auto again = SignIn(admin[0], "counselor", *password); !again.ok()) {
    return again.status();
  }
  s->signin_ms = SecondsSince(t) * 1000;
  token = SignIn(admin[0], "counselor", *password);  // the load's session
  if (!token.ok()) return token.status();
  s->token = *token;

  s->get_ids = std::make_shared<std::vector<std::string>>();
  s->note_ids = std::make_shared<std::vector<std::string>>();
  std::vector<std::string> ids = s->deployment.sample_ids;
  if (*count == 0) {
    auto filed = FileCases(admin, s->token, 512, 900000000);
    if (!filed.ok()) return filed.status();
    ids = *std::move(filed);
  }
  for (size_t i = 0; i < ids.size(); ++i) (i % 2 ? s->note_ids : s->get_ids)->push_back(ids[i]);
  return s;
}

absl::Status Stop(ServedDeployment& s) {
  if (const int code = s.server.Stop(30); code != 0) {
    return absl::InternalError(
        (code == -1 ? std::string("casevaultd did not stop within 30 s")
                    : "casevaultd exited with " + std::to_string(code)) +
        "; see " + s.log);
  }
  fs::remove_all(s.deployment.data_dir);  // this run's copy
  return absl::OkStatus();
}

IssueFn OpOn(const std::string& op, const ServedDeployment& served,
             const std::vector<std::shared_ptr<grpc::Channel>>& channels,
             uint64_t* file_index) {
  if (op == "file") {
    IssueFn issue = FileCaseOp(channels, served.token, *file_index);
    *file_index += 10000000;
    return issue;
  }
  if (op == "get") return GetCaseOp(channels, served.token, served.get_ids);
  return AddNoteOp(channels, served.token, served.note_ids);
}

}  // namespace casevault::bench
