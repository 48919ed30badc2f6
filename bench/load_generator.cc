#include "load_generator.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <grpc/grpc.h>
#include <grpcpp/security/credentials.h>

namespace casevault::bench {

using Clock = std::chrono::steady_clock;

std::vector<std::shared_ptr<grpc::Channel>> ConnectChannels(
    const std::string& target, const std::string& ca_pem, int count,
    double connect_timeout_s) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ca_pem;
  auto credentials = grpc::SslCredentials(ssl);
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < count; ++i) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt("casevault.bench.channel", i);  // distinct args: no sharing
    auto channel = grpc::CreateCustomChannel(target, credentials, args);
    const auto deadline = std::chrono::system_clock::now() +
                          std::chrono::milliseconds(static_cast<int>(connect_timeout_s * 1000));
    if (!channel->WaitForConnected(deadline)) return {};
    channels.push_back(std::move(channel));
  }
  return channels;
}

double WindowResult::percentile_ms(double p) const {
  if (latencies_us.empty()) return 0;
  size_t rank = static_cast<size_t>(p * latencies_us.size());
  if (rank >= latencies_us.size()) rank = latencies_us.size() - 1;
  return latencies_us[rank] / 1000.0;
}

namespace {

struct Slot {
  std::vector<uint32_t> latencies_us;
  uint64_t errors = 0;
  std::map<std::string, uint64_t> error_codes;
};

struct Run {
  const IssueFn* issue = nullptr;
  int channels = 1;
  Clock::time_point window_start, window_end;
  std::atomic<uint64_t> seq{0};
  std::vector<Slot> slots;
  std::mutex mu;
  std::condition_variable cv;
  int running = 0;

  void Start(size_t slot) {
    const uint64_t n = seq++;
    const Clock::time_point began = Clock::now();
    (*issue)(static_cast<int>(slot % channels), n,
             [this, slot, began](const grpc::Status& status) {
               Finish(slot, began, status);
             });
  }

  void Finish(size_t index, Clock::time_point began, const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    Slot& slot = slots[index];
    if (!status.ok()) {
      ++slot.errors;
      ++slot.error_codes[std::to_string(status.error_code()) + " " +
                         status.error_message().substr(0, 120)];
    } else if (now >= window_start && now <= window_end) {
      slot.latencies_us.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - began).count()));
    }
    if (now < window_end) {
      Start(index);
      return;
    }
    std::lock_guard<std::mutex> lock(mu);
    if (--running == 0) cv.notify_all();
  }
};

}  // namespace

WindowResult RunLoad(const LoadOptions& options, const IssueFn& issue) {
  Run run;
  run.issue = &issue;
  run.channels = std::max(1, options.channels);
  run.slots.resize(std::max(1, options.inflight));
  run.running = static_cast<int>(run.slots.size());
  const Clock::time_point t0 = Clock::now();
  run.window_start = t0 + std::chrono::microseconds(
                              static_cast<int64_t>(options.warmup_s * 1e6));
  run.window_end = run.window_start + std::chrono::microseconds(static_cast<int64_t>(
                                          options.duration_s * 1e6));
  for (size_t i = 0; i < run.slots.size(); ++i) run.Start(i);

  std::this_thread::sleep_until(run.window_start);
  if (options.on_window_start) options.on_window_start();
  std::this_thread::sleep_until(run.window_end);
  if (options.on_window_end) options.on_window_end();
  {
    std::unique_lock<std::mutex> lock(run.mu);
    // Calls carry a 30 s deadline, so every slot finishes.
    run.cv.wait(lock, [&] { return run.running == 0; });
  }
  WindowResult result;
  result.seconds = options.duration_s;
  for (Slot& slot : run.slots) {
    result.latencies_us.insert(result.latencies_us.end(), slot.latencies_us.begin(),
                               slot.latencies_us.end());
    result.errors += slot.errors;
    for (const auto& [code, n] : slot.error_codes) result.error_codes[code] += n;
  }
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  result.completed = result.latencies_us.size();
  return result;
}

}  // namespace casevault::bench
