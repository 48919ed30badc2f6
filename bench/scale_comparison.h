// Two scales side by side (10k and 1m): casevaultd serves both deployments
// at once and the same load alternates between them, window after window
// (A B, then B A, ...), so that the machine's drift over minutes (echo moves
// by ±25 % here) falls on both alike. The target "1m within 20 % of 10k"
// is judged on these figures, not on scale runs minutes apart.
#ifndef CASEVAULT_BENCH_SCALE_COMPARISON_H_
#define CASEVAULT_BENCH_SCALE_COMPARISON_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "serving.h"

namespace casevault::bench {

struct ComparedLoad {
  std::string op;  // file, get, note
  int inflight = 0;
  int channels = 0;
  // One entry per window, in the order they ran within each side.
  std::vector<double> base_qps, other_qps;
  uint64_t base_calls = 0, other_calls = 0;
  double base_seconds = 0, other_seconds = 0;
  uint64_t errors = 0;

  double base_total_qps() const { return base_seconds > 0 ? base_calls / base_seconds : 0; }
  double other_total_qps() const {
    return other_seconds > 0 ? other_calls / other_seconds : 0;
  }
  // Calls per second on `other` over calls per second on `base`, all
  // windows together.
  double ratio() const {
    return base_total_qps() > 0 ? other_total_qps() / base_total_qps() : 0;
  }
};

struct ScaleComparison {
  std::string base, other;  // "10k", "1m"
  int rounds = 0;
  std::vector<ComparedLoad> loads;
  uint64_t rpc_errors = 0;
};

// Serves `base` and `other` at once and runs, for each in-flight count and
// each of file, get, note in c.ops, c.compare_rounds rounds of one window
// on each (c.warmup_s + c.duration_s), the order swapped every round.
absl::StatusOr<ScaleComparison> CompareScales(const BenchConfig& c, const std::string& base,
                                              const std::string& other);

void PrintComparison(const ScaleComparison& comparison);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_SCALE_COMPARISON_H_
