// A crash of `init` at any moment (issue 5) never leaves a directory that
// neither serves nor can be initialised again. Each round starts a new
// process running InitDeployment (cheap password hashing, so rounds are
// fast) and kills it with SIGKILL after a seeded random delay; then either
// the deployment opens and is complete, or Deployment::Open refuses it and a
// new init succeeds. tests/integration/crash_init_test.cc does the same with
// the real `casevaultd` binary.
//
// The child is this test binary run again (fork + exec of /proc/self/exe,
// like gtest's "threadsafe" death tests) with only DISABLED_InitChild
// selected: forking the test process itself is unsafe once another test in
// the binary has started threads (gRPC, the store's committer).
//
// CASEVAULT_INIT_CRASH_ROUNDS sets the rounds (default 25, about 10 s;
// 200 for a long run),
// CASEVAULT_INIT_CRASH_SEED the seed (printed on failure).
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "crypto/sodium_random.h"
#include "gtest/gtest.h"
#include "server/deployment.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"
#include "testbed/child_process.h"

namespace casevault::server {
namespace {

using ::casevault::testing::TempDir;

constexpr char kChildEnv[] = "CASEVAULT_INIT_CHILD_DATA";

InitOptions CheapDev() {
  InitOptions options;
  options.dev = true;
  options.password_limits = {1, 8192};
  return options;
}

bool Exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

// The child's side: run only when DeploymentCrashTest runs this binary again
// with kChildEnv set; never as a test of its own.
TEST(DeploymentCrashTest, DISABLED_InitChild) {
  const char* data = std::getenv(kChildEnv);
  if (data == nullptr) GTEST_SKIP() << "only run as DeploymentCrashTest's child";
  crypto::SodiumRandom random;
  SystemClock clock;
  _exit(InitDeployment(DeploymentPaths::For(data, ""), CheapDev(), random, clock).ok() ? 0
                                                                                        : 1);
}

// Starts this binary running InitDeployment on `data_dir`.
testbed::ChildProcess SpawnInit(const std::string& data_dir) {
  return testbed::ChildProcess::Start(
      {"/proc/self/exe", "--gtest_also_run_disabled_tests",
       "--gtest_filter=DeploymentCrashTest.DISABLED_InitChild"},
      "/dev/null", "/dev/null",
      {std::string(kChildEnv) + "=" + data_dir});  // ahead of any inherited
}

// Runs an init child; kills it after `delay` unless it ended by then.
// Returns its exit code, or -1 when it was killed.
int RunInit(const std::string& data_dir, std::chrono::microseconds delay) {
  testbed::ChildProcess child = SpawnInit(data_dir);
  if (!child.started()) {
    ADD_FAILURE() << "cannot start the init child";
    return -2;
  }
  int code = child.Wait(std::chrono::duration<double>(delay).count());
  if (code == -1) {
    child.Kill();
    code = child.Wait();
  }
  return code >= 128 ? -1 : code;  // 128 + signal: killed
}

// The names and sizes of the files in `dir` (never their contents), for
// failure messages.
std::string Listing(const std::string& dir) {
  std::string out;
  std::error_code error;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir, error)) {
    out += "\n  " + e.path().lexically_relative(dir).string();
    if (e.is_regular_file(error)) out += " (" + std::to_string(e.file_size(error)) + " bytes)";
  }
  return out;
}

// A complete deployment: opens, and has every file init writes.
void ExpectComplete(const DeploymentPaths& paths, RandomSource& random) {
  auto opened = Deployment::Open(paths, random);
  ASSERT_OK(opened.status());
  for (const std::string& f : {paths.ca_cert(), paths.server_cert(), paths.server_key(),
                               paths.audit_verifier_key(), paths.initial_admin(),
                               paths.demo_accounts()}) {
    EXPECT_TRUE(Exists(f)) << f;
  }
  EXPECT_FALSE(Exists(paths.init_marker()));
  int64_t accounts = 0;
  ASSERT_OK((*opened)->store().Read([&](storage::Transaction& tx) {
    auto n = tx.accounts().Count();
    if (n.ok()) accounts = *n;
    return n.status();
  }));
  EXPECT_EQ(accounts, 7);  // the admin and six demo accounts
}

TEST(DeploymentCrashTest, AKilledInitNeverLeavesAStuckDirectory) {
  const int rounds = static_cast<int>(EnvNumber("CASEVAULT_INIT_CRASH_ROUNDS", 25));
  const uint64_t seed = EnvNumber("CASEVAULT_INIT_CRASH_SEED", std::random_device{}());
  SCOPED_TRACE("seed " + std::to_string(seed) + " (rerun with CASEVAULT_INIT_CRASH_SEED=" +
               std::to_string(seed) + ")");
  std::mt19937_64 rng(seed);
  crypto::SodiumRandom random;
  SystemClock clock;

  // How long an init child takes when nothing stops it.
  std::chrono::microseconds full{0};
  {
    TempDir timing;
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_EQ(RunInit(timing.path() + "/data", std::chrono::seconds(60)), 0);
    full = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - t0);
  }

  int finished = 0, marked = 0, before_marker = 0;
  for (int round = 0; round < rounds && !HasFailure(); ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TempDir dir;
    const DeploymentPaths paths = DeploymentPaths::For(dir.path() + "/data", "");
    const std::chrono::microseconds delay(rng() % (full.count() + 1));
    const int code = RunInit(paths.data_dir, delay);
    ASSERT_TRUE(code == 0 || code == -1) << "init failed on its own: exit " << code;
    if (Deployment::Open(paths, random).ok()) {
      ++finished;
    } else {
      // Refused: either the marker says why, or init had created nothing yet.
      if (Exists(paths.init_marker())) {
        ++marked;
      } else {
        EXPECT_FALSE(Exists(paths.root_key));
        EXPECT_FALSE(Exists(paths.keyring()));
        EXPECT_FALSE(Exists(paths.database()));
        ++before_marker;
      }
      const std::string left = Listing(paths.data_dir);
      ASSERT_OK(InitDeployment(paths, CheapDev(), random, clock)) << "files left:" << left;
    }
    ExpectComplete(paths, random);
  }
  std::printf("init crash: seed %llu, %d rounds (an init process takes %lld us): %d complete, "
              "%d marked incomplete and initialised again, %d killed before the marker\n",
              static_cast<unsigned long long>(seed), rounds,
              static_cast<long long>(full.count()), finished, marked, before_marker);
}

