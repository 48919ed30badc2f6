// Routing scenarios 4-6 (1-3: routing_scenarios_test.cc): a recused
// principal, changes racing from one version, and the roles that never
// reach a case.
#include <future>
#include <thread>
#include <utility>

#include "routing_fixture.h"

namespace casevault::testing {
namespace {

// Runs `a` and `b` on two threads released together.
template <typename A, typename B>
std::pair<grpc::Status, grpc::Status> Race(A a, B b) {
  std::promise<void> go;
  std::shared_future<void> gate = go.get_future().share();
  grpc::Status ra, rb;
  std::thread ta([&] {
    gate.wait();
    ra = a();
  });
  std::thread tb([&] {
    gate.wait();
    rb = b();
  });
  go.set_value();
  ta.join();
  tb.join();
  return {ra, rb};
}

std::vector<std::string> Names(const google::protobuf::RepeatedPtrField<std::string>& f) {
  return {f.begin(), f.end()};
}

// Scenario 4. The alleged perpetrator is the principal: once implicated,
// the case goes past them to the district, and for them it does not exist.
TEST_F(RoutingScenarioTest, ImplicatedPrincipalIsBypassedForTheDistrict) {
  v1::FileCaseRequest report = SampleCase("R4");
  report.set_severity(v1::SEVERITY_MEDIUM);
  report.mutable_perpetrator()->set_relation(v1::PERPETRATOR_RELATION_STAFF);
  const v1::Case filed = File("counselor", report);
  const std::string id = filed.id();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(filed.state().escalation(), v1::ESCALATION_NONE);

  v1::CaseState state;
  ASSERT_TRUE(Implicate("counselor", id, filed.version(), "principal", &state).ok());
  EXPECT_EQ(Names(state.implicated()), std::vector<std::string>{"principal"});
  v1::Step step;
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_SAFETY_PLAN, "counselor",
                      "2026-12-02", &step).ok());
  const int64_t version = Read("counselor", id).version();
  ASSERT_TRUE(Escalate("counselor", id, version, v1::ESCALATION_REASON_STAFF_INVOLVED,
                       &state).ok());
  EXPECT_EQ(state.escalation(), v1::ESCALATION_DISTRICT);
  EXPECT_EQ(state.escalation_reason(), v1::ESCALATION_REASON_STAFF_INVOLVED);
  EXPECT_EQ(state.status(), v1::CASE_STATUS_ESCALATED);

  v1::Case seen;
  ASSERT_TRUE(Get("district", id, &seen).ok());
  EXPECT_EQ(seen.state().escalation(), v1::ESCALATION_DISTRICT);
  EXPECT_TRUE(Has(ListIds("district"), id));
  std::vector<std::string> district_steps;
  ASSERT_TRUE(ListSteps("district", "", &district_steps).ok());
  EXPECT_TRUE(Has(district_steps, step.id()));

