// One scale of casevault-bench: prepare the deployment, start casevaultd and
// the echo server as children, drive both, export and verify the log.
#ifndef CASEVAULT_BENCH_BENCH_RUN_H_
#define CASEVAULT_BENCH_BENCH_RUN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "report.h"
#include "serving.h"

namespace casevault::bench {

// Errors (a child died, a call failed to set up) are a non-OK status; RPC
// errors during load are counted in the report.
absl::StatusOr<ScaleReport> RunScale(const BenchConfig& config, const std::string& scale);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_BENCH_RUN_H_
