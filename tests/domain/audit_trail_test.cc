// Every domain operation appends its entry (invariants A1, A3, A7 of
// audit_trail.cc); nothing sensitive reaches the log; an operation whose
// entry cannot be written is refused and leaves nothing.
#include "domain/audit_trail.h"

#include "audit_fixture.h"
#include "gmock/gmock.h"
#include "support/password_turns.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;
using testing::AuditFault;

// The fields of an entry a test checks.
struct Expected {
  std::string action, actor, role, unit, outcome, case_ref, target, reason;
};

class AuditTrailTest : public AuditTest {
 protected:
  void ExpectLast(const Expected& want, const std::string& request = "test") {
    const audit::AuditEntry e = Last();
    SCOPED_TRACE(want.action + " " + want.outcome);
    EXPECT_EQ(e.action, want.action);
    EXPECT_EQ(e.actor, want.actor);
    EXPECT_EQ(e.role, want.role);
    EXPECT_EQ(e.unit, want.unit);
    EXPECT_EQ(e.outcome, want.outcome);
    EXPECT_EQ(e.case_ref, want.case_ref);
    EXPECT_EQ(e.target, want.target);
    EXPECT_EQ(e.reason, want.reason);
    EXPECT_EQ(e.request, request);
  }
  std::string Ref(const std::string& case_id) { return trail_->CaseRef(case_id); }
};

TEST_F(AuditTrailTest, OperatorCreationsAreEntries) {
  const std::vector<audit::AuditEntry> entries = Entries();
  ASSERT_EQ(entries.size(), 6u);  // the fixture's six accounts
  EXPECT_EQ(entries[0].action, "user.create");
  EXPECT_EQ(entries[0].role, "operator");
  EXPECT_EQ(entries[0].actor, "");
  EXPECT_EQ(entries[0].target, "co.lan");
  EXPECT_EQ(entries[0].outcome, "ok");
  EXPECT_EQ(entries[0].time, "2026-11-29T00:00:00.000Z");
  EXPECT_EQ(entries[0].request, "");
}

TEST_F(AuditTrailTest, CaseOperationsNameTheCaseByReferenceOnly) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, DistinctiveCase("A")));
  ExpectLast({"case.file", "co.lan", "counselor", "school-a", "ok", Ref(filed.id), "", "owner"});
  EXPECT_EQ(Last().case_ref.size(), 32u);
  EXPECT_EQ(Ref(filed.id), Ref(filed.id));
  EXPECT_NE(Ref(filed.id), Ref("0123456789abcdef01234567"));

  EXPECT_THAT(desk_->File(auditor_, DistinctiveCase("B")),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ExpectLast({"case.file", "kiem.toan", "auditor", "school-a", "permission_denied", "", "", ""});
  NewCase invalid = DistinctiveCase("C");
  invalid.incident_date = "yesterday";
  EXPECT_THAT(desk_->File(counselor_, invalid), StatusIs(absl::StatusCode::kInvalidArgument));
  ExpectLast({"case.file", "co.lan", "counselor", "school-a", "invalid_argument", "", "", ""});

  ASSERT_OK(desk_->Get(counselor_, filed.id).status());
  ExpectLast({"case.view", "co.lan", "counselor", "school-a", "ok", Ref(filed.id), "", "owner"});
  EXPECT_THAT(desk_->Get(counselor2_, filed.id), StatusIs(absl::StatusCode::kNotFound));
  ExpectLast({"case.view", "co.mai", "counselor", "school-a", "not_found", Ref(filed.id), "", ""});
  const std::string missing = "0123456789abcdef01234567";
  EXPECT_THAT(desk_->Get(counselor2_, missing), StatusIs(absl::StatusCode::kNotFound));
  ExpectLast({"case.view", "co.mai", "counselor", "school-a", "not_found", Ref(missing), "", ""});
  EXPECT_THAT(desk_->Get(counselor_, "not a case id"), StatusIs(absl::StatusCode::kInvalidArgument));
  ExpectLast({"case.view", "co.lan", "counselor", "school-a", "invalid_argument", "", "", ""});

  ASSERT_OK_AND_ASSIGN(CaseView high, desk_->File(counselor_, DistinctiveCase("D", 3)));
  ASSERT_OK(desk_->Get(principal_, high.id).status());
  ExpectLast({"case.view", "hieu.truong", "principal", "school-a", "ok", Ref(high.id), "", "escalated"});

  ASSERT_OK(desk_->List(counselor_, {}).status());
  ExpectLast({"case.list", "co.lan", "counselor", "school-a", "ok", "", "", ""});
  EXPECT_THAT(desk_->List(admin_, {}), StatusIs(absl::StatusCode::kPermissionDenied));
  ExpectLast({"case.list", "quan.tri", "admin", "school-a", "permission_denied", "", "", ""});

  ASSERT_OK(desk_->AddNote(counselor_, filed.id, "Ghi chú bí mật").status());
  ExpectLast({"case.note", "co.lan", "counselor", "school-a", "ok", Ref(filed.id), "", "owner"});
  EXPECT_THAT(desk_->AddNote(auditor_, filed.id, "x"), StatusIs(absl::StatusCode::kNotFound));
  ExpectLast({"case.note", "kiem.toan", "auditor", "school-a", "not_found", Ref(filed.id), "", ""});
}

