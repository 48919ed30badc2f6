#include "seed.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "case_text.h"
#include "testbed/child_process.h"
#include "common/clock.h"
#include "crypto/password_hasher.h"
#include "crypto/thread_random.h"
#include "domain/audit_trail.h"
#include "domain/authenticator.h"
#include "domain/case_desk.h"
#include "server/deployment.h"

namespace casevault::bench {
namespace fs = std::filesystem;
using testbed::ChildProcess;

absl::Status InitDeployment(const std::string& bin_dir, const std::string& data_dir) {
  const std::string log = data_dir + ".init.log";
  ChildProcess init = ChildProcess::Start(
      {bin_dir + "/casevaultd", "init", "--data", data_dir, "--dev"}, log, log);
  const int code = init.Wait();
  if (code != 0) {
    return absl::InternalError("casevaultd init --dev failed (exit " +
                               std::to_string(code) + "); see " + log);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DemoPassword(const std::string& data_dir,
                                         const std::string& username) {
  std::ifstream in(data_dir + "/demo-accounts.json");
  if (!in) return absl::NotFoundError("no demo-accounts.json in " + data_dir);
  const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
  if (doc.is_discarded()) return absl::DataLossError("bad demo-accounts.json");
  for (const auto& a : doc.value("accounts", nlohmann::json::array())) {
    if (a.value("username", "") == username) return a.value("password", "");
  }
  return absl::NotFoundError("no demo account " + username);
}

domain::NewCase ToNewCase(const CaseText& t) {
  domain::NewCase c;
  c.incident_type = t.incident_type;
  c.context = t.context;
  c.severity = t.severity;
  c.incident_date = t.incident_date;
  c.place = t.place;
  c.reporter_type = t.reporter_type;
  c.victim.name = t.victim_name;
  c.victim.gender = t.victim_gender;
  c.victim.birth_year = t.victim_birth_year;
  c.victim.class_or_job = t.victim_class;
  c.perpetrator.relation = t.perpetrator_relation;
  c.perpetrator.name = t.perpetrator_name;
  c.narrative = t.narrative;
  return c;
}

absl::StatusOr<std::vector<std::string>> SeedCases(const std::string& data_dir,
                                                   uint64_t count, int threads,
                                                   size_t keep_ids) {
  auto password = DemoPassword(data_dir, "counselor");
  if (!password.ok()) return password.status();
  crypto::ThreadRandom random;
  SystemClock clock;
  const server::DeploymentPaths paths = server::DeploymentPaths::For(data_dir, "");
  auto deployment = server::Deployment::Open(paths, random);
  if (!deployment.ok()) return deployment.status();
  storage::Store& store = (*deployment)->store();
  auto trail = domain::AuditTrail::New((*deployment)->keyring(), clock, {});
  if (!trail.ok()) return trail.status();
  crypto::PasswordHasher hasher(crypto::PasswordHashLimits::Interactive());
  domain::Authenticator auth(store, **trail, hasher, clock, random, {});
  auto signed_in = auth.Login("counselor", *password, "bench-seed");
  if (!signed_in.ok()) return signed_in.status();
  domain::CaseDesk desk(store, **trail, (*deployment)->case_keys(), clock, random);

  const uint64_t stride = keep_ids == 0 ? count + 1 : std::max<uint64_t>(1, count / keep_ids);
  std::atomic<uint64_t> next{0};
  std::mutex mu;
  std::vector<std::string> ids;
  absl::Status first_error;
  const auto start = std::chrono::steady_clock::now();
  auto worker = [&] {
    domain::Caller caller = signed_in->caller;
    for (uint64_t i = next++; i < count; i = next++) {
      caller.request_id = "bench-seed-" + std::to_string(i);
      auto view = desk.File(caller, ToNewCase(MakeCaseText(i)));
      std::lock_guard<std::mutex> lock(mu);
      if (!view.ok()) {
        if (first_error.ok()) first_error = view.status();
        next = count;  // stop everyone
        return;
      }
      if (i % stride == 0 && ids.size() < keep_ids) ids.push_back(view->id);
      if ((i + 1) % 50000 == 0) {
        const double s = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "  seeded %llu/%llu cases (%.0f s, %.0f cases/s)\n",
                     static_cast<unsigned long long>(i + 1),
                     static_cast<unsigned long long>(count), s, (i + 1) / s);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(worker);
  for (auto& t : pool) t.join();
  if (!first_error.ok()) return first_error;
  return ids;
}

absl::StatusOr<SeededDeployment> PrepareDeployment(const std::string& bin_dir,
                                                   const std::string& cache_dir,
                                                   const std::string& run_dir,
                                                   uint64_t count, int threads) {
  SeededDeployment d;
  d.cases = count;
  d.data_dir = run_dir;
  std::error_code ec;
  fs::remove_all(run_dir, ec);
  fs::create_directories(fs::path(run_dir).parent_path(), ec);
  if (count == 0) {
    if (absl::Status s = InitDeployment(bin_dir, run_dir); !s.ok()) return s;
    return d;
  }
  const std::string seeded = cache_dir + "/seed-v1-" + std::to_string(count);
  const std::string done = seeded + "/seed-done";
  const std::string ids_file = seeded + "/bench-case-ids.txt";
  if (!fs::exists(done)) {
    fs::remove_all(seeded, ec);
    fs::create_directories(cache_dir, ec);
    std::fprintf(stderr, "seeding %llu cases into %s (%d threads)...\n",
                 static_cast<unsigned long long>(count), seeded.c_str(), threads);
    const auto start = std::chrono::steady_clock::now();
    if (absl::Status s = InitDeployment(bin_dir, seeded); !s.ok()) return s;
    auto ids = SeedCases(seeded, count, threads, 10000);
    if (!ids.ok()) return ids.status();
    d.seed_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::ofstream(ids_file) << [&] {
      std::string all;
      for (const auto& id : *ids) all += id + "\n";
      return all;
    }();
    std::ofstream(done) << "cases=" << count << " threads=" << threads
                        << " seconds=" << d.seed_seconds << "\n";
    std::fprintf(stderr, "seeded %llu cases in %.1f s\n",
                 static_cast<unsigned long long>(count), d.seed_seconds);
  } else {
    d.from_cache = true;
    std::ifstream in(done);
    std::string line;
    std::getline(in, line);
    const size_t at = line.find("seconds=");
    if (at != std::string::npos) d.seed_seconds = std::atof(line.c_str() + at + 8);
  }
  std::ifstream in(ids_file);
  for (std::string id; std::getline(in, id);) {
    if (!id.empty()) d.sample_ids.push_back(id);
  }
  if (d.sample_ids.empty()) return absl::DataLossError("no case ids in " + ids_file);
  // The run's cases, notes and audit entries go into the copy; the cache
  // stays at exactly `count` cases (copy_file keeps each file's mode).
  const auto start = std::chrono::steady_clock::now();
  fs::copy(seeded, run_dir, fs::copy_options::recursive, ec);
  if (ec) {
    return absl::UnavailableError("cannot copy " + seeded + " to " + run_dir + ": " +
                                  ec.message());
  }
  // On disk before casevaultd starts: otherwise the kernel writes the 1m
  // copy's gigabytes back during the timed start-up and the first windows,
  // whose commits wait behind it on the one disk.
  const int dir = ::open(run_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  const bool synced = dir >= 0 && ::syncfs(dir) == 0;
  if (dir >= 0) ::close(dir);
  if (!synced) return absl::UnavailableError("cannot sync the copy in " + run_dir);
  d.copy_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return d;
}

}  // namespace casevault::bench
