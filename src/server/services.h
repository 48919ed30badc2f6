// The gRPC services. Each handler: translate the request, call the domain,
// map the status (call_scope.h). No access decision is made here; each
// handler names its method, whose row in the RPC policy table
// (rpc_policy.h) says which action the domain decides for it.
#ifndef CASEVAULT_SERVER_SERVICES_H_
#define CASEVAULT_SERVER_SERVICES_H_

#include <string_view>

#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/audit.grpc.pb.h"
#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "common/random.h"
#include "domain/account_registry.h"
#include "domain/audit_desk.h"
#include "domain/authenticator.h"
#include "domain/case_desk.h"
#include "domain/case_workflow.h"
#include "domain/coordination_desk.h"

namespace casevault::server {

class AuthServiceImpl final : public v1::AuthService::Service {
 public:
  AuthServiceImpl(domain::Authenticator& auth, RandomSource& random)
      : auth_(auth), random_(random) {}
  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::LoginResponse* response) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  domain::Authenticator& auth_;
  RandomSource& random_;
};

class AccountServiceImpl final : public v1::AccountService::Service {
 public:
  AccountServiceImpl(domain::Authenticator& auth, domain::AccountRegistry& accounts,
                     RandomSource& random)
      : auth_(auth), accounts_(accounts), random_(random) {}
  grpc::Status CreateAccount(grpc::ServerContext* context,
                             const v1::CreateAccountRequest* request,
                             v1::Account* response) override;
  grpc::Status ListAccounts(grpc::ServerContext* context,
                            const v1::ListAccountsRequest* request,
                            v1::ListAccountsResponse* response) override;
  grpc::Status DisableAccount(grpc::ServerContext* context,
                              const v1::DisableAccountRequest* request,
                              v1::Account* response) override;
  grpc::Status ResetPassword(grpc::ServerContext* context,
                             const v1::ResetPasswordRequest* request,
                             v1::Account* response) override;
  grpc::Status UnlockAccount(grpc::ServerContext* context,
                             const v1::UnlockAccountRequest* request,
                             v1::Account* response) override;

 private:
  domain::Authenticator& auth_;
  domain::AccountRegistry& accounts_;
  RandomSource& random_;
};

class CaseServiceImpl final : public v1::CaseService::Service {
 public:
  CaseServiceImpl(domain::Authenticator& auth, domain::CaseDesk& desk,
                  domain::CaseWorkflow& workflow, RandomSource& random)
      : auth_(auth), desk_(desk), workflow_(workflow), random_(random) {}
  grpc::Status FileCase(grpc::ServerContext* context,
                        const v1::FileCaseRequest* request,
                        v1::Case* response) override;
  grpc::Status GetCase(grpc::ServerContext* context,
                       const v1::GetCaseRequest* request,
                       v1::Case* response) override;
  grpc::Status ListCases(grpc::ServerContext* context,
                         const v1::ListCasesRequest* request,
                         v1::ListCasesResponse* response) override;
  grpc::Status AddNote(grpc::ServerContext* context,
                       const v1::AddNoteRequest* request,
                       v1::Note* response) override;

  // Routing and lifecycle: each answers the case's state after the change.
  grpc::Status EscalateCase(grpc::ServerContext* context,
                            const v1::EscalateCaseRequest* request,
                            v1::CaseState* response) override;
  grpc::Status AssignCase(grpc::ServerContext* context,
                          const v1::AssignCaseRequest* request,
                          v1::CaseState* response) override;
  grpc::Status AcceptCase(grpc::ServerContext* context,
                          const v1::AcceptCaseRequest* request,
                          v1::CaseState* response) override;
  grpc::Status AddParticipant(grpc::ServerContext* context,
                              const v1::AddParticipantRequest* request,
                              v1::CaseState* response) override;
  grpc::Status AddImplicated(grpc::ServerContext* context,
                             const v1::AddImplicatedRequest* request,
                             v1::CaseState* response) override;
  grpc::Status RemoveImplicated(grpc::ServerContext* context,
                                const v1::RemoveImplicatedRequest* request,
                                v1::CaseState* response) override;
  grpc::Status ResolveCase(grpc::ServerContext* context,
                           const v1::ResolveCaseRequest* request,
                           v1::CaseState* response) override;
  grpc::Status CloseCase(grpc::ServerContext* context,
                         const v1::CloseCaseRequest* request,
                         v1::CaseState* response) override;
  grpc::Status ApproveClosure(grpc::ServerContext* context,
                              const v1::ApproveClosureRequest* request,
                              v1::CaseState* response) override;
  grpc::Status ReopenCase(grpc::ServerContext* context,
                          const v1::ReopenCaseRequest* request,
                          v1::CaseState* response) override;

