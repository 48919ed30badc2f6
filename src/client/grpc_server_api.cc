#include "client/grpc_server_api.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/audit.grpc.pb.h"
#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "client/error_report.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace casevault::client {
namespace {

// Large enough for a case with its notes; the server sets its own limit.
constexpr int kMaxReceiveBytes = 16 * 1024 * 1024;

// Cancels a call when it has not been kicked for `idle` (a stream that
// stopped moving), from a thread of its own.
class IdleWatchdog {
 public:
  IdleWatchdog(grpc::ClientContext* context, std::chrono::milliseconds idle)
      : context_(context), idle_(idle), deadline_(Clock::now() + idle),
        thread_([this] { Watch(); }) {}
  ~IdleWatchdog() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  void Kick() {
    std::lock_guard<std::mutex> lock(mu_);
    deadline_ = Clock::now() + idle_;
  }
  bool fired() {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_;
  }

 private:
  using Clock = std::chrono::steady_clock;
  void Watch() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!done_) {
      if (Clock::now() >= deadline_) {
        fired_ = true;
        context_->TryCancel();
        return;
      }
      cv_.wait_until(lock, deadline_);
    }
  }

  grpc::ClientContext* const context_;
  const std::chrono::milliseconds idle_;
  std::mutex mu_;
  std::condition_variable cv_;
  Clock::time_point deadline_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;  // last: starts once the rest is ready
};

