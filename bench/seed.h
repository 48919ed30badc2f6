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
  std::string data_dir;  // this run's own copy; deleted when it ends
  uint64_t cases = 0;
  std::vector<std::string> sample_ids;  // case ids the counselor can read
  double seed_seconds = 0;              // how long seeding took (also from cache)
  bool from_cache = false;
  double copy_seconds = 0;  // copying the seeded directory for this run
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

// A deployment in `run_dir` (which is replaced) holding exactly `count`
// seeded cases: a copy of CACHE/seed-v1-N (complete when it holds
// "seed-done"), seeded first when missing. The cached directory itself is
// never served, so every run starts from the same N cases; the copy is
// synced before this returns. count 0 makes a fresh deployment in
// `run_dir`.
absl::StatusOr<SeededDeployment> PrepareDeployment(const std::string& bin_dir,
                                                   const std::string& cache_dir,
                                                   const std::string& run_dir,
                                                   uint64_t count, int threads);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_SEED_H_