TEST_F(AuditTrailTest, SignInsAndSignOuts) {
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r1"));
  ExpectLast({"auth.login", "co.lan", "counselor", "school-a", "ok", "", "", ""}, "r1");
  ASSERT_OK(auth_->Logout(s.caller, s.token));
  ExpectLast({"auth.logout", "co.lan", "counselor", "school-a", "ok", "", "", ""}, "r1");
  // Authenticate is not an operation.
  const uint64_t before = EntryCount();
  EXPECT_FALSE(auth_->Authenticate(s.token, "r2").ok());
  EXPECT_EQ(EntryCount(), before);

  // An unknown name may be a password typed in the wrong field: no actor.
  EXPECT_THAT(auth_->Login("Hunter2-pasted-password", "x", "r3"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  ExpectLast({"auth.login_failed", "", "", "", "unauthenticated", "", "", ""}, "r3");
  EXPECT_THAT(auth_->Login("", "", "r4"), StatusIs(absl::StatusCode::kInvalidArgument));
  ExpectLast({"auth.login_failed", "", "", "", "invalid_argument", "", "", ""}, "r4");

  for (int i = 1; i < sign_in_.lock_after; ++i) {
    EXPECT_THAT(auth_->Login("co.mai", "wrong password!", "r5"),
                StatusIs(absl::StatusCode::kUnauthenticated));
    ExpectLast({"auth.login_failed", "co.mai", "counselor", "school-a", "unauthenticated",
                "", "", ""}, "r5");
  }
  EXPECT_THAT(auth_->Login("co.mai", "wrong password!", "r6"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  ExpectLast({"auth.lockout", "co.mai", "counselor", "school-a", "unauthenticated", "", "", ""},
             "r6");
  // The right password on a locked account is still a failure.
  EXPECT_THAT(auth_->Login("co.mai", "correct horse battery", "r7"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  ExpectLast({"auth.login_failed", "co.mai", "counselor", "school-a", "unauthenticated",
              "", "", ""}, "r7");
}

// A sign-in turned away because too many run at once is a failed sign-in
// in the log, with the outcome that says why; the actor only when the
// account exists, as for every failed sign-in.
TEST_F(AuditTrailTest, SignInsTurnedAwayWhenBusyAreLogged) {
  const crypto::PasswordHasher busy(casevault::testing::kSlowHash,
                                    casevault::testing::Turns(1, 0));
  Authenticator auth(*faulty_, *trail_, busy, clock_, random_, sign_in_);
  absl::StatusOr<SignedIn> refused;
  ASSERT_TRUE(casevault::testing::DuringAHeldTurn(busy, [&] {
    refused = auth.Login("co.mai", "correct horse battery", "r1");
  }));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted));
  ExpectLast({"auth.login_failed", "co.mai", "counselor", "school-a",
              "resource_exhausted", "", "", ""}, "r1");
  ASSERT_TRUE(casevault::testing::DuringAHeldTurn(busy, [&] {
    refused = auth.Login("nobody.here", "correct horse battery", "r2");
  }));
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted));
  ExpectLast({"auth.login_failed", "", "", "", "resource_exhausted", "", "",
              ""}, "r2");
}

TEST_F(AuditTrailTest, AccountChangesNameTheirTarget) {
  NewAccount a{"giao.vien", static_cast<int32_t>(Role::kCounselor), "school-a",
               "a long enough password"};
  ASSERT_OK(accounts_->Create(admin_, a).status());
  ExpectLast({"user.create", "quan.tri", "admin", "school-a", "ok", "", "giao.vien", ""});
  EXPECT_THAT(accounts_->Create(admin_, a), StatusIs(absl::StatusCode::kAlreadyExists));
  ExpectLast({"user.create", "quan.tri", "admin", "school-a", "already_exists", "", "giao.vien",
              ""});
  a.username = "chua.co";
  EXPECT_THAT(accounts_->Create(counselor_, a), StatusIs(absl::StatusCode::kPermissionDenied));
  ExpectLast({"user.create", "co.lan", "counselor", "school-a", "permission_denied", "", "", ""});

  ASSERT_OK(accounts_->List(admin_, 0, "").status());
  ExpectLast({"user.list", "quan.tri", "admin", "school-a", "ok", "", "", ""});
  ASSERT_OK(accounts_->Disable(admin_, "giao.vien").status());
  ExpectLast({"user.disable", "quan.tri", "admin", "school-a", "ok", "", "giao.vien", ""});
  EXPECT_THAT(accounts_->Disable(admin_, "khong.ai"), StatusIs(absl::StatusCode::kNotFound));
  ExpectLast({"user.disable", "quan.tri", "admin", "school-a", "not_found", "", "", ""});
  ASSERT_OK(accounts_->ResetPassword(admin_, "giao.vien", "another long password").status());
  ExpectLast({"user.reset_password", "quan.tri", "admin", "school-a", "ok", "", "giao.vien", ""});
  EXPECT_THAT(accounts_->ResetPassword(counselor_, "quan.tri", "another long password"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ExpectLast({"user.reset_password", "co.lan", "counselor", "school-a", "permission_denied", "",
              "quan.tri", ""});
  ASSERT_OK(accounts_->Unlock(admin_, "giao.vien").status());
  ExpectLast({"user.unlock", "quan.tri", "admin", "school-a", "ok", "", "giao.vien", ""});
}

TEST_F(AuditTrailTest, AuditOperationsAreEntriesToo) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, DistinctiveCase("A")));
  ASSERT_OK(audit_desk_->GetCheckpoint(auditor_, true).status());
  ExpectLast({"audit.checkpoint", "kiem.toan", "auditor", "school-a", "ok", "", "", ""});
  ASSERT_OK(audit_desk_->GetInclusionProof(auditor_, 0, 0).status());
  ExpectLast({"audit.proof", "kiem.toan", "auditor", "school-a", "ok", "", "", ""});
  ASSERT_OK(audit_desk_->GetConsistencyProof(auditor_, 1, 0).status());
  ExpectLast({"audit.proof", "kiem.toan", "auditor", "school-a", "ok", "", "", ""});
  ASSERT_OK(audit_desk_->ExportLog(auditor_, 0, [](const ExportChunk&) {
    return absl::OkStatus();
  }));
  ExpectLast({"audit.export", "kiem.toan", "auditor", "school-a", "ok", "", "", ""});
  EXPECT_THAT(audit_desk_->ExportLog(admin_, 0, [](const ExportChunk&) {
    return absl::OkStatus();
  }), StatusIs(absl::StatusCode::kPermissionDenied));
  ExpectLast({"audit.export", "quan.tri", "admin", "school-a", "permission_denied", "", "", ""});
  ASSERT_OK(audit_desk_->LookupCaseRef(admin_, filed.id).status());
  ExpectLast({"audit.case_ref", "quan.tri", "admin", "school-a", "ok", Ref(filed.id), "", ""});
}

TEST_F(AuditTrailTest, NothingSensitiveReachesTheLog) {
  std::vector<std::string> secrets;
  for (const std::string marker : {"ZQX-1", "ZQX-2"}) {
    ASSERT_OK_AND_ASSIGN(CaseView c, desk_->File(counselor_, DistinctiveCase(marker, 3)));
    ASSERT_OK(desk_->Get(counselor_, c.id).status());
    ASSERT_OK(desk_->Get(principal_, c.id).status());
    ASSERT_OK(desk_->AddNote(counselor_, c.id, "Mẹ em kể lại chuyện " + marker).status());
    ASSERT_OK(audit_desk_->LookupCaseRef(admin_, c.id).status());
    for (const std::string& s : DistinctiveStrings(marker)) secrets.push_back(s);
    secrets.push_back(c.id);  // the raw id: only its reference is logged
  }
  ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
  secrets.push_back(s.token);
  secrets.push_back("correct horse battery");
  EXPECT_FALSE(auth_->Login("co.lan", "Wr0ng-Secret-Pw", "r").ok());
  secrets.push_back("Wr0ng-Secret-Pw");
  EXPECT_FALSE(auth_->Login("Pasted-Pw-9911", "whatever-pw", "r").ok());
  secrets.push_back("Pasted-Pw-9911");
  secrets.push_back("whatever-pw");
  NewAccount a{"giao.vien", static_cast<int32_t>(Role::kCounselor), "school-a",
               "Initial-Secret-Pw-77"};
  ASSERT_OK(accounts_->Create(admin_, a).status());
  ASSERT_OK(accounts_->ResetPassword(admin_, "giao.vien", "Reset-Secret-Pw-88").status());
  secrets.push_back("Initial-Secret-Pw-77");
  secrets.push_back("Reset-Secret-Pw-88");

  const std::vector<std::string> raw = RawEntries();
  ASSERT_GT(raw.size(), 20u);
  for (const std::string& entry : raw) {
    for (const std::string& secret : secrets) {
      EXPECT_EQ(entry.find(secret), std::string::npos) << secret << " in " << entry;
    }
  }
}

// A1: the entry cannot be written, so the operation is refused and leaves
// nothing: no entry, no case, no note, no session, no account change.
TEST_F(AuditTrailTest, FailsClosedWhenTheEntryCannotBeWritten) {
  ASSERT_OK_AND_ASSIGN(CaseView filed, desk_->File(counselor_, DistinctiveCase("A")));
  uint64_t entries = EntryCount();
  const int64_t cases = CaseCount();
  for (AuditFault fault : {AuditFault::kAppend, AuditFault::kStoreTreeState}) {
    faulty_->Inject(fault);
    const auto kRefused = absl::StatusCode::kUnavailable;
    EXPECT_THAT(desk_->File(counselor_, DistinctiveCase("B")), StatusIs(kRefused));
    EXPECT_THAT(desk_->File(auditor_, DistinctiveCase("B")), StatusIs(kRefused));
    EXPECT_THAT(desk_->Get(counselor_, filed.id), StatusIs(kRefused));
    EXPECT_THAT(desk_->Get(counselor2_, filed.id), StatusIs(kRefused));
    EXPECT_THAT(desk_->List(counselor_, {}), StatusIs(kRefused));
    EXPECT_THAT(desk_->AddNote(counselor_, filed.id, "mất"), StatusIs(kRefused));
    EXPECT_THAT(auth_->Login("co.lan", "correct horse battery", "r"), StatusIs(kRefused));
    EXPECT_THAT(auth_->Login("co.lan", "wrong password!", "r"), StatusIs(kRefused));
    EXPECT_THAT(auth_->Login("nobody", "wrong password!", "r"), StatusIs(kRefused));
    NewAccount a{"giao.vien", static_cast<int32_t>(Role::kCounselor), "school-a",
                 "a long enough password"};
    EXPECT_THAT(accounts_->Create(admin_, a), StatusIs(kRefused));
    EXPECT_THAT(accounts_->Disable(admin_, "co.mai"), StatusIs(kRefused));
    EXPECT_THAT(audit_desk_->GetCheckpoint(auditor_, true), StatusIs(kRefused));
    EXPECT_THAT(audit_desk_->ExportLog(auditor_, 0, [](const ExportChunk&) {
      return absl::OkStatus();
    }), StatusIs(kRefused));
    EXPECT_THAT(audit_desk_->LookupCaseRef(admin_, filed.id), StatusIs(kRefused));
    faulty_->Inject(AuditFault::kNone);

    EXPECT_EQ(EntryCount(), entries);
    EXPECT_EQ(CaseCount(), cases);
    ASSERT_OK_AND_ASSIGN(CaseView read, desk_->Get(counselor_, filed.id));
    EXPECT_TRUE(read.notes.empty());
    EXPECT_EQ(read.version, 1);
    ASSERT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(storage::AccountRecord lan, tx.accounts().FindByUsername("co.lan"));
      EXPECT_EQ(lan.failed_logins, 0);
      ASSIGN_OR_RETURN(storage::AccountRecord mai, tx.accounts().FindByUsername("co.mai"));
      EXPECT_FALSE(mai.disabled);
      EXPECT_THAT(tx.accounts().FindByUsername("giao.vien"),
                  StatusIs(absl::StatusCode::kNotFound));
      return absl::OkStatus();
    }));
    EXPECT_EQ(EntryCount(), entries + 1);  // the Get just above
    EXPECT_OK(trail_->CheckIntegrity(*store_));
    ASSERT_OK_AND_ASSIGN(SignedIn s, auth_->Login("co.lan", "correct horse battery", "r"));
    ASSERT_OK(auth_->Logout(s.caller, s.token));
    entries = EntryCount();
  }
}

// A4: a subtree completed by the append cannot be cached: the same.
TEST_F(AuditTrailTest, FailsClosedWhenTheSubtreeCacheCannotBeWritten) {
  while (EntryCount() % 16 != 15) ASSERT_OK(desk_->List(counselor_, {}).status());
  const uint64_t entries = EntryCount();
  faulty_->Inject(AuditFault::kPutSubtreeHash);
  EXPECT_THAT(desk_->File(counselor_, DistinctiveCase("A")),
              StatusIs(absl::StatusCode::kUnavailable));
  faulty_->Inject(AuditFault::kNone);
  EXPECT_EQ(EntryCount(), entries);
  EXPECT_EQ(CaseCount(), 0);
  ASSERT_OK(desk_->File(counselor_, DistinctiveCase("A")).status());
  EXPECT_OK(trail_->CheckIntegrity(*store_));
}

}  // namespace
}  // namespace casevault::domain