// Leaves `paths` as an init killed after its database was written: a
// complete deployment with the marker put back.
void MarkIncomplete(const DeploymentPaths& paths) {
  ASSERT_OK(WritePrivateFile(paths.init_marker(),
                             "{\"root_key\":\"" + paths.root_key + "\"}\n"));
}

TEST(DeploymentCrashTest, ADatabaseThatCannotBeProvedEmptyIsNeverRemoved) {
  // A marker next to a database that cannot be proved empty (here: its
  // keyring is missing) makes init refuse and leave every file.
  TempDir dir;
  crypto::SodiumRandom random;
  SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(dir.path() + "/data", "");
  ASSERT_OK(InitDeployment(paths, CheapDev(), random, clock));
  MarkIncomplete(paths);
  EXPECT_FALSE(Deployment::Open(paths, random).ok());
  ASSERT_EQ(::rename(paths.keyring().c_str(), (paths.keyring() + ".moved").c_str()), 0);
  EXPECT_THAT(InitDeployment(paths, CheapDev(), random, clock),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(Exists(paths.database()));
  EXPECT_TRUE(Exists(paths.root_key));
  EXPECT_TRUE(Exists(paths.init_marker()));
}

TEST(DeploymentCrashTest, ADatabaseHoldingACaseIsNeverRemoved) {
  TempDir dir;
  crypto::SodiumRandom random;
  SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(dir.path() + "/data", "");
  ASSERT_OK(InitDeployment(paths, CheapDev(), random, clock));
  {
    auto opened = Deployment::Open(paths, random);
    ASSERT_OK(opened.status());
    ASSERT_OK((*opened)->store().Write([&](storage::Transaction& tx) -> absl::Status {
      auto admin = tx.accounts().FindByUsername("admin");
      if (!admin.ok()) return admin.status();
      storage::CaseRecord c;
      c.id = "case-1";
      c.school_id = "demo-school";
      c.owner_id = admin->id;
      c.incident_date = "2026-11-01";
      return tx.cases().Insert(c);
    }));
  }
  MarkIncomplete(paths);
  EXPECT_THAT(InitDeployment(paths, CheapDev(), random, clock),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  for (const std::string& f : {paths.database(), paths.keyring(), paths.root_key,
                               paths.init_marker(), paths.initial_admin()}) {
    EXPECT_TRUE(Exists(f)) << f;
  }
  // Without the marker the deployment is whole again, case and all.
  ASSERT_EQ(::unlink(paths.init_marker().c_str()), 0);
  auto opened = Deployment::Open(paths, random);
  ASSERT_OK(opened.status());
  int64_t cases = 0;
  ASSERT_OK((*opened)->store().Read([&](storage::Transaction& tx) {
    auto n = tx.cases().Count();
    if (n.ok()) cases = *n;
    return n.status();
  }));
  EXPECT_EQ(cases, 1);
}

TEST(DeploymentCrashTest, AnEmptyIncompleteDeploymentIsReplaced) {
  TempDir dir;
  crypto::SodiumRandom random;
  SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(dir.path() + "/data", "");
  ASSERT_OK(InitDeployment(paths, CheapDev(), random, clock));
  const std::string old_admin = testing::ReadFileBytes(paths.initial_admin());
  MarkIncomplete(paths);
  // A keyring temp file a killed write left behind goes too.
  ASSERT_OK(WritePrivateFile(paths.keyring() + ".tmp-0123456789abcdef", "torn"));
  ASSERT_OK(InitDeployment(paths, CheapDev(), random, clock));
  EXPECT_FALSE(Exists(paths.keyring() + ".tmp-0123456789abcdef"));
  EXPECT_NE(testing::ReadFileBytes(paths.initial_admin()), old_admin);  // a new deployment
  ExpectComplete(paths, random);
}

TEST(DeploymentCrashTest, InitRefusesARootKeyItDidNotCreate) {
  TempDir dir;
  crypto::SodiumRandom random;
  SystemClock clock;
  const DeploymentPaths paths = DeploymentPaths::For(dir.path() + "/data", "");
  ASSERT_EQ(::mkdir(paths.data_dir.c_str(), 0700), 0);
  ASSERT_OK(WritePrivateFile(paths.root_key, std::string(32, 'k')));
  EXPECT_THAT(InitDeployment(paths, CheapDev(), random, clock),
              testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(Exists(paths.init_marker()));
  EXPECT_TRUE(Exists(paths.root_key));
}

}  // namespace
}  // namespace casevault::server
