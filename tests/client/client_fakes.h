// Fakes for the client's seams: a scripted terminal, a recording ServerApi,
// and an environment built from a map. No real personal data anywhere.
#ifndef CASEVAULT_TESTS_CLIENT_CLIENT_FAKES_H_
#define CASEVAULT_TESTS_CLIENT_CLIENT_FAKES_H_

#include <deque>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "client/commands.h"
#include "client/error_report.h"
#include "client/secret_input.h"
#include "client/server_api.h"

namespace casevault::client::testing {

class FakeTerminal final : public Terminal {
 public:
  explicit FakeTerminal(bool interactive = false) : interactive_(interactive) {}
  bool IsInteractive() override { return interactive_; }
  absl::StatusOr<std::string> ReadSecret(std::string_view prompt) override {
    prompts.emplace_back(prompt);
    ++secret_reads;
    if (!interactive_) return ClientError(ExitCode::kUsage, "no terminal");
    if (answers.empty()) return ClientError(ExitCode::kUsage, "input ended");
    std::string answer = answers.front();
    answers.pop_front();
    return answer;
  }
  absl::StatusOr<std::optional<std::string>> ReadLine(std::string_view prompt) override {
    prompts.emplace_back(prompt);
    if (!interactive_) return ClientError(ExitCode::kUsage, "no terminal");
    if (answers.empty()) return std::optional<std::string>();
    std::string answer = answers.front();
    answers.pop_front();
    return std::optional<std::string>(answer);
  }

  std::deque<std::string> answers;
  std::vector<std::string> prompts;
  int secret_reads = 0;

 private:
  bool interactive_;
};

// Records every request; answers with what the test put in, or `failure`.
class FakeServerApi final : public ServerApi {
 public:
  struct State {
    absl::Status failure;          // when not OK, every call fails with it
    std::vector<std::string> tokens_seen;
    std::vector<std::string> targets_seen;
    v1::LoginRequest login;
    v1::LoginResponse login_response;
    int logouts = 0;
    v1::WhoAmIResponse whoami;
    v1::FileCaseRequest filed;
    v1::Case case_response;
    v1::GetCaseRequest get;
    std::vector<v1::ListCasesRequest> list_requests;
    std::deque<v1::ListCasesResponse> list_responses;
    v1::AddNoteRequest note;
    // routing and lifecycle: the last request of each kind, and what they
    // all answer
    std::vector<std::string> calls;  // RPC names, in order
    v1::EscalateCaseRequest escalate;
    v1::AssignCaseRequest assign;
    v1::AcceptCaseRequest accept;
    v1::AddParticipantRequest add_participant;
    v1::AddImplicatedRequest add_implicated;
    v1::RemoveImplicatedRequest remove_implicated;
    v1::ResolveCaseRequest resolve;
    v1::CloseCaseRequest close;
    v1::ApproveClosureRequest approve_closure;
    v1::ReopenCaseRequest reopen;
    v1::CaseState state_response;
    // steps
    v1::AddStepRequest add_step;
    v1::UpdateStepRequest update_step;
    v1::CompleteStepRequest complete_step;
    v1::Step step_response;
    std::vector<v1::ListStepsRequest> step_list_requests;
    std::deque<v1::ListStepsResponse> step_list_responses;
    // consent
    v1::RecordConsentRequest record_consent;
    v1::WithdrawConsentRequest withdraw_consent;
    v1::RecordOverrideRequest record_override;
    v1::Consent consent_response;
    v1::ConsentOverride override_response;
    v1::CreateAccountRequest create;
    v1::ResetPasswordRequest reset;
    std::vector<v1::ListAccountsRequest> account_list_requests;
    std::deque<v1::ListAccountsResponse> account_list_responses;
    std::string disabled, unlocked;
    // audit
    v1::GetCheckpointRequest checkpoint_request;
    v1::SignedCheckpoint checkpoint;
    v1::GetInclusionProofRequest proof_request;
    v1::InclusionProof proof;
    v1::LookupCaseReferenceRequest case_ref_request;
    v1::CaseReference case_ref;
    v1::ExportLogRequest export_request;
    std::vector<v1::ExportLogChunk> export_chunks;  // streamed in order
    absl::Status export_end;                        // how the stream ends
    size_t export_chunks_taken = 0;                 // by the handler
  };

