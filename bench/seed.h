// Seeding a deployment with N real cases (and their audit entries) through
// the domain layer, and caching the seeded directory between runs.
#ifndef CASEVAULT_BENCH_SEED_H_
#define CASEVAULT_BENCH_SEED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace casevault::bench {

struct SeededDeployment {
  std::string data_dir;
  uint64_t cases = 0;
  std::vector<std::string> sample_ids;  // case ids the counselor can read
  double seed_seconds = 0;              // how long seeding took (0: from cache)
  bool from_cache = false;
};

// Runs `casevaultd init --dev` in `data_dir` (which must not exist).
absl::Status InitDeployment(const std::string& bin_dir, const std::string& data_dir);

// The password of a demo account from DATA/demo-accounts.json.
absl::StatusOr<std::string> DemoPassword(const std::string& data_dir,
                                         const std::string& username);

// Files `count` cases as the demo counselor from `threads` threads (group
// commit batches them). Keeps up to `keep_ids` evenly spread case ids.
absl::StatusOr<std::vector<std::string>> SeedCases(const std::string& data_dir,
                                                   uint64_t count, int threads,
                                                   size_t keep_ids);

// CACHE/seed-v1-N (complete when it holds "seed-done"), seeding it when
// missing. count 0 makes a fresh deployment in `fresh_dir` instead.
absl::StatusOr<SeededDeployment> PrepareDeployment(const std::string& bin_dir,
                                                   const std::string& cache_dir,
                                                   const std::string& fresh_dir,
                                                   uint64_t count, int threads);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_SEED_H_
