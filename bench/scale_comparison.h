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

// One server's windows of one load.
struct ComparedSide {
  std::vector<double> window_qps;  // in the order the windows ran
  uint64_t calls = 0;
  double seconds = 0;
  double qps() const { return seconds > 0 ? calls / seconds : 0; }
};

struct ComparedLoad {
  std::string op;  // file, get, note
  int inflight = 0;
  int channels = 0;
  ComparedSide base, other;
  uint64_t errors = 0;

  // Calls per second on `other` over calls per second on `base`, all
  // windows together.
  double ratio() const { return base.qps() > 0 ? other.qps() / base.qps() : 0; }
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
