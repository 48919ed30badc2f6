#include "client/connection.h"

#include <fstream>
#include <map>

#include "client/client_fakes.h"
#include "client/test_tls_fixtures.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::TempDir;
using testing::MapEnv;

const char* const kFakePem = testing::kTestCaPem;

TEST(ConnectionTest, HostOfTarget) {
  EXPECT_EQ(*HostOfTarget("localhost:7443"), "localhost");
  EXPECT_EQ(*HostOfTarget("10.0.0.5:1"), "10.0.0.5");
  EXPECT_EQ(*HostOfTarget("[::1]:65535"), "::1");
  for (const char* bad : {"localhost", ":7443", "host:", "host:0", "host:65536", "host:+1",
                          "host:12a", "::1:7443", "[::1]7443", "a b:1", "dns:///h:1"}) {
    absl::StatusOr<std::string> host = HostOfTarget(bad);
    EXPECT_FALSE(host.ok()) << bad;
    EXPECT_EQ(ExitCodeOf(host.status()), ExitCode::kUsage) << bad;
  }
}

TEST(ConnectionTest, LoopbackHosts) {
  for (const char* host : {"localhost", "LOCALHOST", "127.0.0.1", "127.1.2.3", "::1"}) {
    EXPECT_TRUE(IsLoopbackHost(host)) << host;
  }
  for (const char* host : {"10.0.0.1", "0.0.0.0", "::", "example.org", "localhost.example.org",
                           "128.0.0.1", "::2", "", "127.0.0.1.example.org"}) {
    EXPECT_FALSE(IsLoopbackHost(host)) << host;
  }
}

class ResolveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::ofstream(dir_.File("ca.pem")) << kFakePem;
    std::ofstream(dir_.File("env-ca.pem")) << kFakePem;
    std::ofstream(dir_.File("not-pem.txt")) << "hello";
    std::ofstream(dir_.File("corrupt.pem"))
        << "-----BEGIN CERTIFICATE-----\nTUlJ\n-----END CERTIFICATE-----\n";
    std::string truncated = kFakePem;
    std::ofstream(dir_.File("truncated.pem")) << truncated.substr(0, truncated.size() / 2);
  }
  absl::StatusOr<Connection> Resolve(const ConnectionFlags& flags,
                                     const std::optional<Session>& session = std::nullopt) {
    return ResolveConnection(flags, session, MapEnv(&vars_));
  }
  TempDir dir_;
  std::map<std::string, std::string> vars_;
};

TEST_F(ResolveTest, InsecureLoopbackIsRefusedForOtherHosts) {
  ConnectionFlags flags;
  flags.insecure_loopback = true;
  for (const char* server : {"example.org:7443", "10.1.2.3:7443", "[2001:db8::1]:7443",
                             "0.0.0.0:7443"}) {
    flags.server = server;
    absl::StatusOr<Connection> c = Resolve(flags);
    ASSERT_FALSE(c.ok()) << server;
    EXPECT_EQ(ExitCodeOf(c.status()), ExitCode::kUsage) << server;
  }
  for (const char* server : {"localhost:7443", "127.0.0.1:1", "[::1]:7443"}) {
    flags.server = server;
    ASSERT_OK_AND_ASSIGN(Connection c, Resolve(flags));
    EXPECT_TRUE(c.insecure_loopback);
    EXPECT_TRUE(c.ca_pem.empty());
  }
  // The default target is loopback too.
  flags.server = "";
  ASSERT_OK_AND_ASSIGN(Connection c, Resolve(flags));
  EXPECT_EQ(c.target, "localhost:7443");
  // A session for a remote server makes the default remote: refused.
  Session remote;
  remote.server = "school.example.org:7443";
  EXPECT_EQ(ExitCodeOf(Resolve(flags, remote).status()), ExitCode::kUsage);
}

TEST_F(ResolveTest, InsecureLoopbackExcludesAnExplicitCa) {
  ConnectionFlags flags;
  flags.insecure_loopback = true;
  flags.ca_path = dir_.File("ca.pem");
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kUsage);
}

TEST_F(ResolveTest, ServerPrecedenceFlagSessionEnvDefault) {
  ConnectionFlags flags;
  flags.ca_path = dir_.File("ca.pem");
  EXPECT_EQ(Resolve(flags)->target, "localhost:7443");
  vars_["CASEVAULT_SERVER"] = "env.test:1";
  EXPECT_EQ(Resolve(flags)->target, "env.test:1");
  Session session;
  session.server = "session.test:2";
  EXPECT_EQ(Resolve(flags, session)->target, "session.test:2");
  flags.server = "flag.test:3";
  EXPECT_EQ(Resolve(flags, session)->target, "flag.test:3");
}

TEST_F(ResolveTest, CaPrecedenceFlagEnvSession) {
  Session session;
  session.server = "h.test:1";
  session.ca_path = dir_.File("ca.pem");
  ConnectionFlags flags;
  EXPECT_EQ(Resolve(flags, session)->ca_path, dir_.File("ca.pem"));
  vars_["CASEVAULT_CA"] = dir_.File("env-ca.pem");
  EXPECT_EQ(Resolve(flags, session)->ca_path, dir_.File("env-ca.pem"));
  flags.ca_path = dir_.File("ca.pem");
  ASSERT_OK_AND_ASSIGN(Connection c, Resolve(flags, session));
  EXPECT_EQ(c.ca_path, dir_.File("ca.pem"));
  EXPECT_EQ(c.ca_pem, kFakePem);
  EXPECT_FALSE(c.insecure_loopback);
}

TEST_F(ResolveTest, CaProblemsAreTlsErrors) {
  ConnectionFlags flags;
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);  // none given
  flags.ca_path = dir_.File("missing.pem");
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);
  flags.ca_path = dir_.File("not-pem.txt");
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);
  flags.ca_path = dir_.path();
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);
  flags.ca_path = dir_.File("corrupt.pem");
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);
  flags.ca_path = dir_.File("truncated.pem");
  EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kTls);
}

TEST_F(ResolveTest, TimeoutMustBeSane) {
  ConnectionFlags flags;
  flags.ca_path = dir_.File("ca.pem");
  for (double bad : {0.0, -1.0, 3601.0}) {
    flags.timeout_seconds = bad;
    EXPECT_EQ(ExitCodeOf(Resolve(flags).status()), ExitCode::kUsage) << bad;
  }
  flags.timeout_seconds = 0.5;
  EXPECT_EQ(Resolve(flags)->timeout_seconds, 0.5);
}

}  // namespace
}  // namespace casevault::client
