// Focused policy tests: the cases worth naming. The full role x action x
// relation matrix is in policy_matrix_test.cc.
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

CaseFacts Facts(int64_t owner, const std::string& school = "school-a") {
  CaseFacts f;
  f.owner_id = owner;
  f.school_id = school;
  return f;
}

std::vector<Action> CaseActions() {
  std::vector<Action> out;
  for (Action a : AllActions()) {
    if (IsCaseAction(a)) out.push_back(a);
  }
  return out;
}

TEST(PolicyTest, RecusalBeatsOwner) {
  for (Role r : {Role::kCounselor, Role::kPrincipal}) {
    const Caller owner = MakeCaller(r, 7);
    CaseFacts f = Facts(7);
    ASSERT_TRUE(Decide(owner, Action::kViewCase, &f).allowed);
    f.implicated = {7};
    EXPECT_EQ(RelationTo(owner, f), Relation::kNone);
    for (Action a : CaseActions()) {
      const Decision d = Decide(owner, a, &f);
      EXPECT_FALSE(d.allowed) << RoleName(r) << " " << ActionName(a);
      EXPECT_TRUE(d.hidden) << RoleName(r) << " " << ActionName(a);
      EXPECT_EQ(d.relation, Relation::kNone);
    }
  }
}

TEST(PolicyTest, RecusalBeatsEveryOtherRelation) {
  CaseFacts f = Facts(20);
  f.escalation = kEscalationDistrict;
  f.staff_involved = true;
  f.principal_recused = true;
  f.participants = {7};
  f.pending_owner_id = 7;
  f.implicated = {7};
  for (Role r : kAllRoles) {
    const Caller c = MakeCaller(r, 7);
    EXPECT_EQ(RelationTo(c, f), Relation::kNone) << RoleName(r);
    const Decision d = Decide(c, Action::kViewCase, &f);
    EXPECT_FALSE(d.allowed);
    EXPECT_TRUE(d.hidden);
  }
  // Someone else's recusal changes nothing for the caller.
  f.implicated = {8};
  EXPECT_EQ(RelationTo(MakeCaller(Role::kCounselor, 7), f), Relation::kParticipant);
}

TEST(PolicyTest, DistrictThroughPrincipalRecusedAtAnySchool) {
  // A district account's unit is the district; it reaches every school of
  // the deployment.
  const Caller district = MakeCaller(Role::kDistrict, 5, "district-1");
  for (const std::string school : {"school-a", "school-b", "school-z"}) {
    CaseFacts f = Facts(20, school);
    f.implicated = {2};  // the principal
    EXPECT_EQ(RelationTo(district, f), Relation::kNone) << school;
    EXPECT_TRUE(Decide(district, Action::kViewCase, &f).hidden);

    f.principal_recused = true;
    EXPECT_EQ(RelationTo(district, f), Relation::kEscalated) << school;
    for (Action a : {Action::kViewCase, Action::kAddNote, Action::kApproveClosure,
                     Action::kRecordOverride, Action::kRemoveImplicated}) {
      const Decision d = Decide(district, a, &f);
      EXPECT_TRUE(d.allowed) << school << " " << ActionName(a);
      EXPECT_EQ(RelationName(d.relation), "escalated");
    }
    // The top level: the district never escalates, nor resolves.
    for (Action a : {Action::kEscalateCase, Action::kResolveCase, Action::kAssignCase}) {
      const Decision d = Decide(district, a, &f);
      EXPECT_FALSE(d.allowed) << school << " " << ActionName(a);
      EXPECT_FALSE(d.hidden) << school << " " << ActionName(a);
      EXPECT_FALSE(d.reason.empty());
    }
  }
}

TEST(PolicyTest, DistrictThroughEscalationAtAnySchool) {
  const Caller district = MakeCaller(Role::kDistrict, 5, "district-1");
  CaseFacts f = Facts(20, "school-q");
  f.escalation = kEscalationPrincipal;
  EXPECT_EQ(RelationTo(district, f), Relation::kNone);
  f.escalation = kEscalationDistrict;
  EXPECT_EQ(RelationTo(district, f), Relation::kEscalated);
}

TEST(PolicyTest, PrincipalAndUnionOnlyInTheirSchool) {
  CaseFacts f = Facts(20, "school-b");
  f.escalation = kEscalationDistrict;
  f.staff_involved = true;
  EXPECT_EQ(RelationTo(MakeCaller(Role::kPrincipal, 2), f), Relation::kNone);
  EXPECT_EQ(RelationTo(MakeCaller(Role::kUnion, 3), f), Relation::kNone);
  EXPECT_EQ(RelationTo(MakeCaller(Role::kPrincipal, 2, "school-b"), f),
            Relation::kEscalated);
  EXPECT_EQ(RelationTo(MakeCaller(Role::kUnion, 3, "school-b"), f),
            Relation::kStaffInvolved);
}