 private:
  using WorkflowOp = absl::StatusOr<domain::CaseState> (domain::CaseWorkflow::*)(
      const domain::Caller&, const domain::CaseChange&);
  // The one shape of every routing and lifecycle handler.
  template <typename Request>
  grpc::Status Change(grpc::ServerContext* context, std::string_view method,
                      WorkflowOp op, const Request& request,
                      v1::CaseState* response);

  domain::Authenticator& auth_;
  domain::CaseDesk& desk_;
  domain::CaseWorkflow& workflow_;
  RandomSource& random_;
};

// Coordination steps (coordination.proto).
class StepServiceImpl final : public v1::StepService::Service {
 public:
  StepServiceImpl(domain::Authenticator& auth, domain::CoordinationDesk& desk,
                  RandomSource& random)
      : auth_(auth), desk_(desk), random_(random) {}
  grpc::Status AddStep(grpc::ServerContext* context,
                       const v1::AddStepRequest* request,
                       v1::Step* response) override;
  grpc::Status UpdateStep(grpc::ServerContext* context,
                          const v1::UpdateStepRequest* request,
                          v1::Step* response) override;
  grpc::Status CompleteStep(grpc::ServerContext* context,
                            const v1::CompleteStepRequest* request,
                            v1::Step* response) override;
  grpc::Status ListSteps(grpc::ServerContext* context,
                         const v1::ListStepsRequest* request,
                         v1::ListStepsResponse* response) override;

 private:
  domain::Authenticator& auth_;
  domain::CoordinationDesk& desk_;
  RandomSource& random_;
};

// Consent and overrides for referrals (coordination.proto).
class ConsentServiceImpl final : public v1::ConsentService::Service {
 public:
  ConsentServiceImpl(domain::Authenticator& auth,
                     domain::CoordinationDesk& desk, RandomSource& random)
      : auth_(auth), desk_(desk), random_(random) {}
  grpc::Status RecordConsent(grpc::ServerContext* context,
                             const v1::RecordConsentRequest* request,
                             v1::Consent* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::WithdrawConsentRequest* request,
                               v1::Consent* response) override;
  grpc::Status RecordOverride(grpc::ServerContext* context,
                              const v1::RecordOverrideRequest* request,
                              v1::ConsentOverride* response) override;

 private:
  domain::Authenticator& auth_;
  domain::CoordinationDesk& desk_;
  RandomSource& random_;
};

class AuditServiceImpl final : public v1::AuditService::Service {
 public:
  AuditServiceImpl(domain::Authenticator& auth, domain::AuditDesk& desk,
                   RandomSource& random)
      : auth_(auth), desk_(desk), random_(random) {}
  grpc::Status GetCheckpoint(grpc::ServerContext* context,
                             const v1::GetCheckpointRequest* request,
                             v1::SignedCheckpoint* response) override;
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::InclusionProof* response) override;
  grpc::Status GetConsistencyProof(
      grpc::ServerContext* context,
      const v1::GetConsistencyProofRequest* request,
      v1::ConsistencyProof* response) override;
  // Streams the export as the domain produces it: one chunk in memory at a
  // time; a client that stops reading holds the stream (flow control).
  grpc::Status ExportLog(grpc::ServerContext* context,
                         const v1::ExportLogRequest* request,
                         grpc::ServerWriter<v1::ExportLogChunk>* writer) override;
  grpc::Status LookupCaseReference(
      grpc::ServerContext* context,
      const v1::LookupCaseReferenceRequest* request,
      v1::CaseReference* response) override;

 private:
  domain::Authenticator& auth_;
  domain::AuditDesk& desk_;
  RandomSource& random_;
};

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_SERVICES_H_
