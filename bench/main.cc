// casevault-bench: issue 5's benchmark (docs/performance.md).
//   casevault-bench [--duration S] [--warmup S] [--inflight 1,16,64] [--channels M]
//                   [--scales fresh,10k,1m] [--ops echo,echo-commit,file,get,note]
//                   [--cache DIR]
//                   [--bin-dir DIR] [--seed-threads N] [--no-verify]
//                   [--compare-rounds N]
//   casevault-bench echo-server --data DIR --port-file F --commit-file F
//                   [--listen HOST:PORT]
// Exit 0 when every scale ran (a MISS is not an error), 1 on an error
// (a server died, RPC errors), 2 on bad usage.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include <CLI/CLI.hpp>

#include "absl/synchronization/mutex.h"

#include "bench_run.h"
#include "case_text.h"
#include "crypto/sodium_random.h"
#include "echo_server.h"
#include "report.h"
#include "scale_comparison.h"

namespace {

std::string SelfExe() {
  std::error_code ec;
  return std::filesystem::read_symlink("/proc/self/exe", ec).string();
}

}  // namespace

int main(int argc, char** argv) {
  // As casevaultd (src/server/main.cc): no lock-order graph per Mutex
  // acquisition in the load generator either.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  signal(SIGPIPE, SIG_IGN);
  if (!casevault::crypto::InitializeCrypto()) {
    std::fprintf(stderr, "casevault-bench: libsodium failed to initialise\n");
    return 1;
  }
  casevault::bench::BenchConfig config;
  config.self_exe = SelfExe();
  config.bin_dir = std::filesystem::path(config.self_exe).parent_path().string();
  config.cache_dir = "/tmp/casevault-bench-cache";
  std::vector<std::string> scales = {"fresh", "10k", "1m"};

  CLI::App app{"casevault-bench: casevaultd against a bare gRPC echo server"};
  app.add_option("--duration", config.duration_s, "measured seconds per window")
      ->check(CLI::Range(0.1, 3600.0));
  app.add_option("--warmup", config.warmup_s, "warm-up seconds per window (not measured)")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--inflight", config.inflight, "calls in flight")->delimiter(',')
      ->check(CLI::Range(1, 4096));
  app.add_option("--channels", config.channels,
                 "connections per server (default: min(inflight, 8))")
      ->check(CLI::Range(0, 1024));
  app.add_option("--scales", scales, "fresh, 10k, 1m (cases stored before the run)")
      ->delimiter(',');
  app.add_option("--ops", config.ops, "echo, echo-commit, file, get, note")->delimiter(',')
      ->check(CLI::IsMember({"echo", "echo-commit", "file", "get", "note"}));
  app.add_option("--cache", config.cache_dir, "where seeded deployments are kept");
  app.add_option("--bin-dir", config.bin_dir, "where casevaultd and casevault are");
  app.add_option("--seed-threads", config.seed_threads, "threads filing cases when seeding")
      ->check(CLI::Range(1, 256));
  app.add_option("--compare-rounds", config.compare_rounds,
                 "with 10k and 1m: rounds of windows alternating between both "
                 "servers, run at once (0: none; the 1m target then compares the "
                 "two scale runs)")
      ->check(CLI::Range(0, 100));
  bool no_verify = false;
  app.add_flag("--no-verify", no_verify, "skip the audit export / verify / sha256sum");

  std::string echo_data, echo_port_file, echo_commit_file, echo_listen = "127.0.0.1:0";
  auto* echo = app.add_subcommand("echo-server", "serve the bench's Echo service (child)");
  echo->add_option("--data", echo_data, "deployment whose tls/ to use")->required();
  echo->add_option("--port-file", echo_port_file, "write the bound port here")->required();
  echo->add_option("--listen", echo_listen, "HOST:PORT");
  echo->add_option("--commit-file", echo_commit_file,
                   "the file EchoCommitted writes and fdatasyncs")->required();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (*echo) return casevault::bench::RunEchoServer(echo_data, echo_listen, echo_port_file,
                                                       echo_commit_file);
  config.verify = !no_verify;
  for (const auto& s : scales) {
    if (!casevault::bench::ParseScale(s).ok()) {
      std::fprintf(stderr, "casevault-bench: unknown scale %s\n", s.c_str());
      return 2;
    }
  }
  for (const char* binary : {"casevaultd", "casevault"}) {
    if (access((config.bin_dir + "/" + binary).c_str(), X_OK) != 0) {
      std::fprintf(stderr, "casevault-bench: no %s in %s (--bin-dir)\n", binary,
                   config.bin_dir.c_str());
      return 2;
    }
  }
  config.work_dir = "/tmp/casevault-bench-run-" + std::to_string(getpid());
  std::filesystem::create_directories(config.work_dir);

  std::printf("casevault-bench: %.1f s windows after %.1f s warm-up; in flight:", config.duration_s,
              config.warmup_s);
  for (int n : config.inflight) std::printf(" %d", n);
  std::printf("; channels: %s; logs in %s\n",
              config.channels > 0 ? std::to_string(config.channels).c_str() : "min(inflight, 8)",
              config.work_dir.c_str());
  size_t text = 0;
  for (uint64_t i = 0; i < 90; ++i) {
    text += casevault::bench::TextBytes(casevault::bench::MakeCaseText(i));
  }
  std::printf("FileCase: %zu bytes of free text on average (narrative, people, place)\n",
              text / 90);
  std::fflush(stdout);
  std::vector<casevault::bench::ScaleReport> reports;
  bool failed = false;
  for (const auto& scale : scales) {
    auto report = casevault::bench::RunScale(config, scale);
    if (!report.ok()) {
      std::fprintf(stderr, "casevault-bench: scale %s failed: %s\n", scale.c_str(),
                   std::string(report.status().message()).c_str());
      failed = true;
      break;
    }
    casevault::bench::PrintScale(*report);
    std::fflush(stdout);
    if (report->rpc_errors > 0) failed = true;
    reports.push_back(*std::move(report));
  }
  std::optional<casevault::bench::ScaleComparison> side_by_side;
  const auto has = [&](const char* s) {
    return std::find(scales.begin(), scales.end(), s) != scales.end();
  };
  if (!failed && config.compare_rounds > 0 && has("10k") && has("1m")) {
    auto comparison = casevault::bench::CompareScales(config, "10k", "1m");
    if (!comparison.ok()) {
      std::fprintf(stderr, "casevault-bench: 10k against 1m failed: %s\n",
                   std::string(comparison.status().message()).c_str());
      failed = true;
    } else {
      casevault::bench::PrintComparison(*comparison);
      if (comparison->rpc_errors > 0) failed = true;
      side_by_side = *std::move(comparison);
    }
  }
  casevault::bench::PrintTargets(reports, side_by_side ? &*side_by_side : nullptr);
  uint64_t errors = 0;
  for (const auto& r : reports) errors += r.rpc_errors;
  if (side_by_side) errors += side_by_side->rpc_errors;
  std::printf("RPC errors: %llu\n", static_cast<unsigned long long>(errors));
  if (!failed) {
    std::error_code ec;
    std::filesystem::remove_all(config.work_dir, ec);
  } else {
    std::printf("logs kept in %s\n", config.work_dir.c_str());
  }
  return failed ? 1 : 0;
}