// The relation with the most rights wins: a principal added as a
// participant of an escalated case keeps the rights of an escalated
// principal; a participant offered a hand-over keeps participant rights and
// may accept it.
TEST(PolicyTest, TheStrongestRelationDecides) {
  const Caller principal = MakeCaller(Role::kPrincipal, 2);
  CaseFacts f = Facts(20);
  f.escalation = kEscalationPrincipal;
  EXPECT_TRUE(Decide(principal, Action::kRecordOverride, &f).allowed);
  f.participants = {2};
  EXPECT_EQ(RelationTo(principal, f), Relation::kEscalated);
  EXPECT_TRUE(Decide(principal, Action::kRecordOverride, &f).allowed);
  f.escalation = 0;
  EXPECT_EQ(RelationTo(principal, f), Relation::kParticipant);
  EXPECT_FALSE(Decide(principal, Action::kRecordOverride, &f).allowed);
  EXPECT_TRUE(Decide(principal, Action::kAddStep, &f).allowed);
  // Participation comes before a pending hand-over, which may be accepted.
  f.pending_owner_id = 2;
  EXPECT_EQ(RelationTo(principal, f), Relation::kParticipant);
  const Decision accept = Decide(principal, Action::kAcceptCase, &f);
  EXPECT_TRUE(accept.allowed);
  EXPECT_EQ(accept.relation, Relation::kHandover);
  EXPECT_TRUE(Decide(principal, Action::kAddNote, &f).allowed);
  // Ownership comes first.
  f.owner_id = 2;
  EXPECT_EQ(RelationTo(principal, f), Relation::kOwner);
  f.owner_id = 20;
  f.participants = {};
  EXPECT_EQ(RelationTo(principal, f), Relation::kHandover);
}

TEST(PolicyTest, HandoverViewsAndAcceptsOnly) {
  const Caller counselor = MakeCaller(Role::kCounselor, 8);
  CaseFacts f = Facts(7);
  f.pending_owner_id = 8;
  for (Action a : CaseActions()) {
    const Decision d = Decide(counselor, a, &f);
    const bool expected = a == Action::kViewCase || a == Action::kAcceptCase;
    EXPECT_EQ(d.allowed, expected) << ActionName(a);
    if (expected) {
      EXPECT_EQ(d.relation, Relation::kHandover);
    } else {
      EXPECT_FALSE(d.hidden) << ActionName(a);  // they may view it
      EXPECT_FALSE(d.reason.empty());
    }
  }
  // The owner may not accept: nothing was offered to them.
  const Decision owner = Decide(MakeCaller(Role::kCounselor, 7), Action::kAcceptCase, &f);
  EXPECT_FALSE(owner.allowed);
  EXPECT_FALSE(owner.hidden);
}

TEST(PolicyTest, CaseActionsWithoutFactsAreHidden) {
  for (Role r : kAllRoles) {
    for (Action a : CaseActions()) {
      const Decision d = Decide(MakeCaller(r, 1), a, nullptr);
      EXPECT_FALSE(d.allowed) << RoleName(r) << " " << ActionName(a);
      EXPECT_TRUE(d.hidden) << RoleName(r) << " " << ActionName(a);
      EXPECT_FALSE(d.reason.empty());
    }
  }
}

TEST(PolicyTest, RoleLevelActionsIgnoreFacts) {
  CaseFacts owned = Facts(1);
  owned.implicated = {1};
  for (Action a : AllActions()) {
    if (IsCaseAction(a) || a == Action::kLookupCaseRef) continue;
    for (Role r : kAllRoles) {
      const Decision without = Decide(MakeCaller(r, 1), a, nullptr);
      const Decision with = Decide(MakeCaller(r, 1), a, &owned);
      EXPECT_EQ(without.allowed, with.allowed) << RoleName(r) << " " << ActionName(a);
      EXPECT_FALSE(without.hidden);
      EXPECT_FALSE(with.hidden);
    }
  }
}

