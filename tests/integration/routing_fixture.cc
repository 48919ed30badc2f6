#include "routing_fixture.h"

#include <algorithm>

#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace casevault::testing {
namespace {

// One unary call with `user`'s session; `out` may be null.
template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub,
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const std::string& token, const Req& req, Resp* out) {
  Resp scratch;
  return (stub.*method)(Authed(token).get(), req, out != nullptr ? out : &scratch);
}

}  // namespace

std::string ErrorInfoReason(const grpc::Status& s) {
  google::rpc::Status details;
  if (!details.ParseFromString(s.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) return info.reason();
  }
  return "";
}

bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

void RoutingScenarioTest::SetUp() {
  d_.Start();
  auto channel = d_.Channel();
  cases_ = v1::CaseService::NewStub(channel);
  steps_ = v1::StepService::NewStub(channel);
  consents_ = v1::ConsentService::NewStub(channel);
  audit_ = v1::AuditService::NewStub(channel);
}

const std::string& RoutingScenarioTest::Token(const std::string& user) {
  auto it = tokens_.find(user);
  if (it == tokens_.end()) it = tokens_.emplace(user, d_.Login(user)).first;
  return it->second;
}

v1::Case RoutingScenarioTest::File(const std::string& user,
                                   const v1::FileCaseRequest& req) {
  v1::Case filed;
  const grpc::Status s =
      Call(*cases_, &v1::CaseService::Stub::FileCase, Token(user), req, &filed);
  EXPECT_TRUE(s.ok()) << user << " files: " << s.error_message();
  return filed;
}

