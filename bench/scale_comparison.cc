#include "scale_comparison.h"

#include <cstdio>
#include <memory>

#include "report.h"

namespace casevault::bench {

absl::StatusOr<ScaleComparison> CompareScales(const BenchConfig& c, const std::string& base,
                                              const std::string& other) {
  ScaleComparison out;
  out.base = base;
  out.other = other;
  out.rounds = c.compare_rounds;
  auto a = Serve(c, base);
  if (!a.ok()) return a.status();
  auto b = Serve(c, other);
  if (!b.ok()) return b.status();
  ServedDeployment* sides[2] = {a->get(), b->get()};

  uint64_t file_index = 5000000000ull;  // apart from the scale runs' content
  for (int inflight : c.inflight) {
    const LoadOptions load = LoadFor(c, inflight);
    const int m = load.channels;
    std::vector<std::shared_ptr<grpc::Channel>> channels[2];
    for (int i = 0; i < 2; ++i) {
      channels[i] = ConnectChannels(sides[i]->address(), sides[i]->ca_pem, m);
      if (channels[i].empty()) return sides[i]->Died("casevaultd (no connection)");
    }
    for (const std::string& op : c.ops) {
      if (op == "echo" || op == "echo-commit") continue;
      ComparedLoad row;
      row.op = op;
      row.inflight = inflight;
      row.channels = m;
      std::fprintf(stderr, "  [%s | %s] %s at %d in flight, %d rounds...\n", base.c_str(),
                   other.c_str(), OpTitle(op), inflight, c.compare_rounds);
      for (int round = 0; round < c.compare_rounds; ++round) {
        for (int k = 0; k < 2; ++k) {
          const int i = round % 2 == 0 ? k : 1 - k;  // A B, then B A
          const WindowResult w = RunLoad(load, OpOn(op, *sides[i], channels[i], &file_index));
          ComparedSide& side = i == 0 ? row.base : row.other;
          side.window_qps.push_back(w.qps());
          side.calls += w.completed;
          side.seconds += w.seconds;
          row.errors += w.errors;
          for (const auto& [what, n] : w.error_codes) {
            std::fprintf(stderr, "    [%s] error x%llu: %s\n", sides[i]->scale.c_str(),
                         static_cast<unsigned long long>(n), what.c_str());
          }
          if (!sides[i]->server.Running()) return sides[i]->Died("casevaultd");
        }
      }
      out.rpc_errors += row.errors;
      out.loads.push_back(std::move(row));
    }
  }
  for (ServedDeployment* s : sides) {
    if (absl::Status stopped = Stop(*s); !stopped.ok()) return stopped;
  }
  return out;
}

void PrintComparison(const ScaleComparison& r) {
  std::printf("\n== %s against %s, side by side: both served at once, %d round(s) of "
              "alternating windows ==\n",
              r.other.c_str(), r.base.c_str(), r.rounds);
  std::printf("%-9s %4s %3s %9s %9s %6s %5s   %s\n", "op", "infl", "ch",
              (r.base + " QPS").c_str(), (r.other + " QPS").c_str(), "ratio", "errs",
              "per window (base / other)");
  for (const ComparedLoad& row : r.loads) {
    std::printf("%-9s %4d %3d %9.0f %9.0f %6.2f %5llu  ", OpTitle(row.op), row.inflight,
                row.channels, row.base.qps(), row.other.qps(), row.ratio(),
                static_cast<unsigned long long>(row.errors));
    const auto& base = row.base.window_qps;
    const auto& other = row.other.window_qps;
    for (size_t i = 0; i < base.size() && i < other.size(); ++i) {
      std::printf(" %.0f/%.0f", base[i], other[i]);
    }
    std::printf("\n");
  }
}

}  // namespace casevault::bench
