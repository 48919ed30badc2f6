#include "bench_run.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testbed/child_process.h"
#include "ops.h"
#include "seed.h"

namespace casevault::bench {
namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using testbed::ChildProcess;
using testbed::RunCommand;
using testbed::WaitForPortFile;

namespace {

double Since(Steady::time_point t) {
  return std::chrono::duration<double>(Steady::now() - t).count();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// casevaultd's store counters, from its SIGUSR1 line.
struct StoreSample {
  uint64_t commits = 0, writes = 0, pages = 0;
};

// Reads casevaultd's "casevaultd: store commits=N writes=M ... pages=P"
// lines (SIGUSR1) from its stderr file.
class StoreStatsReader {
 public:
  StoreStatsReader(ChildProcess& child, std::string log) : child_(child), log_(std::move(log)) {}
  // Sends SIGUSR1 and waits up to 3 s for the answer; false if none came.
  bool Sample(StoreSample* out) {
    const size_t before = seen_;
    child_.Signal(SIGUSR1);
    const auto deadline = Steady::now() + std::chrono::seconds(3);
    while (Steady::now() < deadline) {
      Scan();
      if (seen_ > before) {
        *out = last_;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }

 private:
  void Scan() {
    std::ifstream in(log_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    std::string line;
    while (std::getline(in, line)) {
      if (in.eof()) break;  // a partial last line: read it again later
      offset_ += line.size() + 1;
      unsigned long long c = 0, w = 0;
      if (std::sscanf(line.c_str(), "casevaultd: store commits=%llu writes=%llu", &c, &w) == 2) {
        last_.commits = c;
        last_.writes = w;
        const size_t at = line.find(" pages=");
        last_.pages = at == std::string::npos ? 0 : std::strtoull(line.c_str() + at + 7, nullptr, 10);
        ++seen_;
      }
    }
  }
  ChildProcess& child_;
  std::string log_;
  size_t offset_ = 0, seen_ = 0;
  StoreSample last_;
};

absl::Status Died(const char* what, ChildProcess& child, const std::string& log) {
  return absl::InternalError(std::string(what) + " is not running (exit " +
                             std::to_string(child.Wait()) + "); see " + log);
}

// Audit export with the real client, then verify and sha256sum timed.
absl::Status ExportAndVerify(const BenchConfig& c, const std::string& data, int port,
                             const std::string& tag, ScaleReport& r) {
  auto password = DemoPassword(data, "auditor");
  if (!password.ok()) return password.status();
  const std::string log = c.work_dir + "/client-" + tag + ".log";
  const std::string file = c.work_dir + "/audit-" + tag + ".export";
  const std::vector<std::string> env = {
      "CASEVAULT_SESSION_FILE=" + c.work_dir + "/session-" + tag + ".json",
      "CASEVAULT_PASSWORD=" + *password, "CASEVAULT_CA=" + data + "/tls/ca.pem"};
  const std::string client = c.bin_dir + "/casevault";
  const std::string server = "127.0.0.1:" + std::to_string(port);
  if (RunCommand({client, "login", "--user", "auditor", "--server", server}, log, env) != 0) {
    return absl::InternalError("casevault login (auditor) failed; see " + log);
  }
  fs::remove(file);
  Steady::time_point t = Steady::now();
  if (RunCommand({client, "audit", "export", "--out", file}, log, env) != 0) {
    return absl::InternalError("casevault audit export failed; see " + log);
  }
  r.export_s = Since(t);
  r.export_bytes = fs::file_size(file);
  const std::string text = ReadAll(log);
  const size_t at = text.rfind("exported ");
  if (at != std::string::npos) r.export_entries = std::strtoull(text.c_str() + at + 9, nullptr, 10);
  // One untimed read so both timings start from a warm page cache.
  RunCommand({"/usr/bin/sha256sum", file}, "/dev/null");
  t = Steady::now();
  if (RunCommand({client, "audit", "verify", file, "--key", data + "/audit-verifier.key"}, log,
                 env) != 0) {
    return absl::InternalError("casevault audit verify failed; see " + log);
  }
  r.verify_s = Since(t);
  t = Steady::now();
  if (RunCommand({"/usr/bin/sha256sum", file}, "/dev/null") != 0) {
    return absl::InternalError("sha256sum failed");
  }
  r.sha256_s = Since(t);
  fs::remove(file);
  return absl::OkStatus();
}

}  // namespace

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

absl::StatusOr<ScaleReport> RunScale(const BenchConfig& c, const std::string& scale) {
  auto count = ParseScale(scale);
  if (!count.ok()) return count.status();
  ScaleReport r;
  r.scale = scale;
  r.cases = *count;
  auto deployment = PrepareDeployment(c.bin_dir, c.cache_dir, c.work_dir + "/fresh-data",
                                      *count, c.seed_threads);
  if (!deployment.ok()) return deployment.status();
  r.seed_seconds = deployment->seed_seconds;
  r.seed_from_cache = deployment->from_cache;
  const std::string data = deployment->data_dir;
  auto counselor_password = DemoPassword(data, "counselor");
  if (!counselor_password.ok()) return counselor_password.status();
  const std::string ca = ReadAll(data + "/tls/ca.pem");

  // casevaultd: fork/exec until the first sign-in is answered.
  const std::string log = c.work_dir + "/casevaultd-" + scale + ".log";
  const std::string port_file = c.work_dir + "/casevaultd-" + scale + ".port";
  fs::remove(port_file);
  const Steady::time_point started = Steady::now();
  ChildProcess server = ChildProcess::Start(
      {c.bin_dir + "/casevaultd", "serve", "--data", data, "--listen", "127.0.0.1:0",
       "--port-file", port_file}, log, log);
  const int port = WaitForPortFile(port_file, server, 600);
  if (port == 0) return Died("casevaultd", server, log);
  r.port_s = Since(started);
  auto admin_channels = ConnectChannels("127.0.0.1:" + std::to_string(port), ca, 1, 60);
  if (admin_channels.empty()) return Died("casevaultd (no connection)", server, log);
  auto token = SignIn(admin_channels[0], "counselor", *counselor_password);
  if (!token.ok()) return token.status();
  r.startup_s = Since(started);
  Steady::time_point t = Steady::now();
  if (auto again = SignIn(admin_channels[0], "counselor", *counselor_password); !again.ok()) {
    return again.status();
  }
  r.signin_ms = Since(t) * 1000;
  token = SignIn(admin_channels[0], "counselor", *counselor_password);  // the load's session
  if (!token.ok()) return token.status();

  const std::string echo_log = c.work_dir + "/echo-" + scale + ".log";
  const std::string echo_port_file = c.work_dir + "/echo-" + scale + ".port";
  fs::remove(echo_port_file);
  ChildProcess echo = ChildProcess::Start({c.self_exe, "echo-server", "--data", data,
                                           "--port-file", echo_port_file}, echo_log, echo_log);
  const int echo_port = WaitForPortFile(echo_port_file, echo, 30);
  if (echo_port == 0) return Died("the echo server", echo, echo_log);

  // Cases for GetCase and AddNote: separate sets, so notes never pile up on
  // the cases GetCase reads.
  auto get_ids = std::make_shared<std::vector<std::string>>();
  auto note_ids = std::make_shared<std::vector<std::string>>();
  if (r.cases == 0) {
    auto ids = FileCases(admin_channels, *token, 512, 900000000);
    if (!ids.ok()) return ids.status();
    for (size_t i = 0; i < ids->size(); ++i) (i % 2 ? note_ids : get_ids)->push_back((*ids)[i]);
  } else {
    const auto& sample = deployment->sample_ids;
    for (size_t i = 0; i < sample.size(); ++i) (i % 2 ? note_ids : get_ids)->push_back(sample[i]);
  }

  StoreStatsReader stats(server, log);
  uint64_t file_index = 1000000000ull;  // FileCase content indexes, distinct per run
  for (int inflight : c.inflight) {
    const int m = c.channels > 0 ? c.channels : std::min(inflight, 8);
    auto cv = ConnectChannels("127.0.0.1:" + std::to_string(port), ca, m);
    auto ev = ConnectChannels("127.0.0.1:" + std::to_string(echo_port), ca, m);
    if (cv.empty()) return Died("casevaultd (no connection)", server, log);
    if (ev.empty()) return Died("the echo server (no connection)", echo, echo_log);
    const IssueFn echo_op = EchoOp(ev);
    LoadOptions load;
    load.inflight = inflight;
    load.channels = m;
    load.warmup_s = c.warmup_s;
    load.duration_s = c.duration_s;
    for (const std::string& op : c.ops) {
      OpRow row;
      row.op = op;
      row.inflight = inflight;
      row.channels = m;
      std::fprintf(stderr, "  [%s] %s at %d in flight over %d channels...\n", scale.c_str(),
                   OpTitle(op), inflight, m);
      // Server CPU per call: utime + stime over the measured window.
      auto cpu_per_call = [](double before, double after, const WindowResult& w) {
        return before >= 0 && after >= before && w.completed > 0
                   ? (after - before) * 1e6 / double(w.completed)
                   : -1.0;
      };
      double e0 = -1, e1 = -1;
      LoadOptions echo_load = load;
      echo_load.on_window_start = [&] { e0 = echo.CpuSeconds(); };
      echo_load.on_window_end = [&] { e1 = echo.CpuSeconds(); };
      row.echo = RunLoad(echo_load, echo_op);
      row.echo_cpu_us_per_call = cpu_per_call(e0, e1, row.echo);
      if (op == "echo") {
        row.result = row.echo;
        row.cpu_us_per_call = row.echo_cpu_us_per_call;
      } else {
        IssueFn issue = op == "file"  ? FileCaseOp(cv, *token, file_index)
                        : op == "get" ? GetCaseOp(cv, *token, get_ids)
                                      : AddNoteOp(cv, *token, note_ids);
        file_index += 10000000;
        StoreSample st0, st1;
        bool have0 = false, have1 = false;
        LoadOptions with_stats = load;
        double s0 = -1, s1 = -1;
        with_stats.on_window_start = [&] {
          s0 = server.CpuSeconds();
          have0 = stats.Sample(&st0);
        };
        with_stats.on_window_end = [&] {
          s1 = server.CpuSeconds();
          have1 = stats.Sample(&st1);
        };
        row.result = RunLoad(with_stats, issue);
        row.cpu_us_per_call = cpu_per_call(s0, s1, row.result);
        if (have0 && have1 && st1.commits >= st0.commits) {
          const uint64_t commits = st1.commits - st0.commits;
          const uint64_t writes = st1.writes - st0.writes;
          row.commits_per_s = commits / c.duration_s;
          row.writes_per_commit = commits > 0 ? double(writes) / double(commits) : 0;
          row.pages_per_write =
              writes > 0 ? double(st1.pages - st0.pages) / double(writes) : 0;
        }
      }
      r.rpc_errors += row.result.errors + (op == "echo" ? 0 : row.echo.errors);
      r.rows.push_back(std::move(row));
      if (!server.Running()) return Died("casevaultd", server, log);
      if (!echo.Running()) return Died("the echo server", echo, echo_log);
    }
  }
  r.peak_rss_kib = server.PeakRssKib();
  if (c.verify) {
    std::fprintf(stderr, "  [%s] audit export, verify, sha256sum...\n", scale.c_str());
    if (absl::Status s = ExportAndVerify(c, data, port, scale, r); !s.ok()) return s;
  }
  echo.Stop();
  if (const int code = server.Stop(30); code != 0) {
    return absl::InternalError(
        (code == -1 ? std::string("casevaultd did not stop within 30 s")
                    : "casevaultd exited with " + std::to_string(code)) +
        "; see " + log);
  }
  if (r.cases == 0) fs::remove_all(data);
  return r;
}

}  // namespace casevault::bench
