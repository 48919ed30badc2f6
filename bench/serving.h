// casevaultd serving one prepared deployment for casevault-bench: started
// as a child process, signed in as the demo counselor, with the case ids
// GetCase and AddNote use, and its store counters read on SIGUSR1.
#ifndef CASEVAULT_BENCH_SERVING_H_
#define CASEVAULT_BENCH_SERVING_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "load_generator.h"
#include "seed.h"
#include "testbed/child_process.h"

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
  std::vector<std::string> ops = {"echo", "echo-commit", "file", "get", "note"};
  int seed_threads = 16;
  bool verify = true;  // audit export + verify + sha256sum
  // Rounds of 10k and 1m windows alternated on both servers at once
  // (scale_comparison.h); 0 skips that phase.
  int compare_rounds = 4;
};

// "fresh" -> 0, "10k" -> 10000, "1m" -> 1000000, "2500" -> 2500.
absl::StatusOr<uint64_t> ParseScale(const std::string& scale);

// The connections a window's load goes over: min(inflight, 8) unless
// --channels says otherwise.
int ChannelsFor(const BenchConfig& c, int inflight);
// A window's load at `inflight`: ChannelsFor() channels, the configured
// warm-up and duration.
LoadOptions LoadFor(const BenchConfig& c, int inflight);

// The whole file, or nullopt when it cannot be read.
std::optional<std::string> ReadWholeFile(const std::string& path);
double SecondsSince(std::chrono::steady_clock::time_point t);

// casevaultd's store counters, from its SIGUSR1 line.
struct StoreSample {
  uint64_t commits = 0, writes = 0, pages = 0;
};

struct ServedDeployment {
  std::string scale;
  SeededDeployment deployment;
  std::string ca_pem;
  std::string log;  // casevaultd's stdout and stderr
  testbed::ChildProcess server;
  int port = 0;
  std::string token;  // the counselor's session for the load
  // Separate sets, so that notes never pile up on the cases GetCase reads.
  std::shared_ptr<std::vector<std::string>> get_ids, note_ids;
  double port_s = -1;     // fork/exec to the port file
  double startup_s = -1;  // fork/exec to the first sign-in answered
  double signin_ms = -1;  // one sign-in on the running server (Argon2id)

  std::string address() const { return "127.0.0.1:" + std::to_string(port); }
  // Sends SIGUSR1 and waits up to 3 s for the store line it answers with;
  // false if none came.
  bool SampleStore(StoreSample* out);
  // INTERNAL naming the log, for a casevaultd that is not running.
  absl::Status Died(const std::string& what);

 private:
  size_t log_offset_ = 0, samples_seen_ = 0;
  StoreSample last_sample_;
};

// Prepares the deployment of `scale` (seeded and cached, or fresh), starts
// casevaultd on it and signs in. Fresh deployments get 512 cases filed for
// GetCase and AddNote.
absl::StatusOr<std::unique_ptr<ServedDeployment>> Serve(const BenchConfig& c,
                                                        const std::string& scale);

// Stops casevaultd (SIGTERM, 30 s) and removes a fresh deployment; an
// error when it did not exit with 0.
absl::Status Stop(ServedDeployment& served);

// INTERNAL naming `log`, for a child (`what`) that is not running.
absl::Status ChildDied(const std::string& what, testbed::ChildProcess& child,
                       const std::string& log);

// The op's calls on `channels` of `served`, FileCase content from
// `*file_index` on (advanced, so that every window files new content).
IssueFn OpOn(const std::string& op, const ServedDeployment& served,
             const std::vector<std::shared_ptr<grpc::Channel>>& channels,
             uint64_t* file_index);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_SERVING_H_
