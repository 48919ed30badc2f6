// The fixture of the routing scenarios (routing_*_test.cc): one real
// deployment per test, the generated stubs over TLS, one session per
// account, thin wrappers around each RPC, and the auditor's export checked
// with the real `casevault` binary.
#ifndef CASEVAULT_TESTS_INTEGRATION_ROUTING_FIXTURE_H_
#define CASEVAULT_TESTS_INTEGRATION_ROUTING_FIXTURE_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "casevault/v1/audit.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "gtest/gtest.h"
#include "harness.h"
#include "routing_audit.h"

namespace casevault::testing {

// Well-formed ids that name nothing.
inline constexpr char kNoSuchCase[] = "0123456789abcdef01234567";
inline constexpr char kNoSuchStep[] = "fedcba9876543210fedcba98";
inline constexpr char kNoSuchConsent[] = "00112233445566778899aabb";

// The policy's reason code in the status's google.rpc.ErrorInfo, or "".
std::string ErrorInfoReason(const grpc::Status& s);

bool Has(const std::vector<std::string>& ids, const std::string& id);

class RoutingScenarioTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // The session of `user`, signed in on first use.
  const std::string& Token(const std::string& user);

  // CaseService. The wrappers with a `version` send it as the case version.
  v1::Case File(const std::string& user, const v1::FileCaseRequest& req);  // must succeed
  grpc::Status TryFile(const std::string& user, const v1::FileCaseRequest& req,
                       v1::Case* out = nullptr);
  grpc::Status Get(const std::string& user, const std::string& id,
                   v1::Case* out = nullptr);
  v1::Case Read(const std::string& user, const std::string& id);  // must succeed
  // Every page of ListCases with `req`'s filters (the call must succeed).
  std::vector<std::string> ListIds(const std::string& user,
                                   v1::ListCasesRequest req = {});
  grpc::Status ListStatus(const std::string& user);
  grpc::Status Note(const std::string& user, const std::string& id,
                    const std::string& text);
  grpc::Status Escalate(const std::string& user, const std::string& id,
                        int64_t version, v1::EscalationReason reason,
                        v1::CaseState* out = nullptr);
  grpc::Status Assign(const std::string& user, const std::string& id,
                      int64_t version, const std::string& to,
                      v1::CaseState* out = nullptr);
  grpc::Status Accept(const std::string& user, const std::string& id,
                      int64_t version, v1::CaseState* out = nullptr);
  grpc::Status AddParticipant(const std::string& user, const std::string& id,
                              int64_t version, const std::string& username,
                              v1::CaseState* out = nullptr);
  grpc::Status Implicate(const std::string& user, const std::string& id,
                         int64_t version, const std::string& username,
                         v1::CaseState* out = nullptr);
  grpc::Status RemoveImplicated(const std::string& user, const std::string& id,
                                int64_t version, const std::string& username,
                                v1::CaseState* out = nullptr);
  grpc::Status Resolve(const std::string& user, const std::string& id,
                       int64_t version, v1::CaseState* out = nullptr);
  grpc::Status Close(const std::string& user, const std::string& id,
                     int64_t version, v1::ClosureReason reason,
                     v1::CaseState* out = nullptr);
  grpc::Status Approve(const std::string& user, const std::string& id,
                       int64_t version, v1::CaseState* out = nullptr);
  grpc::Status Reopen(const std::string& user, const std::string& id,
                      int64_t version, v1::CaseState* out = nullptr);

  // StepService.
  grpc::Status AddStep(const std::string& user, const std::string& case_id,
                       v1::StepKind kind, const std::string& owner,
                       const std::string& due, v1::Step* out = nullptr);
  grpc::Status AddExternalStep(const std::string& user,
                               const std::string& case_id, v1::StepKind kind,
                               const std::string& party, const std::string& due,
                               v1::Step* out = nullptr);
  grpc::Status UpdateStep(const std::string& user,
                          const v1::UpdateStepRequest& req,
                          v1::Step* out = nullptr);
  grpc::Status CompleteStep(const std::string& user, const std::string& step_id,
                            int64_t version, const std::string& outcome,
                            v1::Step* out = nullptr);
  // Every page of ListSteps (case_id "" for every case); the ids in `ids`.
  grpc::Status ListSteps(const std::string& user, const std::string& case_id,
                         std::vector<std::string>* ids = nullptr);

  // ConsentService.
  grpc::Status RecordConsent(const std::string& user,
                             const v1::RecordConsentRequest& req,
                             v1::Consent* out = nullptr);
  grpc::Status WithdrawConsent(const std::string& user,
                               const std::string& consent_id,
                               v1::Consent* out = nullptr);
  grpc::Status RecordOverride(const std::string& user,
                              const v1::RecordOverrideRequest& req,
                              v1::ConsentOverride* out = nullptr);

  // The case's pseudonymous reference in the log (asked by the admin).
  std::string CaseRef(const std::string& case_id);

  // Runs the real `casevault ARGS` signed in as `user` (own session file).
  CliResult Cli(const std::string& user, const std::string& args);

  // `casevault audit export` as the auditor, then `casevault audit verify`
  // with the verifier key `casevaultd init` wrote (both must exit 0); the
  // export must not contain any of `forbidden`. Returns its entries.
  std::vector<AuditRow> ExportAndVerify(const std::vector<std::string>& forbidden);

  Deployment d_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::StepService::Stub> steps_;
  std::unique_ptr<v1::ConsentService::Stub> consents_;
  std::unique_ptr<v1::AuditService::Stub> audit_;

 private:
  std::map<std::string, std::string> tokens_;
  std::set<std::string> cli_sessions_;
  int exports_ = 0;
};

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_ROUTING_FIXTURE_H_
