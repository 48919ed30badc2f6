#include "disk_fault_harness.h"

#include <filesystem>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "harness.h"
#include "storage/fault_vfs.h"
#include "storage/store_testing.h"

namespace casevault::testing {
namespace {

using storage::testing::FaultVfs;

std::shared_ptr<grpc::Channel> ChannelTo(const server::DeploymentPaths& paths,
                                         int port) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileBytes(paths.ca_cert());
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel("localhost:" + std::to_string(port),
                                   grpc::SslCredentials(ssl), args);
}

absl::StatusOr<std::unique_ptr<server::CasevaultServer>> StartServer(
    const server::DeploymentPaths& paths, const std::string& vfs,
    int disk_full_retry_ms, const Clock& clock, RandomSource& random) {
  storage::StoreOptions store_options;
  store_options.vfs = vfs;
  store_options.disk_full_retry_ms = disk_full_retry_ms;
  auto deployment = server::Deployment::Open(paths, random, store_options);
  if (!deployment.ok()) return deployment.status();
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.password_limits = {1, 8192};
  return server::CasevaultServer::Start(*std::move(deployment), paths, options,
                                        clock, random);
}

// One --dev deployment per process, where the scenario already ran once
// (what it acknowledged is in `acked`); every FaultyDeployment copies it.
struct Template {
  TempDir dir;
  server::DeploymentPaths paths;
  std::map<std::string, std::string> passwords;
  Acknowledged acked;

  Template() : paths(server::DeploymentPaths::For(dir.path() + "/data", "")) {
    crypto::SodiumRandom random;
    SystemClock clock;
    server::InitOptions options;
    options.dev = true;
    options.password_limits = {1, 8192};  // cheap: behaviour, not hashing
    const absl::Status s = server::InitDeployment(paths, options, random, clock);
    if (!s.ok()) ADD_FAILURE() << "init failed: " << s;
    const auto json = nlohmann::json::parse(ReadFileBytes(paths.demo_accounts()));
    for (const auto& a : json.at("accounts")) {
      passwords[a.at("username")] = a.at("password");
    }
    auto server = StartServer(paths, "", 5000, clock, random);
    if (!server.ok()) {
      ADD_FAILURE() << "template server: " << server.status();
      return;
    }
    for (const Answer& a : RunScenarioOn(ChannelTo(paths, (*server)->port()),
                                         passwords.at("counselor"),
                                         "template", acked)) {
      EXPECT_TRUE(a.status.ok()) << a.rpc << ": " << a.status.error_message();
    }
    (*server)->Shutdown(std::chrono::milliseconds(2000));
    (*server)->Wait();
  }
};

const Template& TheTemplate() {
  static const Template t;  // its directory goes at exit
  return t;
}

}  // namespace

FaultyDeployment::FaultyDeployment()
    : paths_(server::DeploymentPaths::For(dir_.path() + "/data", "")) {
  std::filesystem::copy(TheTemplate().paths.data_dir, paths_.data_dir,
                        std::filesystem::copy_options::recursive);
  EXPECT_NE(FaultVfs::Register(), nullptr);
}

FaultyDeployment::~FaultyDeployment() { Stop(); }

void FaultyDeployment::Start(bool faulty) {
  Stop();
  auto server = StartServer(paths_, faulty ? FaultVfs::kName : "",
                            disk_full_retry_ms, clock_, random_);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = *std::move(server);
}

void FaultyDeployment::Stop() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::milliseconds(2000));
  server_->Wait();
  server_.reset();
}

std::shared_ptr<grpc::Channel> FaultyDeployment::Channel() const {
  return ChannelTo(paths_, server_->port());
}

const Acknowledged& FaultyDeployment::template_acked() const {
  return TheTemplate().acked;
}

const std::string& FaultyDeployment::password(const std::string& username) const {
  return TheTemplate().passwords.at(username);
}

std::string FaultyDeployment::IntegrityCheck() {
  auto result = storage::QueryPragmaForTest(store(), "integrity_check",
                                            storage::StoreConnection::kReader);
  return result.ok() ? *result : result.status().ToString();
}

std::vector<Answer> RunScenario(FaultyDeployment& d, const std::string& marker,
                                Acknowledged& acked) {
  return RunScenarioOn(d.Channel(), d.password("counselor"), marker, acked);
}

