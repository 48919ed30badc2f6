// The RPC policy table against the proto files: every RPC of casevault.v1
// has exactly one row, every row names an RPC that exists, and every
// decided row names an action the policy knows.
#include "server/rpc_policy.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include "domain/policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto_methods.h"

namespace casevault::server {
namespace {

using ::casevault::testing::ServiceFiles;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The full names of every RPC in the proto files.
std::vector<std::string> ProtoMethodNames() {
  std::vector<std::string> names;
  for (const auto* m : testing::ProtoMethods()) names.push_back(m->full_name());
  return names;
}

TEST(RpcPolicyTest, EveryRpcHasARow) {
  const std::vector<std::string> methods = ProtoMethodNames();
  ASSERT_GT(methods.size(), 30u);
  std::vector<std::string> missing;
  for (const std::string& method : methods) {
    if (FindRpcRule(method) == nullptr) missing.push_back(method);
  }
  EXPECT_THAT(missing, IsEmpty())
      << "RPCs without a row in RpcPolicyTable() (src/server/rpc_policy.cc)";
}

TEST(RpcPolicyTest, EveryRowIsAnRpc) {
  const std::vector<std::string> methods = ProtoMethodNames();
  const std::set<std::string> known(methods.begin(), methods.end());
  std::vector<std::string> stale;
  for (const RpcRule& rule : RpcPolicyTable()) {
    if (known.count(std::string(rule.method)) == 0) {
      stale.push_back(std::string(rule.method));
    }
  }
  EXPECT_THAT(stale, IsEmpty()) << "rows for methods the protos do not have";
}

TEST(RpcPolicyTest, NoMethodHasTwoRows) {
  std::set<std::string_view> seen;
  for (const RpcRule& rule : RpcPolicyTable()) {
    EXPECT_TRUE(seen.insert(rule.method).second) << rule.method;
  }
}

TEST(RpcPolicyTest, EveryDecidedRowNamesAPolicyAction) {
  const std::vector<domain::Action>& actions = domain::AllActions();
  for (const RpcRule& rule : RpcPolicyTable()) {
    if (rule.access != RpcAccess::kPolicy) continue;
    EXPECT_NE(std::find(actions.begin(), actions.end(), rule.action),
              actions.end())
        << rule.method << " names an action that is not in AllActions()";
    EXPECT_FALSE(domain::ActionName(rule.action).empty()) << rule.method;
    EXPECT_NE(domain::ActionName(rule.action), "unknown") << rule.method;
  }
}

// Only sign-in and one's own session go without a policy decision; a
// session row anywhere else would be an RPC nobody decides.
TEST(RpcPolicyTest, SessionRowsAreSignInAndOwnSessionOnly) {
  std::vector<std::string> session;
  for (const RpcRule& rule : RpcPolicyTable()) {
    if (rule.access == RpcAccess::kSession) {
      session.push_back(std::string(rule.method));
    }
  }
  EXPECT_THAT(session, UnorderedElementsAre("casevault.v1.AuthService.Login",
                                            "casevault.v1.AuthService.Logout",
                                            "casevault.v1.AuthService.WhoAmI"));
}

// Spot checks of the rows the routing issue names.
TEST(RpcPolicyTest, RowsNameTheirActions) {
  struct Want {
    const char* method;
    domain::Action action;
  };
  const Want wants[] = {
      {"casevault.v1.CaseService.GetCase", domain::Action::kViewCase},
      {"casevault.v1.CaseService.FileCase", domain::Action::kFileCase},
      {"casevault.v1.CaseService.ListCases", domain::Action::kListCases},
      {"casevault.v1.CaseService.AddNote", domain::Action::kAddNote},
      {"casevault.v1.CaseService.EscalateCase", domain::Action::kEscalateCase},
      {"casevault.v1.CaseService.AssignCase", domain::Action::kAssignCase},
      {"casevault.v1.CaseService.AcceptCase", domain::Action::kAcceptCase},
      {"casevault.v1.CaseService.AddParticipant",
       domain::Action::kAddParticipant},
      {"casevault.v1.CaseService.AddImplicated", domain::Action::kAddImplicated},
      {"casevault.v1.CaseService.RemoveImplicated",
       domain::Action::kRemoveImplicated},
      {"casevault.v1.CaseService.ResolveCase", domain::Action::kResolveCase},
      {"casevault.v1.CaseService.CloseCase", domain::Action::kCloseCase},
      {"casevault.v1.CaseService.ApproveClosure",
       domain::Action::kApproveClosure},
      {"casevault.v1.CaseService.ReopenCase", domain::Action::kReopenCase},
      {"casevault.v1.StepService.AddStep", domain::Action::kAddStep},
      {"casevault.v1.StepService.UpdateStep", domain::Action::kUpdateStep},
      {"casevault.v1.StepService.CompleteStep", domain::Action::kCompleteStep},
      {"casevault.v1.StepService.ListSteps", domain::Action::kListSteps},
      {"casevault.v1.ConsentService.RecordConsent",
       domain::Action::kRecordConsent},
      {"casevault.v1.ConsentService.WithdrawConsent",
       domain::Action::kWithdrawConsent},
      {"casevault.v1.ConsentService.RecordOverride",
       domain::Action::kRecordOverride},
      {"casevault.v1.AccountService.CreateAccount",
       domain::Action::kCreateAccount},
      {"casevault.v1.AuditService.ExportLog", domain::Action::kExportLog},
      {"casevault.v1.AuditService.LookupCaseReference",
       domain::Action::kLookupCaseRef},
  };
  for (const Want& want : wants) {
    const RpcRule* rule = FindRpcRule(want.method);
    ASSERT_NE(rule, nullptr) << want.method;
    EXPECT_EQ(rule->access, RpcAccess::kPolicy) << want.method;
    EXPECT_EQ(rule->action, want.action) << want.method;
  }
}

TEST(RpcPolicyTest, LookupIsExact) {
  EXPECT_EQ(FindRpcRule("casevault.v1.CaseService.GetCas"), nullptr);
  EXPECT_EQ(FindRpcRule("/casevault.v1.CaseService/GetCase"), nullptr);
  EXPECT_EQ(FindRpcRule("CaseService.GetCase"), nullptr);
  EXPECT_EQ(FindRpcRule(""), nullptr);
  const RpcRule* rule = FindRpcRule("casevault.v1.CaseService.GetCase");
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(RuleName(*rule), "case.view");
  EXPECT_EQ(RuleName(*FindRpcRule("casevault.v1.AuthService.Login")), "session");
}

// A proto file with a service that ServiceFiles() does not list would
// escape the walk above: every file in proto/casevault/v1/ that declares a
// service must be listed (and linked into the generated pool).
TEST(RpcPolicyTest, ProtoFilesWithServicesAreAllListed) {
  const char* source_dir = CASEVAULT_SOURCE_DIR;  // compiled in by CMake
  const std::filesystem::path dir =
      std::filesystem::path(source_dir) / "proto" / "casevault" / "v1";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  std::vector<std::string> unlisted;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".proto") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const bool has_service =
        text.str().find("\nservice ") != std::string::npos;
    const std::string name = "casevault/v1/" + entry.path().filename().string();
    if (has_service && std::find(ServiceFiles().begin(), ServiceFiles().end(),
                                 name) == ServiceFiles().end()) {
      unlisted.push_back(name);
    }
  }
  EXPECT_THAT(unlisted, IsEmpty());
}

}  // namespace
}  // namespace casevault::server
