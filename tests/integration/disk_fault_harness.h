// The in-process casevault server over a disk that fails on demand: the
// deployment's SQLCipher file is opened through the fault-injecting SQLite
// VFS (tests/storage/fault_vfs.h), and a scenario of real RPCs over TLS
// (sign in, FileCase, AddNote, GetCase, ListCases) records what the server
// acknowledged, so that a later check can prove none of it was lost.
#ifndef CASEVAULT_TESTS_INTEGRATION_DISK_FAULT_HARNESS_H_
#define CASEVAULT_TESTS_INTEGRATION_DISK_FAULT_HARNESS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "common/clock.h"
#include "crypto/sodium_random.h"
#include "server/deployment.h"
#include "server/server.h"
#include "support/temp_dir.h"

namespace casevault::testing {

// What the server acknowledged (answered OK) in a scenario.
struct Acknowledged {
  std::map<std::string, std::vector<std::string>> notes_by_case;  // case id
};

// A copy of one --dev deployment (initialised once per process, the
// scenario run on it once), so each run starts from the same bytes.
class FaultyDeployment {
 public:
  FaultyDeployment();
  ~FaultyDeployment();

  // Starts the server; its store goes through the fault VFS unless
  // `faulty` is false. Fails the test if it does not start.
  void Start(bool faulty = true);
  void Stop();
  bool running() const { return server_ != nullptr; }
  storage::Store& store() { return server_->store(); }
  std::shared_ptr<grpc::Channel> Channel() const;
  const std::string& password(const std::string& username) const;
  const std::string& data_dir() const { return paths_.data_dir; }
  // `PRAGMA integrity_check` of the running server's file: "ok" when intact.
  std::string IntegrityCheck();

  // What the deployment this one copies had acknowledged.
  const Acknowledged& template_acked() const;

  int disk_full_retry_ms = 50;

 private:
  TempDir dir_;
  server::DeploymentPaths paths_;
  crypto::SodiumRandom random_;
  SystemClock clock_;
  std::unique_ptr<server::CasevaultServer> server_;
};

// One RPC's answer, for the checks.
struct Answer {
  std::string rpc;
  grpc::Status status;
};

// Sign in as "counselor", file a case marked `marker`, add a note to it,
// show it and list cases. Later steps are skipped when what they need
// failed. Adds what was answered OK to `acked`.
std::vector<Answer> RunScenario(FaultyDeployment& d, const std::string& marker,
                                Acknowledged& acked);
std::vector<Answer> RunScenarioOn(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& password,
                                  const std::string& marker,
                                  Acknowledged& acked);

// Empty when `status` is a clean failure a client may see from a disk
// fault: UNAVAILABLE or INTERNAL with one of the server's fixed sentences
// (no path, no SQL, no SQLite text); otherwise what is wrong.
std::string CheckCleanFailure(const grpc::Status& status,
                              const std::string& data_dir);

// Every acknowledged case is shown with every acknowledged note and is in
// the case list. Empty when so; otherwise what is missing.
std::string CheckNothingLost(FaultyDeployment& d, const Acknowledged& acked);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_DISK_FAULT_HARNESS_H_