  auto principal_finds_nothing = [&](const std::string& stage) {
    SCOPED_TRACE(stage);
    const int64_t now = Read("counselor", id).version();
    const grpc::Status view = Get("principal", id);
    EXPECT_EQ(view.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(view.error_message(), Get("principal", kNoSuchCase).error_message());
    EXPECT_EQ(Note("principal", id, "Tôi cần xem hồ sơ này.").error_code(),
              grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(Escalate("principal", id, now, v1::ESCALATION_REASON_BEYOND_SCHOOL)
                  .error_code(),
              grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(Approve("principal", id, now).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_FALSE(Has(ListIds("principal"), id));
    std::vector<std::string> listed;
    EXPECT_TRUE(ListSteps("principal", "", &listed).ok());
    EXPECT_FALSE(Has(listed, step.id()));
    EXPECT_EQ(ListSteps("principal", id).error_code(), grpc::StatusCode::NOT_FOUND);
  };
  principal_finds_nothing("escalated");

  // The closure waits for the district's approval, not the principal's.
  v1::Case worked = Read("counselor", id);
  ASSERT_TRUE(Resolve("counselor", id, worked.version(), &state).ok());
  ASSERT_TRUE(Close("counselor", id, state.version(), v1::CLOSURE_REASON_SUPPORT_COMPLETED,
                    &state).ok());
  EXPECT_TRUE(state.closure_pending());
  principal_finds_nothing("closure pending");
  ASSERT_TRUE(Approve("district", id, state.version(), &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_CLOSED);

  // A high-severity case reaches the principal at filing, and goes on to
  // the district once the principal is implicated.
  v1::FileCaseRequest high = SampleCase("R4b");
  high.set_severity(v1::SEVERITY_HIGH);
  const v1::Case second = File("counselor", high);
  const std::string id2 = second.id();
  ASSERT_FALSE(id2.empty());
  EXPECT_EQ(second.state().escalation(), v1::ESCALATION_PRINCIPAL);
  EXPECT_TRUE(Get("principal", id2).ok());
  EXPECT_EQ(Get("district", id2).error_code(), grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(Implicate("counselor", id2, second.version(), "principal", &state).ok());
  EXPECT_EQ(state.escalation(), v1::ESCALATION_DISTRICT);
  EXPECT_EQ(Get("principal", id2).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_FALSE(Has(ListIds("principal"), id2));
  EXPECT_TRUE(Get("district", id2).ok());
  EXPECT_TRUE(Has(ListIds("district"), id2));

  const std::string ref = CaseRef(id);
  const std::string ref2 = CaseRef(id2);
  std::vector<std::string> forbidden = SensitiveStrings("R4");
  const std::vector<std::string> more = SensitiveStrings("R4b");
  forbidden.insert(forbidden.end(), more.begin(), more.end());
  forbidden.insert(forbidden.end(), {"Tôi cần xem hồ sơ", id, id2});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  ExpectedEntry implicate = OnCase(ref, "counselor", "case.implicate", "ok", "owner");
  implicate.target = "principal";
  EXPECT_TRUE(HasEntriesInOrder(
      log, {OnCase(ref, "counselor", "case.file", "ok", "owner"), implicate,
            OnCase(ref, "counselor", "step.add", "ok", "owner"),
            OnCase(ref, "counselor", "case.escalate", "ok", "owner"),
            OnCase(ref, "district", "case.view", "ok", "escalated"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "principal", "case.note", "not_found", ""),
            OnCase(ref, "principal", "case.escalate", "not_found", ""),
            OnCase(ref, "principal", "case.approve_closure", "not_found", ""),
            OnCase(ref, "principal", "step.list", "not_found", ""),
            OnCase(ref, "counselor", "case.close", "ok", "owner"),
            OnCase(ref, "principal", "case.approve_closure", "not_found", ""),
            OnCase(ref, "district", "case.approve_closure", "ok", "escalated")}));
  EXPECT_TRUE(HasEntriesInOrder(
      log, {OnCase(ref2, "counselor", "case.file", "ok", "owner"),
            OnCase(ref2, "principal", "case.view", "ok", "escalated"),
            OnCase(ref2, "district", "case.view", "not_found", ""),
            OnCase(ref2, "counselor", "case.implicate", "ok", "owner"),
            OnCase(ref2, "principal", "case.view", "not_found", ""),
            OnCase(ref2, "district", "case.view", "ok", "escalated")}));
  for (const auto& row : RowsOf(log, "principal", ref)) {
    EXPECT_EQ(row.outcome, "not_found") << Describe(row);
  }
}

// Scenario 5. Two people change the same step, then the same case, from
// the version they both read: one wins, the other is told to reload.
TEST_F(RoutingScenarioTest, ChangesFromOneVersionOneWinsTheOtherIsAborted) {
  v1::FileCaseRequest report = SampleCase("R5");
  report.set_severity(v1::SEVERITY_HIGH);
  const v1::Case filed = File("counselor", report);
  const std::string id = filed.id();
  ASSERT_FALSE(id.empty());
  v1::CaseState state;
  ASSERT_TRUE(AddParticipant("counselor", id, filed.version(), "counselor2", &state).ok());
  EXPECT_TRUE(Has(Names(state.participants()), "counselor2"));
  v1::Step step;
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_SAFETY_PLAN, "counselor",
                      "2026-12-06", &step).ok());
  for (const char* user : {"counselor", "counselor2", "principal"}) Token(user);

  // The step: both edit it from version 1.
  v1::UpdateStepRequest move;
  move.set_step_id(step.id());
  move.set_version(step.version());
  move.set_due_date("2026-12-09");
  v1::UpdateStepRequest start = move;
  start.clear_due_date();
  start.set_status(v1::STEP_STATUS_IN_PROGRESS);
  start.set_outcome("Đã gặp em R5 lần đầu.");
  const auto [by_owner, by_second] =
      Race([&] { return UpdateStep("counselor", move); },
           [&] { return UpdateStep("counselor2", start); });
  ASSERT_NE(by_owner.ok(), by_second.ok())
      << by_owner.error_message() << " / " << by_second.error_message();
  const grpc::Status& step_lost = by_owner.ok() ? by_second : by_owner;
  EXPECT_EQ(step_lost.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(step_lost.error_message().find("reload"), std::string::npos);
  const std::string step_winner = by_owner.ok() ? "counselor" : "counselor2";
  const std::string step_loser = by_owner.ok() ? "counselor2" : "counselor";
  const v1::UpdateStepRequest& lost_edit = by_owner.ok() ? start : move;
  // Sent again from the same stale version: aborted again. Reloaded: done.
  EXPECT_EQ(UpdateStep(step_loser, lost_edit).error_code(), grpc::StatusCode::ABORTED);
  v1::Case reloaded = Read(step_loser, id);
  ASSERT_EQ(reloaded.steps_size(), 1);
  EXPECT_EQ(reloaded.steps(0).version(), step.version() + 1);
  v1::UpdateStepRequest retry = lost_edit;
  retry.set_version(reloaded.steps(0).version());
  v1::Step edited;
  ASSERT_TRUE(UpdateStep(step_loser, retry, &edited).ok());
  EXPECT_EQ(edited.version(), step.version() + 2);
  EXPECT_EQ(edited.due_date(), "2026-12-09");
  EXPECT_EQ(edited.status(), v1::STEP_STATUS_IN_PROGRESS);

  // The case: the owner resolves while the principal escalates, both from
  // the version they read.
  const int64_t version = Read("counselor", id).version();
  v1::CaseState resolved, escalated;
  const auto [resolve, escalate] = Race(
      [&] { return Resolve("counselor", id, version, &resolved); },
      [&] {
        return Escalate("principal", id, version, v1::ESCALATION_REASON_BEYOND_SCHOOL,
                        &escalated);
      });
  ASSERT_NE(resolve.ok(), escalate.ok())
      << resolve.error_message() << " / " << escalate.error_message();
  const grpc::Status& case_lost = resolve.ok() ? escalate : resolve;
  EXPECT_EQ(case_lost.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_NE(case_lost.error_message().find("reload"), std::string::npos);
  v1::Case now = Read("counselor", id);
  EXPECT_EQ(now.version(), version + 1);
  if (resolve.ok()) {
    EXPECT_EQ(now.status(), v1::CASE_STATUS_RESOLVED);
    EXPECT_EQ(now.state().escalation(), v1::ESCALATION_PRINCIPAL);
  } else {
    EXPECT_EQ(now.status(), v1::CASE_STATUS_ESCALATED);
    EXPECT_EQ(now.state().escalation(), v1::ESCALATION_DISTRICT);
  }

  // One after the other from one version: the owner adds the union officer,
  // then the principal's reassignment from the same version is aborted.
  ASSERT_TRUE(AddParticipant("counselor", id, now.version(), "union", &state).ok());
  EXPECT_EQ(Assign("principal", id, now.version(), "counselor2").error_code(),
            grpc::StatusCode::ABORTED);
  v1::Case after = Read("counselor", id);
  EXPECT_EQ(after.owner(), "counselor");
  EXPECT_EQ(after.version(), now.version() + 1);

  // The real client says to reload, with exit code 7.
  const CliResult cli = Cli("counselor", "case resolve " + id + " --version " +
                                             std::to_string(version));
  EXPECT_EQ(cli.code, 7) << cli.err;
  EXPECT_NE(cli.err.find("reload"), std::string::npos) << cli.err;
  EXPECT_NE(cli.err.find("casevault case show " + id), std::string::npos) << cli.err;
  EXPECT_EQ(Read("counselor", id).version(), after.version());

  const std::string ref = CaseRef(id);
  const std::string step_reason = [](const std::string& who) {
    return who == "counselor" ? std::string("owner") : std::string("participant");
  }(step_loser);
  const std::string case_winner = resolve.ok() ? "counselor" : "principal";
  const std::string case_loser = resolve.ok() ? "principal" : "counselor";
  std::vector<std::string> forbidden = SensitiveStrings("R5");
  forbidden.insert(forbidden.end(), {"Đã gặp em R5", id});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  EXPECT_TRUE(HasEntriesInOrder(
      log,
      {OnCase(ref, "counselor", "case.file", "ok", "owner"),
       OnCase(ref, "counselor", "case.add_participant", "ok", "owner"),
       OnCase(ref, "counselor", "step.add", "ok", "owner"),
       OnCase(ref, step_winner, "step.update", "ok"),
       OnCase(ref, step_loser, "step.update", "aborted", step_reason),
       OnCase(ref, step_loser, "step.update", "aborted", step_reason),
       OnCase(ref, step_loser, "step.update", "ok", step_reason),
       OnCase(ref, case_winner, resolve.ok() ? "case.resolve" : "case.escalate", "ok"),
       OnCase(ref, case_loser, resolve.ok() ? "case.escalate" : "case.resolve",
              "aborted"),
       OnCase(ref, "counselor", "case.add_participant", "ok", "owner"),
       OnCase(ref, "principal", "case.assign", "aborted", "escalated"),
       OnCase(ref, "counselor", "case.resolve", "aborted", "owner")}));
}

// Scenario 6. Auditors and admins reach no case: every case, step and
// consent action on a real case is NOT_FOUND (as for a missing id), filing
// and lists are PERMISSION_DENIED, and nothing changes.
TEST_F(RoutingScenarioTest, AuditorAndAdminCanDoNoCaseAction) {
  const v1::Case filed = File("counselor", SampleCase("R6"));
  const std::string id = filed.id();
  ASSERT_FALSE(id.empty());
  v1::Step step;
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_COUNSELING_SESSION, "counselor",
                      "2026-12-07", &step).ok());
  v1::RecordConsentRequest consent;
  consent.set_case_id(id);
  consent.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  consent.set_service_kind(v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111);
  consent.set_given_by(v1::CONSENT_GIVER_BOTH);
  consent.set_child_assent(v1::CHILD_ASSENT_GIVEN);
  consent.set_given_on("2026-11-22");
  v1::Consent recorded;
  ASSERT_TRUE(RecordConsent("counselor", consent, &recorded).ok());
  const std::string note_text = "Ghi chú R6: em đã được chuyển chỗ ngồi.";
  ASSERT_TRUE(Note("counselor", id, note_text).ok());
  const v1::Case before = Read("counselor", id);
  const int64_t v = before.version();

  v1::RecordOverrideRequest override_request;
  override_request.set_case_id(id);
  override_request.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  override_request.set_service_kind(v1::STEP_KIND_POLICE_REPORT);
  override_request.set_reason(v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW);
  v1::UpdateStepRequest edit;
  edit.set_step_id(step.id());
  edit.set_version(step.version());
  edit.set_due_date("2026-12-24");

  const std::string ref = CaseRef(id);
  std::vector<ExpectedEntry> expected;
  for (const std::string who : {"auditor", "admin"}) {
    SCOPED_TRACE(who);
    // Case-scoped: hidden, exactly like an id that names nothing.
    auto hidden = [&](const char* action, const grpc::Status& s) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << action;
      EXPECT_EQ(ErrorInfoReason(s), "") << action << ": a hidden reason was sent";
      expected.push_back(OnCase(ref, who, action, "not_found", ""));
    };
    // Role level: refused, with the policy's reason code.
    auto denied = [&](const char* action, const grpc::Status& s, const char* code,
                      const std::string& case_ref) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << action;
      EXPECT_EQ(ErrorInfoReason(s), code) << action;
      expected.push_back(OnCase(case_ref, who, action, "permission_denied", ""));
    };
    denied("case.file", TryFile(who, SampleCase("R6")), "FILING_NOT_PERMITTED", "");
    const grpc::Status view = Get(who, id);
    hidden("case.view", view);
    EXPECT_EQ(view.error_message(), Get(who, kNoSuchCase).error_message());
    denied("case.list", ListStatus(who), "NO_CASE_ACCESS", "");
    hidden("case.note", Note(who, id, "Kiểm tra của " + who));
    hidden("case.escalate", Escalate(who, id, v, v1::ESCALATION_REASON_OTHER));
    hidden("case.assign", Assign(who, id, v, "counselor2"));
    hidden("case.accept", Accept(who, id, v));
    hidden("case.add_participant", AddParticipant(who, id, v, "counselor2"));
    hidden("case.implicate", Implicate(who, id, v, "counselor2"));
    hidden("case.remove_implicated", RemoveImplicated(who, id, v, "counselor2"));
    hidden("case.resolve", Resolve(who, id, v));
    hidden("case.close", Close(who, id, v, v1::CLOSURE_REASON_DUPLICATE));
    hidden("case.approve_closure", Approve(who, id, v));
    hidden("case.reopen", Reopen(who, id, v));
    hidden("step.add",
           AddStep(who, id, v1::STEP_KIND_HOME_VISIT, "counselor", "2026-12-08"));
    const grpc::Status update = UpdateStep(who, edit);
    hidden("step.update", update);
    v1::UpdateStepRequest missing_step = edit;
    missing_step.set_step_id(kNoSuchStep);
    EXPECT_EQ(update.error_message(), UpdateStep(who, missing_step).error_message());
    hidden("step.complete", CompleteStep(who, step.id(), step.version(), "xong"));
    denied("step.list", ListSteps(who, ""), "NO_CASE_ACCESS", "");
    denied("step.list", ListSteps(who, id), "NO_CASE_ACCESS", ref);
    hidden("consent.record", RecordConsent(who, consent));
    const grpc::Status withdraw = WithdrawConsent(who, recorded.id());
    hidden("consent.withdraw", withdraw);
    EXPECT_EQ(withdraw.error_message(),
              WithdrawConsent(who, kNoSuchConsent).error_message());
    hidden("consent.override", RecordOverride(who, override_request));
  }

  // Nothing changed.
  const v1::Case after = Read("counselor", id);
  EXPECT_EQ(after.version(), v);
  EXPECT_EQ(after.status(), before.status());
  EXPECT_EQ(after.state().DebugString(), before.state().DebugString());
  EXPECT_EQ(after.notes_size(), 1);
  ASSERT_EQ(after.steps_size(), 1);
  EXPECT_EQ(after.steps(0).DebugString(), before.steps(0).DebugString());
  ASSERT_EQ(after.consents_size(), 1);
  EXPECT_TRUE(after.consents(0).in_force());
  EXPECT_EQ(after.overrides_size(), 0);
  EXPECT_EQ(d_.CaseCount(), 1);

  std::vector<std::string> forbidden = SensitiveStrings("R6");
  forbidden.insert(forbidden.end(), {note_text, "Kiểm tra của", id});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  EXPECT_TRUE(HasEntriesInOrder(log, expected));
  for (const char* who : {"auditor", "admin"}) {
    for (const auto& row : RowsOf(log, who, ref)) {
      if (row.action == "audit.case_ref") continue;  // this test's own lookup
      EXPECT_TRUE(row.outcome == "not_found" || row.outcome == "permission_denied")
          << Describe(row);
      EXPECT_EQ(row.reason, "") << Describe(row);
    }
  }
}

}  // namespace
}  // namespace casevault::testing
