#include "bench_run.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>

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
  r.export_s = SecondsSince(t);
  r.export_bytes = fs::file_size(file);
  const std::string text = ReadWholeFile(log).value_or("");
  const size_t at = text.rfind("exported ");
  if (at != std::string::npos) r.export_entries = std::strtoull(text.c_str() + at + 9, nullptr, 10);
  // One untimed read so both timings start from a warm page cache.
  RunCommand({"/usr/bin/sha256sum", file}, "/dev/null");
  t = Steady::now();
  if (RunCommand({client, "audit", "verify", file, "--key", data + "/audit-verifier.key"}, log,
                 env) != 0) {
    return absl::InternalError("casevault audit verify failed; see " + log);
  }
  r.verify_s = SecondsSince(t);
  t = Steady::now();
  if (RunCommand({"/usr/bin/sha256sum", file}, "/dev/null") != 0) {
    return absl::InternalError("sha256sum failed");
  }
  r.sha256_s = SecondsSince(t);
  fs::remove(file);
  return absl::OkStatus();
}

// What a server used up to a moment: CPU (user + system) and the context
// switches of each of its threads.
struct ServerUsage {
  double cpu_s = -1;
  std::map<pid_t, int64_t> switches;
  static ServerUsage Of(const ChildProcess& p) {
    return {p.CpuSeconds(), p.ContextSwitchesByThread()};
  }
};

// CPU µs and context switches per completed call between two samples; -1
// when unknown. A thread that ended between them loses its switches since
// `before` (gRPC ends a few a second under load).
void PerCall(const ServerUsage& before, const ServerUsage& after, const WindowResult& w,
             double* cpu_us, double* switches) {
  const bool calls = w.completed > 0;
  *cpu_us = calls && before.cpu_s >= 0 && after.cpu_s >= before.cpu_s
                ? (after.cpu_s - before.cpu_s) * 1e6 / double(w.completed)
                : -1.0;
  int64_t sum = 0;
  for (const auto& [tid, n] : after.switches) {
    const auto was = before.switches.find(tid);
    sum += was == before.switches.end() ? n : std::max<int64_t>(0, n - was->second);
  }
  *switches = calls && !before.switches.empty() && !after.switches.empty()
                  ? double(sum) / double(w.completed)
                  : -1.0;
}

}  // namespace

absl::StatusOr<ScaleReport> RunScale(const BenchConfig& c, const std::string& scale) {
  auto served = Serve(c, scale);
  if (!served.ok()) return served.status();
  ServedDeployment& s = **served;
  ScaleReport r;
  r.scale = scale;
  r.cases = s.deployment.cases;
  r.seed_seconds = s.deployment.seed_seconds;
  r.seed_from_cache = s.deployment.from_cache;
  r.copy_seconds = s.deployment.copy_seconds;
  r.port_s = s.port_s;
  r.startup_s = s.startup_s;
  r.signin_ms = s.signin_ms;
  const std::string data = s.deployment.data_dir;

  const std::string echo_log = c.work_dir + "/echo-" + scale + ".log";
  const std::string echo_port_file = c.work_dir + "/echo-" + scale + ".port";
  fs::remove(echo_port_file);
  ChildProcess echo = ChildProcess::Start(
      {c.self_exe, "echo-server", "--data", data, "--port-file", echo_port_file,
       "--commit-file", c.work_dir + "/echo-commit-" + scale + ".dat"},
      echo_log, echo_log);
  const int echo_port = WaitForPortFile(echo_port_file, echo, 30);
  if (echo_port == 0) return ChildDied("the echo server", echo, echo_log);

  uint64_t file_index = 1000000000ull;  // FileCase content indexes, distinct per run
  for (int inflight : c.inflight) {
    const LoadOptions load = LoadFor(c, inflight);
    const int m = load.channels;
    auto cv = ConnectChannels(s.address(), s.ca_pem, m);
    auto ev = ConnectChannels("127.0.0.1:" + std::to_string(echo_port), s.ca_pem, m);
    if (cv.empty()) return s.Died("casevaultd (no connection)");
    if (ev.empty()) return ChildDied("the echo server (no connection)", echo, echo_log);
    const IssueFn echo_op = EchoOp(ev);
    const IssueFn echo_committed_op = EchoCommittedOp(ev);
    for (const std::string& op : c.ops) {
      OpRow row;
      row.op = op;
      row.inflight = inflight;
      row.channels = m;
      std::fprintf(stderr, "  [%s] %s at %d in flight over %d channels...\n", scale.c_str(),
                   OpTitle(op), inflight, m);
      ServerUsage e0, e1;
      LoadOptions echo_load = load;
      echo_load.on_window_start = [&] { e0 = ServerUsage::Of(echo); };
      echo_load.on_window_end = [&] { e1 = ServerUsage::Of(echo); };
      row.echo = RunLoad(echo_load, echo_op);
      PerCall(e0, e1, row.echo, &row.echo_cpu_us_per_call, &row.echo_switches_per_call);
      if (op == "echo") {
        row.result = row.echo;
        row.cpu_us_per_call = row.echo_cpu_us_per_call;
        row.switches_per_call = row.echo_switches_per_call;
      } else if (op == "echo-commit") {
        row.result = RunLoad(echo_load, echo_committed_op);
        PerCall(e0, e1, row.result, &row.cpu_us_per_call, &row.switches_per_call);
      } else {
        IssueFn issue = OpOn(op, s, cv, &file_index);
        StoreSample st0, st1;
        bool have0 = false, have1 = false;
        LoadOptions with_stats = load;
        ServerUsage s0, s1;
        with_stats.on_window_start = [&] {
          s0 = ServerUsage::Of(s.server);
          have0 = s.SampleStore(&st0);
        };
        with_stats.on_window_end = [&] {
          s1 = ServerUsage::Of(s.server);
          have1 = s.SampleStore(&st1);
        };
        row.result = RunLoad(with_stats, issue);
        PerCall(s0, s1, row.result, &row.cpu_us_per_call, &row.switches_per_call);
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
      if (!s.server.Running()) return s.Died("casevaultd");
      if (!echo.Running()) return ChildDied("the echo server", echo, echo_log);
    }
  }
  r.peak_rss_kib = s.server.PeakRssKib();
  if (c.verify) {
    std::fprintf(stderr, "  [%s] audit export, verify, sha256sum...\n", scale.c_str());
    if (absl::Status e = ExportAndVerify(c, data, s.port, scale, r); !e.ok()) return e;
  }
  echo.Stop();
  if (absl::Status stopped = Stop(s); !stopped.ok()) return stopped;
  return r;
}

}  // namespace casevault::bench
