// The policy matrix: every role x every action x every relation scenario,
// with the expected answer for each cell written out by hand. Nothing here
// computes an expectation from the policy's own code; docs/policy.md
// explains the rules this table encodes.
//
// Each cell is six characters, one per role in the order C P U D A M
// (counselor, principal, union, district, auditor, admin):
//   Y  allowed
//   P  denied, not hidden: the handler answers PERMISSION_DENIED
//   N  denied, hidden: the handler answers NOT_FOUND
#include <array>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "domain/policy.h"
#include "gtest/gtest.h"

namespace casevault::domain {
namespace {

// The roles of a cell, in order.
constexpr std::array<Role, 6> kRoleColumns = {
    Role::kCounselor, Role::kPrincipal, Role::kUnion,
    Role::kDistrict,  Role::kAuditor,   Role::kAdmin};
constexpr char kRoleLetters[] = "CPUDAM";

constexpr int64_t kCallerId = 10;
constexpr char kCallerUnit[] = "school-a";

Caller MakeCaller(Role role) {
  Caller c;
  c.account_id = kCallerId;
  c.username = "caller";
  c.role = role;
  c.unit_id = kCallerUnit;
  return c;
}

struct Scenario {
  std::string name;
  CaseFacts facts;
};

CaseFacts Base(const std::string& school, int64_t owner) {
  CaseFacts f;
  f.school_id = school;
  f.owner_id = owner;
  return f;
}

// The columns of the table, in order.
std::vector<Scenario> Scenarios() {
  std::vector<Scenario> s;
  {
    CaseFacts f = Base("school-a", kCallerId);
    s.push_back({"owner", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    s.push_back({"other-counselor-same-school", f});
  }
  {
    CaseFacts f = Base("school-b", 20);
    f.escalation = kEscalationPrincipal;
    f.staff_involved = true;
    s.push_back({"other-school", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.participants = {21, kCallerId};
    s.push_back({"participant", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.escalation = kEscalationPrincipal;
    s.push_back({"escalated-principal", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.escalation = kEscalationDistrict;
    s.push_back({"escalated-district", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.principal_recused = true;
    f.implicated = {30};
    s.push_back({"principal-recused", f});
  }
  {
    // Implicated, and everything else that could grant access.
    CaseFacts f = Base("school-a", kCallerId);
    f.pending_owner_id = kCallerId;
    f.participants = {kCallerId};
    f.implicated = {30, kCallerId};
    f.escalation = kEscalationDistrict;
    f.staff_involved = true;
    f.principal_recused = true;
    s.push_back({"recused", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.staff_involved = true;
    s.push_back({"staff-involved", f});
  }
  {
    CaseFacts f = Base("school-a", 20);
    f.pending_owner_id = kCallerId;
    s.push_back({"handover", f});
  }
  {
    CaseFacts f = Base("school-b", 20);
    s.push_back({"none", f});
  }
  return s;
}

// The caller's relation in each scenario, roles C P U D A M:
//   O owner, H handover, T participant, E escalated, S staff-involved,
//   - none.
const std::map<std::string, std::string>& ExpectedRelations() {
  static const std::map<std::string, std::string> kRelations = {
      {"owner", "OOOO--"},
      {"other-counselor-same-school", "------"},
      {"other-school", "------"},
      {"participant", "TTTT--"},
      {"escalated-principal", "-E----"},
      {"escalated-district", "-E-E--"},
      {"principal-recused", "---E--"},
      {"recused", "------"},
      {"staff-involved", "--S---"},
      {"handover", "HHHH--"},
      {"none", "------"},
  };
  return kRelations;
}

char RelationLetter(Relation r) {
  switch (r) {
    case Relation::kNone: return '-';
    case Relation::kOwner: return 'O';
    case Relation::kHandover: return 'H';
    case Relation::kParticipant: return 'T';
    case Relation::kEscalated: return 'E';
    case Relation::kStaffInvolved: return 'S';
  }
  return '?';
}

// The actions on one case, written out (IsCaseAction is checked against it).
bool IsCaseActionByHand(Action a) {
  static const std::set<Action> kCaseActions = {
      Action::kViewCase,        Action::kAddNote,
      Action::kEscalateCase,    Action::kAssignCase,
      Action::kAcceptCase,      Action::kAddParticipant,
      Action::kAddImplicated,   Action::kRemoveImplicated,
      Action::kAddStep,         Action::kUpdateStep,
      Action::kCompleteStep,    Action::kRecordConsent,
      Action::kWithdrawConsent, Action::kRecordOverride,
      Action::kResolveCase,     Action::kCloseCase,
      Action::kApproveClosure,  Action::kReopenCase,
  };
  return kCaseActions.count(a) == 1;
}

struct Row {
  Action action;
  // One cell (the same for every scenario) or one per scenario, separated
  // by single spaces, in the order of Scenarios().
  std::string cells;
};

// clang-format off
const std::vector<Row>& Table() {
  static const std::vector<Row> kTable = {
    // Role-level: one cell for every scenario.
    {Action::kCreateAccount,  "PPPPPY"},
    {Action::kListAccounts,   "PPPPPY"},
    {Action::kDisableAccount, "PPPPPY"},
    {Action::kResetPassword,  "PPPPPY"},
    {Action::kUnlockAccount,  "PPPPPY"},
    {Action::kFileCase,       "YYPPPP"},
    {Action::kListCases,      "YYYYPP"},
    {Action::kListSteps,      "YYYYPP"},
    {Action::kReadCheckpoint, "PPPPYP"},
    {Action::kProveEntries,   "PPPPYP"},
    {Action::kExportLog,      "PPPPYP"},

    // One cell per scenario:
    //  owner  same   other  partic esc-p  esc-d  p-rec  recusd staff  handov none
    {Action::kLookupCaseRef,
     "PYPPPY PYPPPY PNPPPY PYPPPY PYPPPY PYPPPY PYPPPY PNPPPN PYPPPY PYPPPY PNPPPY"},

    // Case actions.
    //  owner  same   other  partic esc-p  esc-d  p-rec  recusd staff  handov none
    {Action::kViewCase,
     "YYYYNN NNNNNN NNNNNN YYYYNN NYNNNN NYNYNN NNNYNN NNNNNN NNYNNN YYYYNN NNNNNN"},
    {Action::kAddNote,
     "YYYYNN NNNNNN NNNNNN YYYYNN NYNNNN NYNYNN NNNYNN NNNNNN NNYNNN PPPPNN NNNNNN"},
    {Action::kEscalateCase,
     "YYPPNN NNNNNN NNNNNN PPPPNN NYNNNN NYNPNN NNNPNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kAssignCase,
     "YYPPNN NNNNNN NNNNNN PPPPNN NYNNNN NYNPNN NNNPNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kAcceptCase,
     "PPPPNN NNNNNN NNNNNN PPPPNN NPNNNN NPNPNN NNNPNN NNNNNN NNPNNN YYYYNN NNNNNN"},
    {Action::kAddParticipant,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kAddImplicated,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kRemoveImplicated,
     "PYPPNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kAddStep,
     "YYYYNN NNNNNN NNNNNN YYYYNN NYNNNN NYNYNN NNNYNN NNNNNN NNYNNN PPPPNN NNNNNN"},
    {Action::kUpdateStep,
     "YYYYNN NNNNNN NNNNNN YYYYNN NYNNNN NYNYNN NNNYNN NNNNNN NNYNNN PPPPNN NNNNNN"},
    {Action::kCompleteStep,
     "YYYYNN NNNNNN NNNNNN YYYYNN NYNNNN NYNYNN NNNYNN NNNNNN NNYNNN PPPPNN NNNNNN"},
    {Action::kRecordConsent,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kWithdrawConsent,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kRecordOverride,
     "PYPPNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kResolveCase,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNPNN NNNPNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kCloseCase,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kApproveClosure,
     "PYPPNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
    {Action::kReopenCase,
     "YYYYNN NNNNNN NNNNNN PPPPNN NYNNNN NYNYNN NNNYNN NNNNNN NNPNNN PPPPNN NNNNNN"},
  };
  return kTable;
}
// clang-format on

std::vector<std::string> SplitCells(const std::string& cells) {
  std::vector<std::string> out;
  std::istringstream in(cells);
  std::string cell;
  while (in >> cell) out.push_back(cell);
  return out;
}

// The expected cell of every (action, scenario), from the table.
std::map<Action, std::vector<std::string>> ExpandedTable(size_t scenarios) {
  std::map<Action, std::vector<std::string>> out;
  for (const Row& row : Table()) {
    std::vector<std::string> cells = SplitCells(row.cells);
    if (cells.size() == 1) cells.assign(scenarios, cells[0]);
    out[row.action] = cells;
  }
  return out;
}

char Outcome(const Decision& d) {
  if (d.allowed) return 'Y';
  return d.hidden ? 'N' : 'P';
}

bool IsUpperSnake(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

TEST(PolicyMatrixTest, TableIsWellFormed) {
  const size_t scenarios = Scenarios().size();
  ASSERT_EQ(scenarios, 11u);
  ASSERT_EQ(ExpectedRelations().size(), scenarios);
  for (const Scenario& s : Scenarios()) {
    EXPECT_EQ(ExpectedRelations().count(s.name), 1u) << s.name;
  }
  std::set<Action> seen;
  for (const Row& row : Table()) {
    EXPECT_TRUE(seen.insert(row.action).second)
        << "two rows for " << ActionName(row.action);
    const std::vector<std::string> cells = SplitCells(row.cells);
    EXPECT_TRUE(cells.size() == 1 || cells.size() == scenarios)
        << ActionName(row.action) << ": " << cells.size() << " cells";
    for (const std::string& cell : cells) {
      EXPECT_EQ(cell.size(), 6u) << ActionName(row.action) << ": " << cell;
      EXPECT_EQ(cell.find_first_not_of("YPN"), std::string::npos)
          << ActionName(row.action) << ": " << cell;
    }
  }
}

// Adding an action without writing its rows fails here.
TEST(PolicyMatrixTest, EveryActionHasRows) {
  std::set<Action> in_table;
  for (const Row& row : Table()) in_table.insert(row.action);
  for (Action a : AllActions()) {
    EXPECT_EQ(in_table.count(a), 1u)
        << "no rows for " << ActionName(a) << " (" << static_cast<int>(a) << ")";
  }
  EXPECT_EQ(in_table.size(), AllActions().size());
}

TEST(PolicyMatrixTest, AllActionsIsEveryEnumeratorInOrder) {
  const std::vector<Action>& all = AllActions();
  ASSERT_EQ(all.size(), static_cast<size_t>(Action::kLookupCaseRef) + 1);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(all[i]), i);
  }
}

TEST(PolicyMatrixTest, ActionNamesAreUniqueAndKnown) {
  std::set<std::string> names;
  for (Action a : AllActions()) {
    const std::string name(ActionName(a));
    EXPECT_FALSE(name.empty()) << static_cast<int>(a);
    EXPECT_NE(name, "unknown") << static_cast<int>(a);
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
  }
}

TEST(PolicyMatrixTest, CaseActionsAreViewThroughReopen) {
  for (Action a : AllActions()) {
    EXPECT_EQ(IsCaseAction(a), IsCaseActionByHand(a)) << ActionName(a);
  }
}

TEST(PolicyMatrixTest, RelationInEveryScenario) {
  std::vector<std::string> mismatches;
  for (const Scenario& s : Scenarios()) {
    const std::string& expected = ExpectedRelations().at(s.name);
    for (size_t r = 0; r < kRoleColumns.size(); ++r) {
      const char got = RelationLetter(RelationTo(MakeCaller(kRoleColumns[r]), s.facts));
      if (got != expected[r]) {
        mismatches.push_back(std::string(RoleName(kRoleColumns[r])) + " in " +
                             s.name + ": expected " + expected[r] + ", got " + got);
      }
    }
  }
  std::string report;
  for (const std::string& m : mismatches) report += "\n  " + m;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " mismatches:" << report;
}

// The whole matrix. Reports every mismatching cell, not just the first.
TEST(PolicyMatrixTest, EveryRoleActionAndScenario) {
  const std::vector<Scenario> scenarios = Scenarios();
  const std::map<Action, std::vector<std::string>> table =
      ExpandedTable(scenarios.size());
  std::vector<std::string> mismatches;
  std::vector<std::string> malformed;
  size_t cells = 0;
  for (Action a : AllActions()) {
    const auto row = table.find(a);
    if (row == table.end()) continue;  // EveryActionHasRows reports it
    for (size_t s = 0; s < scenarios.size(); ++s) {
      const Scenario& scenario = scenarios[s];
      const std::string& expected = row->second.at(s);
      const std::string& relations = ExpectedRelations().at(scenario.name);
      for (size_t r = 0; r < kRoleColumns.size(); ++r) {
        ++cells;
        const Role role = kRoleColumns[r];
        const Decision d = Decide(MakeCaller(role), a, &scenario.facts);
        const char got = Outcome(d);
        const std::string where = std::string(RoleName(role)) + " (" +
                                  kRoleLetters[r] + ") " +
                                  std::string(ActionName(a)) + " in " + scenario.name;
        if (got != expected[r]) {
          mismatches.push_back(where + ": expected " + expected[r] + ", got " + got);
          continue;
        }
        // The shape of the decision.
        if (d.allowed) {
          if (!d.reason.empty() || !d.message.empty() || d.hidden) {
            malformed.push_back(where + ": allowed with a reason or hidden");
          }
          // A case action is allowed because of the caller's relation; the
          // others have none, except filing (the filer owns the case).
          const char relation = IsCaseActionByHand(a) ? relations[r]
                                : a == Action::kFileCase ? 'O'
                                                         : '-';
          if (RelationLetter(d.relation) != relation) {
            malformed.push_back(where + ": allowed with relation " +
                                RelationLetter(d.relation) + ", expected " +
                                relation);
          }
        } else {
          if (!IsUpperSnake(d.reason) || d.message.empty() ||
              d.relation != Relation::kNone) {
            malformed.push_back(where + ": denial without an UPPER_SNAKE reason, "
                                "a message, or with a relation");
          }
        }
      }
    }
  }
  EXPECT_EQ(cells, AllActions().size() * scenarios.size() * kRoleColumns.size());
  std::string report;
  for (const std::string& m : mismatches) report += "\n  " + m;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " of " << cells
                                  << " cells mismatch:" << report;
  report.clear();
  for (const std::string& m : malformed) report += "\n  " + m;
  EXPECT_TRUE(malformed.empty()) << malformed.size() << " malformed decisions:" << report;
}

// The audit entry's `reason` for a few representative allowed cells.
TEST(PolicyMatrixTest, RelationNamesOfAllowedCells) {
  struct Cell {
    Role role;
    Action action;
    std::string scenario;
    std::string relation;
  };
  const std::vector<Cell> cells = {
      {Role::kCounselor, Action::kViewCase, "owner", "owner"},
      {Role::kCounselor, Action::kFileCase, "none", "owner"},
      {Role::kPrincipal, Action::kAddNote, "participant", "participant"},
      {Role::kPrincipal, Action::kEscalateCase, "escalated-principal", "escalated"},
      {Role::kDistrict, Action::kCloseCase, "principal-recused", "escalated"},
      {Role::kDistrict, Action::kAddStep, "escalated-district", "escalated"},
      {Role::kUnion, Action::kCompleteStep, "staff-involved", "staff-involved"},
      {Role::kCounselor, Action::kAcceptCase, "handover", "handover"},
      {Role::kUnion, Action::kViewCase, "handover", "handover"},
      {Role::kAdmin, Action::kCreateAccount, "recused", ""},
      {Role::kAuditor, Action::kExportLog, "owner", ""},
      {Role::kPrincipal, Action::kLookupCaseRef, "owner", ""},
      {Role::kUnion, Action::kListSteps, "none", ""},
  };
  std::map<std::string, CaseFacts> by_name;
  for (const Scenario& s : Scenarios()) by_name[s.name] = s.facts;
  for (const Cell& c : cells) {
    const CaseFacts& facts = by_name.at(c.scenario);
    const Decision d = Decide(MakeCaller(c.role), c.action, &facts);
    EXPECT_TRUE(d.allowed) << RoleName(c.role) << " " << ActionName(c.action);
    EXPECT_EQ(RelationName(d.relation), c.relation)
        << RoleName(c.role) << " " << ActionName(c.action) << " in " << c.scenario;
  }
}

}  // namespace
}  // namespace casevault::domain