  explicit FakeServerApi(State* state) : state_(state) {}

  template <typename T>
  absl::StatusOr<T> Answer(T value) {
    if (!state_->failure.ok()) return state_->failure;
    return value;
  }

  absl::StatusOr<v1::LoginResponse> Login(const v1::LoginRequest& r) override {
    state_->login = r;
    return Answer(state_->login_response);
  }
  absl::StatusOr<v1::LogoutResponse> Logout(const v1::LogoutRequest&) override {
    ++state_->logouts;
    return Answer(v1::LogoutResponse());
  }
  absl::StatusOr<v1::WhoAmIResponse> WhoAmI(const v1::WhoAmIRequest&) override {
    return Answer(state_->whoami);
  }
  absl::StatusOr<v1::Case> FileCase(const v1::FileCaseRequest& r) override {
    state_->filed = r;
    return Answer(state_->case_response);
  }
  absl::StatusOr<v1::Case> GetCase(const v1::GetCaseRequest& r) override {
    state_->get = r;
    return Answer(state_->case_response);
  }
  absl::StatusOr<v1::ListCasesResponse> ListCases(const v1::ListCasesRequest& r) override {
    state_->list_requests.push_back(r);
    v1::ListCasesResponse response;
    if (!state_->list_responses.empty()) {
      response = state_->list_responses.front();
      state_->list_responses.pop_front();
    }
    return Answer(response);
  }
  absl::StatusOr<v1::Note> AddNote(const v1::AddNoteRequest& r) override {
    state_->note = r;
    v1::Note note;
    note.set_id("note-1");
    note.set_author("counselor-test");
    return Answer(note);
  }
  absl::StatusOr<v1::CaseState> EscalateCase(const v1::EscalateCaseRequest& r) override {
    state_->calls.push_back("EscalateCase");
    state_->escalate = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> AssignCase(const v1::AssignCaseRequest& r) override {
    state_->calls.push_back("AssignCase");
    state_->assign = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> AcceptCase(const v1::AcceptCaseRequest& r) override {
    state_->calls.push_back("AcceptCase");
    state_->accept = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> AddParticipant(const v1::AddParticipantRequest& r) override {
    state_->calls.push_back("AddParticipant");
    state_->add_participant = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> AddImplicated(const v1::AddImplicatedRequest& r) override {
    state_->calls.push_back("AddImplicated");
    state_->add_implicated = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> RemoveImplicated(const v1::RemoveImplicatedRequest& r) override {
    state_->calls.push_back("RemoveImplicated");
    state_->remove_implicated = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> ResolveCase(const v1::ResolveCaseRequest& r) override {
    state_->calls.push_back("ResolveCase");
    state_->resolve = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> CloseCase(const v1::CloseCaseRequest& r) override {
    state_->calls.push_back("CloseCase");
    state_->close = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> ApproveClosure(const v1::ApproveClosureRequest& r) override {
    state_->calls.push_back("ApproveClosure");
    state_->approve_closure = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::CaseState> ReopenCase(const v1::ReopenCaseRequest& r) override {
    state_->calls.push_back("ReopenCase");
    state_->reopen = r;
    return Answer(state_->state_response);
  }
  absl::StatusOr<v1::Step> AddStep(const v1::AddStepRequest& r) override {
    state_->calls.push_back("AddStep");
    state_->add_step = r;
    return Answer(state_->step_response);
  }
  absl::StatusOr<v1::Step> UpdateStep(const v1::UpdateStepRequest& r) override {
    state_->calls.push_back("UpdateStep");
    state_->update_step = r;
    return Answer(state_->step_response);
  }
  absl::StatusOr<v1::Step> CompleteStep(const v1::CompleteStepRequest& r) override {
    state_->calls.push_back("CompleteStep");
    state_->complete_step = r;
    return Answer(state_->step_response);
  }
  absl::StatusOr<v1::Consent> RecordConsent(const v1::RecordConsentRequest& r) override {
    state_->calls.push_back("RecordConsent");
    state_->record_consent = r;
    return Answer(state_->consent_response);
  }
  absl::StatusOr<v1::Consent> WithdrawConsent(const v1::WithdrawConsentRequest& r) override {
    state_->calls.push_back("WithdrawConsent");
    state_->withdraw_consent = r;
    return Answer(state_->consent_response);
  }
  absl::StatusOr<v1::ConsentOverride> RecordOverride(const v1::RecordOverrideRequest& r) override {
    state_->calls.push_back("RecordOverride");
    state_->record_override = r;
    return Answer(state_->override_response);
  }
  absl::StatusOr<v1::ListStepsResponse> ListSteps(const v1::ListStepsRequest& r) override {
    state_->calls.push_back("ListSteps");
    state_->step_list_requests.push_back(r);
    v1::ListStepsResponse response;
    if (!state_->step_list_responses.empty()) {
      response = state_->step_list_responses.front();
      state_->step_list_responses.pop_front();
    }
    return Answer(response);
  }
  absl::StatusOr<v1::Account> CreateAccount(const v1::CreateAccountRequest& r) override {
    state_->create = r;
    v1::Account account;
    account.set_username(r.username());
    account.set_role(r.role());
    account.set_unit_id(r.unit_id());
    return Answer(account);
  }
  absl::StatusOr<v1::ListAccountsResponse> ListAccounts(
      const v1::ListAccountsRequest& r) override {
    state_->account_list_requests.push_back(r);
    v1::ListAccountsResponse response;
    if (!state_->account_list_responses.empty()) {
      response = state_->account_list_responses.front();
      state_->account_list_responses.pop_front();
    }
    return Answer(response);
  }
  absl::StatusOr<v1::Account> DisableAccount(const v1::DisableAccountRequest& r) override {
    state_->disabled = r.username();
    v1::Account account;
    account.set_username(r.username());
    account.set_disabled(true);
    return Answer(account);
  }
  absl::StatusOr<v1::Account> ResetPassword(const v1::ResetPasswordRequest& r) override {
    state_->reset = r;
    v1::Account account;
    account.set_username(r.username());
    return Answer(account);
  }
  absl::StatusOr<v1::Account> UnlockAccount(const v1::UnlockAccountRequest& r) override {
    state_->unlocked = r.username();
    v1::Account account;
    account.set_username(r.username());
    return Answer(account);
  }
  absl::StatusOr<v1::SignedCheckpoint> GetCheckpoint(const v1::GetCheckpointRequest& r) override {
    state_->checkpoint_request = r;
    return Answer(state_->checkpoint);
  }
  absl::StatusOr<v1::InclusionProof> GetInclusionProof(
      const v1::GetInclusionProofRequest& r) override {
    state_->proof_request = r;
    return Answer(state_->proof);
  }
  absl::StatusOr<v1::CaseReference> LookupCaseReference(
      const v1::LookupCaseReferenceRequest& r) override {
    state_->case_ref_request = r;
    return Answer(state_->case_ref);
  }
  absl::Status ExportLog(const v1::ExportLogRequest& r,
                         const ExportChunkHandler& on_chunk) override {
    state_->export_request = r;
    if (!state_->failure.ok()) return state_->failure;
    for (const v1::ExportLogChunk& chunk : state_->export_chunks) {
      ++state_->export_chunks_taken;
      if (absl::Status s = on_chunk(chunk); !s.ok()) return s;
    }
    return state_->export_end;
  }

 private:
  State* state_;
};

// An EnvLookup over a map.
inline EnvLookup MapEnv(const std::map<std::string, std::string>* vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars->find(name);
    if (it == vars->end()) return std::nullopt;
    return it->second;
  };
}

// A fictional case with obviously synthetic content.
inline v1::Case SampleCase() {
  v1::Case c;
  c.set_id("case-0001");
  c.set_incident_type(v1::INCIDENT_TYPE_SEXUAL_ASSAULT);
  c.set_context(v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE);
  c.set_severity(v1::SEVERITY_HIGH);
  c.set_incident_date("2024-03-15");
  c.set_place("Test Place P1");
  c.set_reporter_type(v1::REPORTER_TYPE_PEER);
  c.mutable_victim()->set_name("Test Victim V1");
  c.mutable_victim()->set_gender(v1::GENDER_FEMALE);
  c.mutable_victim()->set_birth_year(2010);
  c.mutable_victim()->set_class_or_job("Class T1");
  c.mutable_perpetrator()->set_relation(v1::PERPETRATOR_RELATION_STUDENT);
  c.set_narrative("Test narrative line one.\nTest narrative line two.");
  c.set_status(v1::CASE_STATUS_OPEN);
  c.set_school_id("school-test");
  c.set_owner("counselor-test");
  c.set_created_at("2024-03-16T08:00:00Z");
  c.set_updated_at("2024-03-16T09:00:00Z");
  c.set_version(2);
  v1::Note* note = c.add_notes();
  note->set_id("note-1");
  note->set_author("counselor-test");
  note->set_created_at("2024-03-16T09:00:00Z");
  note->set_text("Test note text.");
  return c;
}

// Where a fictional case stands after a change.
inline v1::CaseState SampleState() {
  v1::CaseState s;
  s.set_case_id("case-0001");
  s.set_status(v1::CASE_STATUS_ESCALATED);
  s.set_version(3);
  s.set_owner("counselor-test");
  s.set_pending_owner("counselor-other");
  s.set_escalation(v1::ESCALATION_PRINCIPAL);
  s.set_escalation_reason(v1::ESCALATION_REASON_BEYOND_SCHOOL);
  s.set_staff_involved(true);
  s.add_participants("teacher-test");
  s.add_participants("nurse-test");
  s.add_implicated("staff-test");
  s.set_updated_at("2024-03-17T10:00:00Z");
  return s;
}

inline v1::Step SampleStep() {
  v1::Step s;
  s.set_id("step-1");
  s.set_case_id("case-0001");
  s.set_environment(v1::ENVIRONMENT_SCHOOL);
  s.set_kind(v1::STEP_KIND_COUNSELING_SESSION);
  s.set_status(v1::STEP_STATUS_PLANNED);
  s.set_owner("counselor-test");
  s.set_due_date("2024-04-01");
  s.set_created_by("counselor-test");
  s.set_created_at("2024-03-17T10:00:00Z");
  s.set_updated_at("2024-03-17T10:00:00Z");
  s.set_version(1);
  return s;
}

// A society step done by someone outside casevault, overdue.
inline v1::Step SampleExternalStep() {
  v1::Step s;
  s.set_id("step-2");
  s.set_case_id("case-0001");
  s.set_environment(v1::ENVIRONMENT_SOCIETY);
  s.set_kind(v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111);
  s.set_status(v1::STEP_STATUS_IN_PROGRESS);
  s.set_external_party("Test Service S1");
  s.set_due_date("2024-03-20");
  s.set_outcome("Test outcome text.");
  s.set_version(4);
  s.set_overdue(true);
  return s;
}

inline v1::Consent SampleConsent() {
  v1::Consent c;
  c.set_id("consent-1");
  c.set_case_id("case-0001");
  c.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  c.set_service_kind(v1::STEP_KIND_WOMENS_UNION);
  c.set_given_by(v1::CONSENT_GIVER_GUARDIAN);
  c.set_child_assent(v1::CHILD_ASSENT_GIVEN);
  c.set_given_on("2024-03-18");
  c.set_recorded_by("counselor-test");
  c.set_recorded_at("2024-03-18T08:00:00Z");
  c.set_in_force(true);
  return c;
}

inline v1::ConsentOverride SampleOverride() {
  v1::ConsentOverride o;
  o.set_id("override-1");
  o.set_case_id("case-0001");
  o.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  o.set_service_kind(v1::STEP_KIND_POLICE_REPORT);
  o.set_reason(v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW);
  o.set_recorded_by("principal-test");
  o.set_recorded_at("2024-03-19T08:00:00Z");
  return o;
}

// SampleCase with its state, two steps, a consent and an override.
inline v1::Case SampleCoordinatedCase() {
  v1::Case c = SampleCase();
  c.set_status(v1::CASE_STATUS_ESCALATED);
  c.set_version(3);
  *c.mutable_state() = SampleState();
  *c.add_steps() = SampleExternalStep();
  *c.add_steps() = SampleStep();
  *c.add_consents() = SampleConsent();
  *c.add_overrides() = SampleOverride();
  return c;
}

}  // namespace casevault::client::testing

#endif  // CASEVAULT_TESTS_CLIENT_CLIENT_FAKES_H_
