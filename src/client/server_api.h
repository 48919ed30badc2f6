// The casevault API as the client's commands see it: one method per RPC,
// failures already turned into client failures (error_report.h). The real
// implementation talks gRPC over TLS (grpc_server_api.h); command tests use
// a fake.
#ifndef CASEVAULT_CLIENT_SERVER_API_H_
#define CASEVAULT_CLIENT_SERVER_API_H_

#include <functional>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "casevault/v1/account.pb.h"
#include "casevault/v1/audit.pb.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"

namespace casevault::client {

// Receives the chunks of a server stream one at a time, as they arrive. A
// failure it returns ends the call (the stream is cancelled) and is
// returned by the call.
using ExportChunkHandler = std::function<absl::Status(const v1::ExportLogChunk& chunk)>;

class ServerApi {
 public:
  virtual ~ServerApi() = default;

  virtual absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& request) = 0;
  virtual absl::StatusOr<v1::LogoutResponse> Logout(const v1::LogoutRequest& request) = 0;
  virtual absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& request) = 0;

  virtual absl::StatusOr<v1::Case> FileCase(const v1::FileCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::Case> GetCase(const v1::GetCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::ListCasesResponse> ListCases(
      const v1::ListCasesRequest& request) = 0;
  virtual absl::StatusOr<v1::Note> AddNote(const v1::AddNoteRequest& request) = 0;
  // Routing and lifecycle: each returns where the case stands afterwards.
  virtual absl::StatusOr<v1::CaseState> EscalateCase(const v1::EscalateCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> AssignCase(const v1::AssignCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> AcceptCase(const v1::AcceptCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> AddParticipant(
      const v1::AddParticipantRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> AddImplicated(const v1::AddImplicatedRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> RemoveImplicated(
      const v1::RemoveImplicatedRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> ResolveCase(const v1::ResolveCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> CloseCase(const v1::CloseCaseRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> ApproveClosure(
      const v1::ApproveClosureRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseState> ReopenCase(const v1::ReopenCaseRequest& request) = 0;

  virtual absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& request) = 0;
  virtual absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& request) = 0;
  virtual absl::StatusOr<v1::Step> CompleteStep(const v1::CompleteStepRequest& request) = 0;
  virtual absl::StatusOr<v1::ListStepsResponse> ListSteps(
      const v1::ListStepsRequest& request) = 0;

  virtual absl::StatusOr<v1::Consent> RecordConsent(const v1::RecordConsentRequest& request) = 0;
  virtual absl::StatusOr<v1::Consent> WithdrawConsent(
      const v1::WithdrawConsentRequest& request) = 0;
  virtual absl::StatusOr<v1::ConsentOverride> RecordOverride(
      const v1::RecordOverrideRequest& request) = 0;

  virtual absl::StatusOr<v1::Account> CreateAccount(const v1::CreateAccountRequest& request) = 0;
  virtual absl::StatusOr<v1::ListAccountsResponse> ListAccounts(
      const v1::ListAccountsRequest& request) = 0;
  virtual absl::StatusOr<v1::Account> DisableAccount(
      const v1::DisableAccountRequest& request) = 0;
  virtual absl::StatusOr<v1::Account> ResetPassword(const v1::ResetPasswordRequest& request) = 0;
  virtual absl::StatusOr<v1::Account> UnlockAccount(const v1::UnlockAccountRequest& request) = 0;

  virtual absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(
      const v1::GetCheckpointRequest& request) = 0;
  virtual absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request) = 0;
  virtual absl::StatusOr<v1::CaseReference> LookupCaseReference(
      const v1::LookupCaseReferenceRequest& request) = 0;
  // The whole stream, each chunk handed to `on_chunk` as it arrives (never
  // held). There is no deadline for the whole stream, which may be long; the
  // call fails (as an unavailable server) when no chunk arrives for the
  // per-call timeout.
  virtual absl::Status ExportLog(const v1::ExportLogRequest& request,
                                 const ExportChunkHandler& on_chunk) = 0;
};

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_SERVER_API_H_
