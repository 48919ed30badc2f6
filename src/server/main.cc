// casevaultd: the casevault server and its offline operator commands.
//   casevaultd init  --data DIR [--dev] [--root-key PATH] [--admin-user NAME] [--unit ID]
//   casevaultd serve --data DIR [--listen HOST:PORT] [--root-key PATH] [--insecure-loopback]
//                    [--checkpoint-every-entries N] [--checkpoint-every-seconds T]
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include <CLI/CLI.hpp>

#include "absl/synchronization/mutex.h"

#include "common/clock.h"
#include "common/log.h"
#include "crypto/sodium_random.h"
#include "crypto/thread_random.h"
#include "server/deployment.h"
#include "server/server.h"
#include "storage/store.h"

namespace {

using casevault::server::DeploymentPaths;

// Exit codes of casevaultd (docs/operations.md).
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;    // wrong key, unsafe file, existing deployment
constexpr int kExitUnavailable = 4;  // cannot bind, cannot open files

// Case data lives in this process's memory: never let it reach a core file.
void DisableCoreDumps() {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int Fail(const absl::Status& status, int code) {
  std::fprintf(stderr, "casevaultd: %s\n", std::string(status.message()).c_str());
  return code;
}

int ExitCodeFor(const absl::Status& s) {
  return absl::IsUnavailable(s) ? kExitUnavailable : kExitRefused;
}

int RunInit(const std::string& data, const std::string& root_key, bool dev,
            const std::string& admin, const std::string& unit) {
  casevault::crypto::SodiumRandom random;
  casevault::SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(data, root_key);
  casevault::server::InitOptions options;
  options.dev = dev;
  options.admin_username = admin;
  options.unit_id = unit;
  absl::Status s = casevault::server::InitDeployment(paths, options, random, clock);
  if (!s.ok()) return Fail(s, ExitCodeFor(s));
  std::printf("casevault deployment created in %s\n", data.c_str());
  std::printf("  root key:        %s (keep it off backups of %s)\n",
              paths.root_key.c_str(), data.c_str());
  std::printf("  TLS CA for clients: %s\n", paths.ca_cert().c_str());
  std::printf("  first admin:     %s (password in %s)\n", admin.c_str(),
              paths.initial_admin().c_str());
  std::printf("  audit verifier key (hand it to auditors): %s\n",
              paths.audit_verifier_key().c_str());
  if (dev) {
    std::printf("  demo accounts:   %s\n", paths.demo_accounts().c_str());
  }
  return 0;
}

int RunServe(const std::string& data, const std::string& root_key,
             casevault::server::ServerOptions options, const std::string& port_file) {
  // Block the shutdown signals before any thread starts; one thread waits.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // print the store's counters (docs/performance.md)
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  casevault::crypto::ThreadRandom random;  // the many small draws of serving
  casevault::SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(data, root_key);
  if (casevault::storage::CipherVersion().empty()) {
    std::fprintf(stderr, "casevaultd: SQLCipher is not the SQLite library in use; "
                         "refusing to run\n");
    return kExitRefused;
  }
  auto deployment = casevault::server::Deployment::Open(paths, random);
  if (!deployment.ok()) return Fail(deployment.status(), ExitCodeFor(deployment.status()));
  auto server = casevault::server::CasevaultServer::Start(
      *std::move(deployment), paths, options, clock, random);
  if (!server.ok()) return Fail(server.status(), ExitCodeFor(server.status()));

  const std::string host = options.listen.substr(0, options.listen.rfind(':'));
  std::printf("casevaultd listening on %s:%d (%s)\n", host.c_str(), (*server)->port(),
              options.insecure_loopback ? "plaintext, loopback only" : "TLS");
  std::fflush(stdout);
  if (!port_file.empty()) {
    // Written whole, then renamed: a reader never sees an empty or half file.
    const std::string tmp = port_file + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << (*server)->port() << "\n";
      out.flush();
      if (!out) {
        return Fail(absl::UnavailableError("cannot write " + tmp), kExitUnavailable);
      }
    }
    if (std::rename(tmp.c_str(), port_file.c_str()) != 0) {
      return Fail(absl::UnavailableError("cannot write " + port_file), kExitUnavailable);
    }
  }
  casevault::server::CasevaultServer* raw = server->get();
  std::thread waiter([&signals, raw] {
    int sig = 0;
    // SIGUSR1 prints the group-commit counters and keeps serving; SIGINT or
    // SIGTERM starts the shutdown.
    while (sigwait(&signals, &sig) == 0 && sig == SIGUSR1) {
      const casevault::storage::StoreStats stats = raw->store().stats();
      std::fprintf(stderr,
                   "casevaultd: store commits=%llu writes=%llu replays=%llu "
                   "wal_passes=%llu wal_catch_ups=%llu wal_deferrals=%llu "
                   "pages=%llu\n",
                   static_cast<unsigned long long>(stats.commits),
                   static_cast<unsigned long long>(stats.writes),
                   static_cast<unsigned long long>(stats.replays),
                   static_cast<unsigned long long>(stats.wal_passes),
                   static_cast<unsigned long long>(stats.wal_catch_ups),
                   static_cast<unsigned long long>(stats.wal_deferrals),
                   static_cast<unsigned long long>(stats.pages_written));
      std::fflush(stderr);
    }
    casevault::LogInfo("shutting down: draining calls for up to 10 s");
    raw->Shutdown(std::chrono::seconds(10));
  });
  (*server)->Wait();
  waiter.join();
  casevault::LogInfo("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  DisableCoreDumps();
  // Debian's Abseil checks every Mutex acquisition for lock-order cycles
  // (a debug aid: a graph update per lock). Tests keep it; the server does
  // not pay for it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (!casevault::crypto::InitializeCrypto()) {
    std::fprintf(stderr, "casevaultd: libsodium failed to initialise\n");
    return kExitRefused;
  }
  CLI::App app{"casevaultd: the casevault server and operator commands"};
  app.require_subcommand(1);

  std::string data, root_key, admin = "admin", unit = "demo-school";
  bool dev = false;
  auto* init = app.add_subcommand("init", "create a new deployment");
  init->add_option("--data", data, "data directory")->required();
  init->add_option("--root-key", root_key, "root key file (default DATA/root.key)");
  init->add_flag("--dev", dev, "also create a demo school with one account per role");
  init->add_option("--admin-user", admin, "first admin's username");
  init->add_option("--unit", unit, "the admin's school id");

  casevault::server::ServerOptions options;
  std::string port_file;
  int idle_seconds = 30 * 60, max_session_seconds = 12 * 3600;
  auto* serve = app.add_subcommand("serve", "serve a deployment");
  serve->add_option("--data", data, "data directory")->required();
  serve->add_option("--root-key", root_key, "root key file");
  serve->add_option("--listen", options.listen, "HOST:PORT (port 0 picks one)");
  serve->add_flag("--insecure-loopback", options.insecure_loopback,
                  "serve plaintext; refused unless HOST is loopback");
  serve->add_option("--tls-cert", options.tls_cert, "server certificate (PEM)");
  serve->add_option("--tls-key", options.tls_key, "server private key (PEM)");
  serve->add_option("--port-file", port_file, "write the bound port here");
  serve->add_option("--session-idle-seconds", idle_seconds, "idle session expiry");
  serve->add_option("--session-max-seconds", max_session_seconds,
                    "absolute session expiry");
  serve->add_option("--parallel-sign-ins",
                    options.password_concurrency.parallel,
                    "password checks at once, each 64 MiB and a core for "
                    "~0.1 s; the rest wait their turn (default: half the "
                    "cores)")
      ->check(CLI::Range(1, 256));
  int64_t checkpoint_seconds = 60;
  serve->add_option("--checkpoint-every-entries",
                    options.audit.checkpoint_every_entries,
                    "sign an audit checkpoint at least every N entries")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 32));
  serve->add_option("--checkpoint-every-seconds", checkpoint_seconds,
                    "sign an audit checkpoint every T seconds if the log grew")
      ->check(CLI::Range(int64_t{1}, int64_t{7} * 24 * 3600));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
  if (*init) return RunInit(data, root_key, dev, admin, unit);
  options.sign_in.idle_timeout = int64_t{idle_seconds} * 1000;
  options.sign_in.absolute_timeout = int64_t{max_session_seconds} * 1000;
  options.audit.checkpoint_every = checkpoint_seconds * 1000;
  return RunServe(data, root_key, options, port_file);
}
