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

}  // namespace casevault::client::testing

#endif  // CASEVAULT_TESTS_CLIENT_CLIENT_FAKES_H_
