// One scale of casevault-bench: prepare the deployment, start casevaultd and
// the echo server as children, drive both, export and verify the log.
#ifndef CASEVAULT_BENCH_BENCH_RUN_H_
#define CASEVAULT_BENCH_BENCH_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "report.h"

namespace casevault::bench {

struct BenchConfig {
  std::string self_exe;  // this binary, for `echo-server`
  std::string bin_dir;   // casevaultd and casevault
  std::string cache_dir;
  std::string work_dir;  // logs, the fresh deployment, the export
  double duration_s = 5;
  double warmup_s = 1;
  std::vector<int> inflight = {1, 16, 64};
  int channels = 0;  // 0: min(inflight, 8)
  std::vector<std::string> ops = {"echo", "file", "get", "note"};
  int seed_threads = 16;
  bool verify = true;  // audit export + verify + sha256sum
};

// "fresh" -> 0, "10k" -> 10000, "1m" -> 1000000, "2500" -> 2500.
absl::StatusOr<uint64_t> ParseScale(const std::string& scale);

// Errors (a child died, a call failed to set up) are a non-OK status; RPC
// errors during load are counted in the report.
absl::StatusOr<ScaleReport> RunScale(const BenchConfig& config, const std::string& scale);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_BENCH_RUN_H_