grpc::Status RoutingScenarioTest::TryFile(const std::string& user,
                                          const v1::FileCaseRequest& req,
                                          v1::Case* out) {
  return Call(*cases_, &v1::CaseService::Stub::FileCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Get(const std::string& user,
                                      const std::string& id, v1::Case* out) {
  v1::GetCaseRequest req;
  req.set_case_id(id);
  return Call(*cases_, &v1::CaseService::Stub::GetCase, Token(user), req, out);
}

v1::Case RoutingScenarioTest::Read(const std::string& user, const std::string& id) {
  v1::Case c;
  const grpc::Status s = Get(user, id, &c);
  EXPECT_TRUE(s.ok()) << user << " reads: " << s.error_message();
  return c;
}

std::vector<std::string> RoutingScenarioTest::ListIds(const std::string& user,
                                                      v1::ListCasesRequest req) {
  std::vector<std::string> ids;
  for (int page = 0; page < 50; ++page) {
    v1::ListCasesResponse resp;
    const grpc::Status s =
        Call(*cases_, &v1::CaseService::Stub::ListCases, Token(user), req, &resp);
    EXPECT_TRUE(s.ok()) << user << " lists: " << s.error_message();
    for (const auto& c : resp.cases()) ids.push_back(c.id());
    if (!s.ok() || resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return ids;
}

grpc::Status RoutingScenarioTest::ListStatus(const std::string& user) {
  v1::ListCasesResponse resp;
  return Call(*cases_, &v1::CaseService::Stub::ListCases, Token(user),
              v1::ListCasesRequest(), &resp);
}

grpc::Status RoutingScenarioTest::Note(const std::string& user,
                                       const std::string& id,
                                       const std::string& text) {
  v1::AddNoteRequest req;
  req.set_case_id(id);
  req.set_text(text);
  v1::Note* none = nullptr;
  return Call(*cases_, &v1::CaseService::Stub::AddNote, Token(user), req, none);
}

grpc::Status RoutingScenarioTest::Escalate(const std::string& user,
                                           const std::string& id, int64_t version,
                                           v1::EscalationReason reason,
                                           v1::CaseState* out) {
  v1::EscalateCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_reason(reason);
  return Call(*cases_, &v1::CaseService::Stub::EscalateCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Assign(const std::string& user,
                                         const std::string& id, int64_t version,
                                         const std::string& to, v1::CaseState* out) {
  v1::AssignCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_username(to);
  return Call(*cases_, &v1::CaseService::Stub::AssignCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Accept(const std::string& user,
                                         const std::string& id, int64_t version,
                                         v1::CaseState* out) {
  v1::AcceptCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  return Call(*cases_, &v1::CaseService::Stub::AcceptCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::AddParticipant(const std::string& user,
                                                 const std::string& id,
                                                 int64_t version,
                                                 const std::string& username,
                                                 v1::CaseState* out) {
  v1::AddParticipantRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_username(username);
  return Call(*cases_, &v1::CaseService::Stub::AddParticipant, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Implicate(const std::string& user,
                                            const std::string& id, int64_t version,
                                            const std::string& username,
                                            v1::CaseState* out) {
  v1::AddImplicatedRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_username(username);
  return Call(*cases_, &v1::CaseService::Stub::AddImplicated, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::RemoveImplicated(const std::string& user,
                                                   const std::string& id,
                                                   int64_t version,
                                                   const std::string& username,
                                                   v1::CaseState* out) {
  v1::RemoveImplicatedRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_username(username);
  req.set_reason(v1::REMOVAL_REASON_ADDED_IN_ERROR);
  return Call(*cases_, &v1::CaseService::Stub::RemoveImplicated, Token(user), req,
              out);
}

grpc::Status RoutingScenarioTest::Resolve(const std::string& user,
                                          const std::string& id, int64_t version,
                                          v1::CaseState* out) {
  v1::ResolveCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  return Call(*cases_, &v1::CaseService::Stub::ResolveCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Close(const std::string& user,
                                        const std::string& id, int64_t version,
                                        v1::ClosureReason reason,
                                        v1::CaseState* out) {
  v1::CloseCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  req.set_reason(reason);
  return Call(*cases_, &v1::CaseService::Stub::CloseCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Approve(const std::string& user,
                                          const std::string& id, int64_t version,
                                          v1::CaseState* out) {
  v1::ApproveClosureRequest req;
  req.set_case_id(id);
  req.set_version(version);
  return Call(*cases_, &v1::CaseService::Stub::ApproveClosure, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::Reopen(const std::string& user,
                                         const std::string& id, int64_t version,
                                         v1::CaseState* out) {
  v1::ReopenCaseRequest req;
  req.set_case_id(id);
  req.set_version(version);
  return Call(*cases_, &v1::CaseService::Stub::ReopenCase, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::AddStep(const std::string& user,
                                          const std::string& case_id,
                                          v1::StepKind kind, const std::string& owner,
                                          const std::string& due, v1::Step* out) {
  v1::AddStepRequest req;
  req.set_case_id(case_id);
  req.set_kind(kind);
  req.set_owner(owner);
  req.set_due_date(due);
  return Call(*steps_, &v1::StepService::Stub::AddStep, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::AddExternalStep(const std::string& user,
                                                  const std::string& case_id,
                                                  v1::StepKind kind,
                                                  const std::string& party,
                                                  const std::string& due,
                                                  v1::Step* out) {
  v1::AddStepRequest req;
  req.set_case_id(case_id);
  req.set_kind(kind);
  req.set_external_party(party);
  req.set_due_date(due);
  return Call(*steps_, &v1::StepService::Stub::AddStep, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::UpdateStep(const std::string& user,
                                             const v1::UpdateStepRequest& req,
                                             v1::Step* out) {
  return Call(*steps_, &v1::StepService::Stub::UpdateStep, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::CompleteStep(const std::string& user,
                                               const std::string& step_id,
                                               int64_t version,
                                               const std::string& outcome,
                                               v1::Step* out) {
  v1::CompleteStepRequest req;
  req.set_step_id(step_id);
  req.set_version(version);
  req.set_outcome(outcome);
  return Call(*steps_, &v1::StepService::Stub::CompleteStep, Token(user), req, out);
}

grpc::Status RoutingScenarioTest::ListSteps(const std::string& user,
                                            const std::string& case_id,
                                            std::vector<std::string>* ids) {
  v1::ListStepsRequest req;
  req.set_case_id(case_id);
  grpc::Status s;
  for (int page = 0; page < 50; ++page) {
    v1::ListStepsResponse resp;
    s = Call(*steps_, &v1::StepService::Stub::ListSteps, Token(user), req, &resp);
    if (!s.ok()) return s;
    for (const auto& step : resp.steps()) {
      if (ids != nullptr) ids->push_back(step.id());
    }
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  return s;
}

grpc::Status RoutingScenarioTest::RecordConsent(const std::string& user,
                                                const v1::RecordConsentRequest& req,
                                                v1::Consent* out) {
  return Call(*consents_, &v1::ConsentService::Stub::RecordConsent, Token(user), req,
              out);
}

grpc::Status RoutingScenarioTest::WithdrawConsent(const std::string& user,
                                                  const std::string& consent_id,
                                                  v1::Consent* out) {
  v1::WithdrawConsentRequest req;
  req.set_consent_id(consent_id);
  return Call(*consents_, &v1::ConsentService::Stub::WithdrawConsent, Token(user),
              req, out);
}

grpc::Status RoutingScenarioTest::RecordOverride(const std::string& user,
                                                 const v1::RecordOverrideRequest& req,
                                                 v1::ConsentOverride* out) {
  return Call(*consents_, &v1::ConsentService::Stub::RecordOverride, Token(user), req,
              out);
}

std::string RoutingScenarioTest::CaseRef(const std::string& case_id) {
  v1::LookupCaseReferenceRequest req;
  req.set_case_id(case_id);
  v1::CaseReference ref;
  const grpc::Status s = Call(*audit_, &v1::AuditService::Stub::LookupCaseReference,
                              Token("admin"), req, &ref);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(ref.case_ref().size(), 32u);
  return ref.case_ref();
}

CliResult RoutingScenarioTest::Cli(const std::string& user, const std::string& args) {
  const std::string session = d_.dir() + "/" + user + ".session.json";
  if (cli_sessions_.insert(user).second) {
    const CliResult login =
        RunCli(d_, session, "login --user " + user, d_.account(user).password);
    EXPECT_EQ(login.code, 0) << user << ": " << login.err;
  }
  return RunCli(d_, session, args);
}

std::vector<AuditRow> RoutingScenarioTest::ExportAndVerify(
    const std::vector<std::string>& forbidden) {
  const std::string file =
      d_.dir() + "/routing-" + std::to_string(++exports_) + ".export";
  const CliResult exported = Cli("auditor", "audit export --out " + file);
  EXPECT_EQ(exported.code, 0) << exported.err;
  const CliResult verified = Cli("auditor", "audit verify " + file + " --key " +
                                                d_.paths().data_dir +
                                                "/audit-verifier.key");
  EXPECT_EQ(verified.code, 0) << verified.err;
  EXPECT_NE(verified.out.find("verified"), std::string::npos) << verified.out;
  const std::string text = ReadFileBytes(file);
  for (const auto& s : forbidden) {
    EXPECT_EQ(text.find(s), std::string::npos) << "in the export: " << s;
  }
  std::vector<AuditRow> rows = ParseExportEntries(text);
  EXPECT_FALSE(rows.empty());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].seq, static_cast<int64_t>(i));  // the export starts at 0
  }
  return rows;
}

}  // namespace casevault::testing