std::vector<Answer> RunScenarioOn(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& password,
                                  const std::string& marker,
                                  Acknowledged& acked) {
  std::vector<Answer> answers;
  auto auth = v1::AuthService::NewStub(channel);
  auto cases = v1::CaseService::NewStub(channel);

  v1::LoginRequest login;
  login.set_username("counselor");
  login.set_password(password);
  v1::LoginResponse session;
  {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    answers.push_back({"Login", auth->Login(&ctx, login, &session)});
  }
  if (!answers.back().status.ok()) return answers;
  const std::string& token = session.session_token();

  v1::Case filed;
  answers.push_back(
      {"FileCase", cases->FileCase(Authed(token).get(), SampleCase(marker), &filed)});
  if (answers.back().status.ok()) acked.notes_by_case[filed.id()];

  if (!filed.id().empty()) {
    v1::AddNoteRequest note;
    note.set_case_id(filed.id());
    note.set_text("Ghi chú sau buổi gặp " + marker);
    v1::Note added;
    answers.push_back({"AddNote", cases->AddNote(Authed(token).get(), note, &added)});
    if (answers.back().status.ok()) {
      acked.notes_by_case[filed.id()].push_back(note.text());
    }
    v1::GetCaseRequest get;
    get.set_case_id(filed.id());
    v1::Case shown;
    answers.push_back({"GetCase", cases->GetCase(Authed(token).get(), get, &shown)});
  }
  v1::ListCasesResponse listed;
  answers.push_back({"ListCases", cases->ListCases(Authed(token).get(),
                                                   v1::ListCasesRequest(), &listed)});
  return answers;
}

std::string CheckCleanFailure(const grpc::Status& status,
                              const std::string& data_dir) {
  // A fixed sentence, then optionally " (request <id>)".
  static const std::regex shape("(.*?)( \\(request [A-Za-z0-9_.:-]*\\))?");
  static const std::set<std::string> fixed = {
      "the service is temporarily unavailable; try again", "internal error",
      storage::kDiskFullMessage, storage::kWritesStoppedMessage};
  const std::string& m = status.error_message();
  if (status.error_code() != grpc::StatusCode::UNAVAILABLE &&
      status.error_code() != grpc::StatusCode::INTERNAL) {
    return "code " + std::to_string(status.error_code()) + ": " + m;
  }
  std::smatch match;
  if (!std::regex_match(m, match, shape) || fixed.count(match[1].str()) == 0) {
    return "not a fixed sentence: " + m;
  }
  if (m.find(data_dir) != std::string::npos || !status.error_details().empty()) {
    return "leaks detail: " + m;
  }
  return "";
}

std::string CheckNothingLost(FaultyDeployment& d, const Acknowledged& acked) {
  const auto channel = d.Channel();
  auto auth = v1::AuthService::NewStub(channel);
  auto cases = v1::CaseService::NewStub(channel);
  v1::LoginRequest login;
  login.set_username("counselor");
  login.set_password(d.password("counselor"));
  v1::LoginResponse session;
  grpc::ClientContext ctx;
  if (grpc::Status s = auth->Login(&ctx, login, &session); !s.ok()) {
    return "cannot sign in: " + s.error_message();
  }
  const std::string& token = session.session_token();
  std::set<std::string> listed;
  v1::ListCasesRequest list;
  list.set_page_size(100);
  do {
    v1::ListCasesResponse page;
    if (grpc::Status s = cases->ListCases(Authed(token).get(), list, &page); !s.ok()) {
      return "cannot list: " + s.error_message();
    }
    for (const auto& c : page.cases()) listed.insert(c.id());
    list.set_page_token(page.next_page_token());
  } while (!list.page_token().empty());

  for (const auto& [id, notes] : acked.notes_by_case) {
    if (listed.count(id) == 0) return "case " + id + " is not listed";
    v1::GetCaseRequest get;
    get.set_case_id(id);
    v1::Case shown;
    if (grpc::Status s = cases->GetCase(Authed(token).get(), get, &shown); !s.ok()) {
      return "case " + id + " does not show: " + s.error_message();
    }
    for (const std::string& text : notes) {
      bool found = false;
      for (const auto& n : shown.notes()) found = found || n.text() == text;
      if (!found) return "a note of case " + id + " is lost";
    }
  }
  return "";
}

}  // namespace casevault::testing