class GrpcServerApi final : public ServerApi {
 public:
  GrpcServerApi(const Connection& connection, std::string token)
      : target_(connection.target),
        token_(std::move(token)),
        timeout_(std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::duration<double>(connection.timeout_seconds))) {
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (connection.insecure_loopback) {
      credentials = grpc::InsecureChannelCredentials();
    } else {
      grpc::SslCredentialsOptions options;
      options.pem_root_certs = connection.ca_pem;
      credentials = grpc::SslCredentials(options);
    }
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxReceiveBytes);
    channel_ = grpc::CreateCustomChannel(target_, credentials, args);
    auth_ = v1::AuthService::NewStub(channel_);
    accounts_ = v1::AccountService::NewStub(channel_);
    cases_ = v1::CaseService::NewStub(channel_);
    audit_ = v1::AuditService::NewStub(channel_);
    steps_ = v1::StepService::NewStub(channel_);
    consents_ = v1::ConsentService::NewStub(channel_);
  }

  absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& request) override {
    return Call<v1::LoginResponse>(
        [&](grpc::ClientContext* c, auto* r) { return auth_->Login(c, request, r); });
  }
  absl::StatusOr<v1::LogoutResponse> Logout(const v1::LogoutRequest& request) override {
    return Call<v1::LogoutResponse>(
        [&](grpc::ClientContext* c, auto* r) { return auth_->Logout(c, request, r); });
  }
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest& request) override {
    return Call<v1::WhoAmIResponse>(
        [&](grpc::ClientContext* c, auto* r) { return auth_->WhoAmI(c, request, r); });
  }
  absl::StatusOr<v1::Case> FileCase(const v1::FileCaseRequest& request) override {
    return Call<v1::Case>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->FileCase(c, request, r); });
  }
  absl::StatusOr<v1::Case> GetCase(const v1::GetCaseRequest& request) override {
    return Call<v1::Case>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->GetCase(c, request, r); });
  }
  absl::StatusOr<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& request) override {
    return Call<v1::ListCasesResponse>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->ListCases(c, request, r); });
  }
  absl::StatusOr<v1::Note> AddNote(const v1::AddNoteRequest& request) override {
    return Call<v1::Note>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->AddNote(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> EscalateCase(const v1::EscalateCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->EscalateCase(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> AssignCase(const v1::AssignCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->AssignCase(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> AcceptCase(const v1::AcceptCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->AcceptCase(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> AddParticipant(const v1::AddParticipantRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->AddParticipant(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> AddImplicated(const v1::AddImplicatedRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->AddImplicated(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> RemoveImplicated(const v1::RemoveImplicatedRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->RemoveImplicated(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> ResolveCase(const v1::ResolveCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->ResolveCase(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> CloseCase(const v1::CloseCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->CloseCase(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> ApproveClosure(const v1::ApproveClosureRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->ApproveClosure(c, request, r); });
  }
  absl::StatusOr<v1::CaseState> ReopenCase(const v1::ReopenCaseRequest& request) override {
    return Call<v1::CaseState>(
        [&](grpc::ClientContext* c, auto* r) { return cases_->ReopenCase(c, request, r); });
  }
  absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& request) override {
    return Call<v1::Step>(
        [&](grpc::ClientContext* c, auto* r) { return steps_->AddStep(c, request, r); });
  }
  absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& request) override {
    return Call<v1::Step>(
        [&](grpc::ClientContext* c, auto* r) { return steps_->UpdateStep(c, request, r); });
  }
  absl::StatusOr<v1::Step> CompleteStep(const v1::CompleteStepRequest& request) override {
    return Call<v1::Step>(
        [&](grpc::ClientContext* c, auto* r) { return steps_->CompleteStep(c, request, r); });
  }
  absl::StatusOr<v1::ListStepsResponse> ListSteps(const v1::ListStepsRequest& request) override {
    return Call<v1::ListStepsResponse>(
        [&](grpc::ClientContext* c, auto* r) { return steps_->ListSteps(c, request, r); });
  }
  absl::StatusOr<v1::Consent> RecordConsent(const v1::RecordConsentRequest& request) override {
    return Call<v1::Consent>(
        [&](grpc::ClientContext* c, auto* r) { return consents_->RecordConsent(c, request, r); });
  }
  absl::StatusOr<v1::Consent> WithdrawConsent(const v1::WithdrawConsentRequest& request) override {
    return Call<v1::Consent>(
        [&](grpc::ClientContext* c, auto* r) { return consents_->WithdrawConsent(c, request, r); });
  }
  absl::StatusOr<v1::ConsentOverride> RecordOverride(const v1::RecordOverrideRequest& request) override {
    return Call<v1::ConsentOverride>(
        [&](grpc::ClientContext* c, auto* r) { return consents_->RecordOverride(c, request, r); });
  }
  absl::StatusOr<v1::Account> CreateAccount(const v1::CreateAccountRequest& request) override {
    return Call<v1::Account>(
        [&](grpc::ClientContext* c, auto* r) { return accounts_->CreateAccount(c, request, r); });
  }
  absl::StatusOr<v1::ListAccountsResponse> ListAccounts(
      const v1::ListAccountsRequest& request) override {
    return Call<v1::ListAccountsResponse>(
        [&](grpc::ClientContext* c, auto* r) { return accounts_->ListAccounts(c, request, r); });
  }
  absl::StatusOr<v1::Account> DisableAccount(const v1::DisableAccountRequest& request) override {
    return Call<v1::Account>([&](grpc::ClientContext* c, auto* r) {
      return accounts_->DisableAccount(c, request, r);
    });
  }
  absl::StatusOr<v1::Account> ResetPassword(const v1::ResetPasswordRequest& request) override {
    return Call<v1::Account>(
        [&](grpc::ClientContext* c, auto* r) { return accounts_->ResetPassword(c, request, r); });
  }
  absl::StatusOr<v1::Account> UnlockAccount(const v1::UnlockAccountRequest& request) override {
    return Call<v1::Account>(
        [&](grpc::ClientContext* c, auto* r) { return accounts_->UnlockAccount(c, request, r); });
  }
  absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(
      const v1::GetCheckpointRequest& request) override {
    return Call<v1::SignedCheckpoint>(
        [&](grpc::ClientContext* c, auto* r) { return audit_->GetCheckpoint(c, request, r); });
  }
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& request) override {
    return Call<v1::InclusionProof>([&](grpc::ClientContext* c, auto* r) {
      return audit_->GetInclusionProof(c, request, r);
    });
  }
  absl::StatusOr<v1::CaseReference> LookupCaseReference(
      const v1::LookupCaseReferenceRequest& request) override {
    return Call<v1::CaseReference>([&](grpc::ClientContext* c, auto* r) {
      return audit_->LookupCaseReference(c, request, r);
    });
  }

  absl::Status ExportLog(const v1::ExportLogRequest& request,
                         const ExportChunkHandler& on_chunk) override {
    grpc::ClientContext context;
    if (!token_.empty()) context.AddMetadata("authorization", "Bearer " + token_);
    absl::Status handler_status;
    grpc::Status status;
    bool idle = false;
    {
      IdleWatchdog watchdog(&context, timeout_);
      std::unique_ptr<grpc::ClientReader<v1::ExportLogChunk>> reader =
          audit_->ExportLog(&context, request);
      v1::ExportLogChunk chunk;
      while (reader->Read(&chunk)) {
        watchdog.Kick();
        handler_status = on_chunk(chunk);
        if (!handler_status.ok()) {
          context.TryCancel();
          break;
        }
        watchdog.Kick();
      }
      status = reader->Finish();
      idle = watchdog.fired();
    }
    if (!handler_status.ok()) return handler_status;
    if (idle && !status.ok()) {
      return ClientError(ExitCode::kUnavailable,
                         absl::StrCat("cannot reach the server at ", target_,
                                      " (the export stalled: nothing arrived for ",
                                      timeout_.count() / 1000.0, " seconds)"));
    }
    if (!status.ok()) return FromGrpcStatus(status, target_);
    return absl::OkStatus();
  }

 private:
  // Runs one unary call with the deadline and the bearer token; maps the
  // failure through FromGrpcStatus.
  template <typename Response, typename Invoke>
  absl::StatusOr<Response> Call(Invoke invoke) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + timeout_);
    if (!token_.empty()) context.AddMetadata("authorization", "Bearer " + token_);
    Response response;
    const grpc::Status status = invoke(&context, &response);
    if (!status.ok()) return FromGrpcStatus(status, target_);
    return response;
  }

  const std::string target_;
  const std::string token_;
  const std::chrono::milliseconds timeout_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AuthService::Stub> auth_;
  std::unique_ptr<v1::AccountService::Stub> accounts_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::StepService::Stub> steps_;
  std::unique_ptr<v1::ConsentService::Stub> consents_;
};

}  // namespace

std::unique_ptr<ServerApi> NewGrpcServerApi(const Connection& connection, std::string token) {
  return std::make_unique<GrpcServerApi>(connection, std::move(token));
}

}  // namespace casevault::client
