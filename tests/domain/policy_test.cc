// The first slice of the policy matrix (issue 2): owner and high-severity
// route to the principal. The routing issue extends the relations.
#include "domain/policy.h"

#include "gtest/gtest.h"

namespace casevault::domain {
namespace {

Caller MakeCaller(Role role, int64_t id, const std::string& unit = "school-a") {
  Caller c;
  c.account_id = id;
  c.username = "user" + std::to_string(id);
  c.role = role;
  c.unit_id = unit;
  return c;
}

CaseFacts Facts(int64_t owner, bool high, const std::string& school = "school-a") {
  CaseFacts f;
  f.owner_id = owner;
  f.high_severity = high;
  f.school_id = school;
  return f;
}

TEST(PolicyTest, OnlyAdminsManageAccounts) {
  for (Action a : {Action::kCreateAccount, Action::kListAccounts,
                   Action::kDisableAccount, Action::kResetPassword,
                   Action::kUnlockAccount}) {
    for (Role r : kAllRoles) {
      EXPECT_EQ(Decide(MakeCaller(r, 1), a, nullptr).allowed, r == Role::kAdmin)
          << ActionName(a) << " " << RoleName(r);
    }
  }
}

TEST(PolicyTest, CounselorsAndPrincipalsFile) {
  for (Role r : kAllRoles) {
    const bool expected = r == Role::kCounselor || r == Role::kPrincipal;
    EXPECT_EQ(Decide(MakeCaller(r, 1), Action::kFileCase, nullptr).allowed, expected)
        << RoleName(r);
  }
}

TEST(PolicyTest, AuditorsAndAdminsNeverList) {
  for (Role r : kAllRoles) {
    const bool expected = r != Role::kAuditor && r != Role::kAdmin;
    EXPECT_EQ(Decide(MakeCaller(r, 1), Action::kListCases, nullptr).allowed, expected)
        << RoleName(r);
  }
}

struct Row {
  Role role;
  int64_t caller_id;
  std::string caller_unit;
  CaseFacts facts;
  bool allowed;
  Relation relation;
};

TEST(PolicyTest, ViewAndNoteMatrix) {
  const std::vector<Row> rows = {
      // The owner, at any severity.
      {Role::kCounselor, 7, "school-a", Facts(7, false), true, Relation::kOwner},
      {Role::kCounselor, 7, "school-a", Facts(7, true), true, Relation::kOwner},
      // Another counselor of the same school, and of another school.
      {Role::kCounselor, 8, "school-a", Facts(7, false), false, Relation::kNone},
      {Role::kCounselor, 8, "school-a", Facts(7, true), false, Relation::kNone},
      {Role::kCounselor, 8, "school-b", Facts(7, true), false, Relation::kNone},
      // The principal: high severity in their school only.
      {Role::kPrincipal, 2, "school-a", Facts(7, true), true, Relation::kRoute},
      {Role::kPrincipal, 2, "school-a", Facts(7, false), false, Relation::kNone},
      {Role::kPrincipal, 2, "school-b", Facts(7, true), false, Relation::kNone},
      {Role::kPrincipal, 2, "school-a", Facts(2, false), true, Relation::kOwner},
      // Nobody else in this slice, whatever the ids say.
      {Role::kUnion, 7, "school-a", Facts(7, true), false, Relation::kNone},
      {Role::kDistrict, 7, "school-a", Facts(7, true), false, Relation::kNone},
      {Role::kAuditor, 7, "school-a", Facts(7, true), false, Relation::kNone},
      {Role::kAdmin, 7, "school-a", Facts(7, true), false, Relation::kNone},
  };
  for (const Row& row : rows) {
    for (Action a : {Action::kViewCase, Action::kAddNote}) {
      const Decision d = Decide(MakeCaller(row.role, row.caller_id, row.caller_unit),
                                a, &row.facts);
      EXPECT_EQ(d.allowed, row.allowed)
          << RoleName(row.role) << " " << row.caller_id << " " << ActionName(a);
      EXPECT_EQ(d.relation, row.relation);
      if (!d.allowed) EXPECT_FALSE(d.reason.empty());
    }
  }
}

TEST(PolicyTest, CaseActionsWithoutFactsAreDenied) {
  EXPECT_FALSE(Decide(MakeCaller(Role::kCounselor, 1), Action::kViewCase, nullptr).allowed);
}

TEST(PolicyTest, OnlyAuditorsReadTheAuditLog) {
  for (Action a : {Action::kReadCheckpoint, Action::kProveEntries, Action::kExportLog}) {
    for (Role r : kAllRoles) {
      const Decision d = Decide(MakeCaller(r, 1), a, nullptr);
      EXPECT_EQ(d.allowed, r == Role::kAuditor) << ActionName(a) << " " << RoleName(r);
      EXPECT_EQ(d.relation, Relation::kNone);
      if (!d.allowed) EXPECT_FALSE(d.reason.empty());
      // Facts change nothing: the log is not a case.
      const CaseFacts f = Facts(1, true);
      EXPECT_EQ(Decide(MakeCaller(r, 1), a, &f).allowed, r == Role::kAuditor);
    }
  }
}

TEST(PolicyTest, CaseReferenceLookupMatrix) {
  for (Role r : kAllRoles) {
    // Without facts: may the role look references up at all?
    const bool may = r == Role::kAdmin || r == Role::kPrincipal;
    EXPECT_EQ(Decide(MakeCaller(r, 1), Action::kLookupCaseRef, nullptr).allowed, may)
        << RoleName(r);
    for (const std::string school : {"school-a", "school-b"}) {
      for (bool high : {false, true}) {
        const CaseFacts f = Facts(1, high, school);  // the caller even owns it
        const bool expected =
            r == Role::kAdmin || (r == Role::kPrincipal && school == "school-a");
        const Decision d = Decide(MakeCaller(r, 1), Action::kLookupCaseRef, &f);
        EXPECT_EQ(d.allowed, expected) << RoleName(r) << " " << school;
        if (!d.allowed) EXPECT_FALSE(d.reason.empty());
      }
    }
  }
}

// Auditors and admins never reach a case, whatever the facts say.
TEST(PolicyTest, AuditorsAndAdminsNeverAnyCaseAction) {
  for (Role r : {Role::kAuditor, Role::kAdmin}) {
    const Caller c = MakeCaller(r, 7);
    for (const CaseFacts& f : {Facts(7, true), Facts(7, false), Facts(8, true)}) {
      for (Action a : {Action::kViewCase, Action::kAddNote}) {
        EXPECT_FALSE(Decide(c, a, &f).allowed) << RoleName(r) << " " << ActionName(a);
      }
    }
    EXPECT_FALSE(Decide(c, Action::kFileCase, nullptr).allowed);
    EXPECT_FALSE(Decide(c, Action::kListCases, nullptr).allowed);
  }
}

TEST(PolicyTest, NamesForTheAuditLog) {
  EXPECT_EQ(ActionName(Action::kReadCheckpoint), "audit.checkpoint");
  EXPECT_EQ(ActionName(Action::kProveEntries), "audit.proof");
  EXPECT_EQ(ActionName(Action::kExportLog), "audit.export");
  EXPECT_EQ(ActionName(Action::kLookupCaseRef), "audit.case_ref");
  EXPECT_EQ(RelationName(Relation::kOwner), "owner");
  EXPECT_EQ(RelationName(Relation::kRoute), "route");
  EXPECT_EQ(RelationName(Relation::kNone), "");
}

}  // namespace
}  // namespace casevault::domain