TEST(PolicyTest, CaseReferenceLookup) {
  for (Role r : kAllRoles) {
    // Without facts: may the role look references up at all?
    const bool may = r == Role::kAdmin || r == Role::kPrincipal;
    const Decision d = Decide(MakeCaller(r, 1), Action::kLookupCaseRef, nullptr);
    EXPECT_EQ(d.allowed, may) << RoleName(r);
    EXPECT_FALSE(d.hidden) << RoleName(r);
    if (!may) {
      EXPECT_FALSE(d.reason.empty());
    }
  }
  for (Role r : kAllRoles) {
    for (const std::string school : {"school-a", "school-b"}) {
      const CaseFacts f = Facts(1, school);  // the caller even owns it
      const Decision d = Decide(MakeCaller(r, 1), Action::kLookupCaseRef, &f);
      const bool same = school == "school-a";
      if (r == Role::kAdmin || (r == Role::kPrincipal && same)) {
        EXPECT_TRUE(d.allowed) << RoleName(r) << " " << school;
      } else if (r == Role::kPrincipal) {
        // Another school's case: as if it did not exist.
        EXPECT_FALSE(d.allowed);
        EXPECT_TRUE(d.hidden);
      } else {
        // A role that may never look up: denied whether or not it exists.
        EXPECT_FALSE(d.allowed) << RoleName(r);
        EXPECT_FALSE(d.hidden) << RoleName(r);
      }
    }
  }
  // An implicated principal or admin may not learn that the case exists.
  for (Role r : {Role::kAdmin, Role::kPrincipal}) {
    CaseFacts f = Facts(20);
    f.implicated = {1};
    const Decision d = Decide(MakeCaller(r, 1), Action::kLookupCaseRef, &f);
    EXPECT_FALSE(d.allowed) << RoleName(r);
    EXPECT_TRUE(d.hidden) << RoleName(r);
  }
}

TEST(PolicyTest, AuditorsAndAdminsNeverReachACase) {
  for (Role r : {Role::kAuditor, Role::kAdmin}) {
    const Caller c = MakeCaller(r, 7);
    CaseFacts f = Facts(7);
    f.participants = {7};
    f.pending_owner_id = 7;
    f.escalation = kEscalationDistrict;
    f.staff_involved = true;
    EXPECT_EQ(RelationTo(c, f), Relation::kNone);
    for (Action a : CaseActions()) {
      const Decision d = Decide(c, a, &f);
      EXPECT_FALSE(d.allowed) << RoleName(r) << " " << ActionName(a);
      EXPECT_TRUE(d.hidden);
    }
    EXPECT_FALSE(Decide(c, Action::kFileCase, nullptr).allowed);
    EXPECT_FALSE(Decide(c, Action::kListCases, nullptr).allowed);
    EXPECT_FALSE(Decide(c, Action::kListSteps, nullptr).allowed);
  }
}

TEST(PolicyTest, DeniedMessagesCarryNoCaseData) {
  CaseFacts f = Facts(20, "school-secret-77");
  f.participants = {7};
  const Decision d = Decide(MakeCaller(Role::kCounselor, 7), Action::kCloseCase, &f);
  ASSERT_FALSE(d.allowed);
  EXPECT_EQ(d.message.find("school-secret-77"), std::string::npos);
  EXPECT_EQ(d.message.find("20"), std::string::npos);
}

TEST(PolicyTest, Names) {
  EXPECT_EQ(ActionName(Action::kCreateAccount), "user.create");
  EXPECT_EQ(ActionName(Action::kViewCase), "case.view");
  EXPECT_EQ(ActionName(Action::kAddNote), "case.note");
  EXPECT_EQ(ActionName(Action::kListSteps), "step.list");
  EXPECT_EQ(ActionName(Action::kAddImplicated), "case.implicate");
  EXPECT_EQ(ActionName(Action::kRecordOverride), "consent.override");
  EXPECT_EQ(ActionName(Action::kApproveClosure), "case.approve_closure");
  EXPECT_EQ(ActionName(Action::kReadCheckpoint), "audit.checkpoint");
  EXPECT_EQ(ActionName(Action::kProveEntries), "audit.proof");
  EXPECT_EQ(ActionName(Action::kExportLog), "audit.export");
  EXPECT_EQ(ActionName(Action::kLookupCaseRef), "audit.case_ref");
  EXPECT_EQ(RelationName(Relation::kNone), "");
  EXPECT_EQ(RelationName(Relation::kOwner), "owner");
  EXPECT_EQ(RelationName(Relation::kHandover), "handover");
  EXPECT_EQ(RelationName(Relation::kParticipant), "participant");
  EXPECT_EQ(RelationName(Relation::kEscalated), "escalated");
  EXPECT_EQ(RelationName(Relation::kStaffInvolved), "staff-involved");
}

}  // namespace
}  // namespace casevault::domain
