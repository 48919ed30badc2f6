// The load generator: N calls in flight over M channels (separate
// connections), for a warm-up then a measured window of fixed length. Calls
// use the gRPC callback API; each in-flight slot issues its next call from
// the previous call's completion.
#ifndef CASEVAULT_BENCH_LOAD_GENERATOR_H_
#define CASEVAULT_BENCH_LOAD_GENERATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

namespace casevault::bench {

// M channels to one server, each its own TCP/TLS connection
// (GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL). Empty on failure to connect.
std::vector<std::shared_ptr<grpc::Channel>> ConnectChannels(
    const std::string& target, const std::string& ca_pem, int count,
    double connect_timeout_s = 10);

using DoneFn = std::function<void(const grpc::Status&)>;
// Starts one call on channel `channel` (the seq-th call of the run) and
// calls `done` exactly once when it finishes; must not block.
using IssueFn = std::function<void(int channel, uint64_t seq, DoneFn done)>;

struct WindowResult {
  double seconds = 0;      // measured window length
  uint64_t completed = 0;  // OK calls that finished inside the window
  uint64_t errors = 0;     // failed calls, warm-up included
  std::map<std::string, uint64_t> error_codes;  // "UNAVAILABLE: msg" -> count
  std::vector<uint32_t> latencies_us;            // of `completed`, sorted
  double qps() const { return seconds > 0 ? completed / seconds : 0; }
  double percentile_ms(double p) const;
};

struct LoadOptions {
  int inflight = 1;
  int channels = 1;
  double warmup_s = 1;
  double duration_s = 5;
  std::function<void()> on_window_start;  // e.g. SIGUSR1 to casevaultd
  std::function<void()> on_window_end;
};

WindowResult RunLoad(const LoadOptions& options, const IssueFn& issue);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_LOAD_GENERATOR_H_
