// Routing scenarios end to end (docs/lifecycle.md, docs/policy.md): real
// casevaultd over TLS with its SQLCipher file, the generated stubs, and the
// auditor's export verified with the real `casevault` binary. Each scenario
// ends by checking that the log holds its entries, in order, and no case
// content. Scenarios 4-6 are in routing_conflicts_test.cc.
#include "routing_fixture.h"

namespace casevault::testing {
namespace {

// Scenario 1. A peer reports psychological abuse of low severity: the
// counselor works it through a family step and a school step and closes
// it; the principal never learns the case exists.
TEST_F(RoutingScenarioTest, PeerReportStaysWithTheCounselorFromFilingToClosure) {
  v1::FileCaseRequest report = SampleCase("R1");
  report.set_incident_type(v1::INCIDENT_TYPE_PSYCHOLOGICAL_ABUSE);
  report.set_severity(v1::SEVERITY_LOW);
  report.set_reporter_type(v1::REPORTER_TYPE_PEER);
  const v1::Case filed = File("counselor", report);
  ASSERT_FALSE(filed.id().empty());
  const std::string id = filed.id();
  EXPECT_EQ(filed.state().escalation(), v1::ESCALATION_NONE);
  EXPECT_EQ(filed.status(), v1::CASE_STATUS_OPEN);

  v1::Case nothing;
  const std::string missing = Get("principal", kNoSuchCase, &nothing).error_message();
  std::vector<std::string> step_ids;
  auto principal_is_blind = [&](const std::string& stage) {
    SCOPED_TRACE(stage);
    const grpc::Status view = Get("principal", id);
    EXPECT_EQ(view.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(view.error_message(), missing);
    EXPECT_FALSE(Has(ListIds("principal"), id));
    std::vector<std::string> listed;
    EXPECT_TRUE(ListSteps("principal", "", &listed).ok());
    for (const auto& s : step_ids) EXPECT_FALSE(Has(listed, s)) << s;
    EXPECT_EQ(ListSteps("principal", id).error_code(), grpc::StatusCode::NOT_FOUND);
  };
  principal_is_blind("filed");

  v1::Step family, school;
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_CONTACT_GUARDIAN, "counselor",
                      "2026-12-02", &family).ok());
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_COUNSELING_SESSION, "counselor",
                      "2026-12-04", &school).ok());
  EXPECT_EQ(family.environment(), v1::ENVIRONMENT_FAMILY);
  EXPECT_EQ(school.environment(), v1::ENVIRONMENT_SCHOOL);
  EXPECT_EQ(family.owner(), "counselor");
  EXPECT_EQ(family.status(), v1::STEP_STATUS_PLANNED);
  step_ids = {family.id(), school.id()};
  std::vector<std::string> mine;
  ASSERT_TRUE(ListSteps("counselor", id, &mine).ok());
  EXPECT_EQ(mine.size(), 2u);
  principal_is_blind("steps added");

  const std::string family_outcome =
      "Đã gọi cho mẹ em R1; gia đình đồng ý theo dõi tin nhắn buổi tối.";
  const std::string school_outcome =
      "Buổi tư vấn R1: em bình tĩnh hơn, muốn đổi chỗ ngồi.";
  v1::Step done;
  ASSERT_TRUE(CompleteStep("counselor", family.id(), family.version(), family_outcome,
                           &done).ok());
  EXPECT_EQ(done.status(), v1::STEP_STATUS_DONE);
  EXPECT_EQ(done.outcome(), family_outcome);
  ASSERT_TRUE(CompleteStep("counselor", school.id(), school.version(), school_outcome,
                           &done).ok());
  EXPECT_EQ(done.status(), v1::STEP_STATUS_DONE);
  principal_is_blind("steps done");

  v1::Case worked = Read("counselor", id);
  EXPECT_EQ(worked.status(), v1::CASE_STATUS_IN_PROGRESS);
  ASSERT_EQ(worked.steps_size(), 2);
  for (const auto& s : worked.steps()) EXPECT_EQ(s.status(), v1::STEP_STATUS_DONE);
  v1::CaseState state;
  ASSERT_TRUE(Resolve("counselor", id, worked.version(), &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_RESOLVED);
  principal_is_blind("resolved");

  // Never escalated: it closes at once, without anyone's approval.
  ASSERT_TRUE(Close("counselor", id, state.version(), v1::CLOSURE_REASON_SUPPORT_COMPLETED,
                    &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_FALSE(state.closure_pending());
  EXPECT_EQ(state.closure_reason(), v1::CLOSURE_REASON_SUPPORT_COMPLETED);
  EXPECT_EQ(state.escalation(), v1::ESCALATION_NONE);
  principal_is_blind("closed");

  const std::string ref = CaseRef(id);
  std::vector<std::string> forbidden = SensitiveStrings("R1");
  forbidden.insert(forbidden.end(), {family_outcome, school_outcome, id});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  EXPECT_TRUE(HasEntriesInOrder(
      log, {OnCase(ref, "counselor", "case.file", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "principal", "step.list", "not_found", ""),
            OnCase(ref, "counselor", "step.add", "ok", "owner"),
            OnCase(ref, "counselor", "step.add", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "counselor", "step.complete", "ok", "owner"),
            OnCase(ref, "counselor", "step.complete", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "counselor", "case.resolve", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "counselor", "case.close", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "not_found", ""),
            OnCase(ref, "principal", "step.list", "not_found", "")}));
  for (const auto& row : RowsOf(log, "principal", ref)) {
    EXPECT_EQ(row.outcome, "not_found") << Describe(row);
    EXPECT_EQ(row.reason, "") << Describe(row);
  }
}

// Scenario 2. A high-severity case reaches the principal at filing; a
// referral outside the school waits for the guardian's consent; closing it
// needs the principal's approval.
TEST_F(RoutingScenarioTest, HighSeverityReachesThePrincipalAndReferralWaitsForConsent) {
  v1::FileCaseRequest report = SampleCase("R2");
  report.set_incident_type(v1::INCIDENT_TYPE_PHYSICAL_ASSAULT);
  report.set_severity(v1::SEVERITY_HIGH);
  const v1::Case filed = File("counselor", report);
  const std::string id = filed.id();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(filed.state().escalation(), v1::ESCALATION_PRINCIPAL);
  EXPECT_EQ(filed.state().escalation_reason(), v1::ESCALATION_REASON_HIGH_SEVERITY);
  EXPECT_EQ(filed.status(), v1::CASE_STATUS_OPEN);  // the counselor still works it

  v1::Case seen;
  ASSERT_TRUE(Get("principal", id, &seen).ok());
  EXPECT_EQ(seen.victim().name(), report.victim().name());
  EXPECT_TRUE(Has(ListIds("principal"), id));

  const std::string clinic = "Trạm y tế phường R2 — bác sĩ Hoàng Minh Châu";
  v1::Step referral;
  const grpc::Status refused = AddExternalStep(
      "principal", id, v1::STEP_KIND_HEALTH_SERVICE_REFERRAL, clinic, "2026-12-03");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << refused.error_message();
  EXPECT_NE(refused.error_message().find("consent"), std::string::npos);
  v1::Case after = Read("counselor", id);
  EXPECT_EQ(after.version(), filed.version()) << "a refused step changes nothing";
  EXPECT_EQ(after.steps_size(), 0);

  v1::RecordConsentRequest consent;
  consent.set_case_id(id);
  consent.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  consent.set_service_kind(v1::STEP_KIND_HEALTH_SERVICE_REFERRAL);
  consent.set_given_by(v1::CONSENT_GIVER_GUARDIAN);
  consent.set_child_assent(v1::CHILD_ASSENT_GIVEN);  // born 2012: a minor
  consent.set_given_on("2026-11-21");
  v1::Consent recorded;
  ASSERT_TRUE(RecordConsent("counselor", consent, &recorded).ok());
  EXPECT_TRUE(recorded.in_force());
  EXPECT_EQ(recorded.recorded_by(), "counselor");

  ASSERT_TRUE(AddExternalStep("principal", id, v1::STEP_KIND_HEALTH_SERVICE_REFERRAL,
                              clinic, "2026-12-03", &referral).ok());
  EXPECT_EQ(referral.environment(), v1::ENVIRONMENT_SOCIETY);
  EXPECT_EQ(referral.owner(), "");
  EXPECT_EQ(referral.external_party(), clinic);
  EXPECT_EQ(referral.created_by(), "principal");

  v1::Case worked = Read("counselor", id);
  EXPECT_EQ(worked.status(), v1::CASE_STATUS_IN_PROGRESS);
  ASSERT_EQ(worked.steps_size(), 1);
  ASSERT_EQ(worked.consents_size(), 1);
  v1::CaseState state;
  ASSERT_TRUE(Resolve("counselor", id, worked.version(), &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_RESOLVED);
  ASSERT_TRUE(Close("counselor", id, state.version(),
                    v1::CLOSURE_REASON_REFERRED_ELSEWHERE, &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_RESOLVED);
  EXPECT_TRUE(state.closure_pending());
  EXPECT_EQ(state.closure_reason(), v1::CLOSURE_REASON_REFERRED_ELSEWHERE);

  ASSERT_TRUE(Approve("principal", id, state.version(), &state).ok());
  EXPECT_EQ(state.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_FALSE(state.closure_pending());
  EXPECT_EQ(Read("counselor", id).status(), v1::CASE_STATUS_CLOSED);

  const std::string ref = CaseRef(id);
  std::vector<std::string> forbidden = SensitiveStrings("R2");
  forbidden.insert(forbidden.end(), {clinic, id});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  EXPECT_TRUE(HasEntriesInOrder(
      log, {OnCase(ref, "counselor", "case.file", "ok", "owner"),
            OnCase(ref, "principal", "case.view", "ok", "escalated"),
            OnCase(ref, "principal", "step.add", "failed_precondition", "escalated"),
            OnCase(ref, "counselor", "consent.record", "ok", "owner"),
            OnCase(ref, "principal", "step.add", "ok", "escalated"),
            OnCase(ref, "counselor", "case.resolve", "ok", "owner"),
            OnCase(ref, "counselor", "case.close", "ok", "owner"),
            OnCase(ref, "principal", "case.approve_closure", "ok", "escalated")}));
}

// Scenario 3. A teacher with an account is the alleged perpetrator and is
// named as implicated: for them the case does not exist, whatever they try;
// nobody can give them the case or one of its steps. The school's union
// officer reaches the staff-involved case.
TEST_F(RoutingScenarioTest, ImplicatedTeacherCannotFindTheCaseButTheUnionCan) {
  const std::string teacher = "gv.tuan";
  d_.CreateAccount(teacher, v1::ROLE_COUNSELOR);
  v1::FileCaseRequest report = SampleCase("R3");
  report.set_reporter_type(v1::REPORTER_TYPE_SELF);
  report.mutable_perpetrator()->set_relation(v1::PERPETRATOR_RELATION_STAFF);
  const v1::Case filed = File("counselor", report);
  const std::string id = filed.id();
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(filed.state().staff_involved());

  v1::CaseState state;
  ASSERT_TRUE(Implicate("counselor", id, filed.version(), teacher, &state).ok());
  EXPECT_TRUE(Has(std::vector<std::string>(state.implicated().begin(),
                                           state.implicated().end()),
                  teacher));
  v1::Step step;  // overdue at once: every list filter below would match it
  ASSERT_TRUE(AddStep("counselor", id, v1::STEP_KIND_COUNSELING_SESSION, "counselor",
                      "2026-11-25", &step).ok());
  EXPECT_TRUE(step.overdue());

  std::vector<v1::ListCasesRequest> filters(5);
  filters[1].set_status(v1::CASE_STATUS_IN_PROGRESS);
  filters[2].set_severity(v1::SEVERITY_MEDIUM);
  filters[3].set_overdue(true);
  filters[4].set_environment(v1::ENVIRONMENT_SCHOOL);
  for (size_t i = 0; i < filters.size(); ++i) {
    EXPECT_TRUE(Has(ListIds("counselor", filters[i]), id)) << "filter " << i;
  }

  auto teacher_finds_nothing = [&](const std::string& stage) {
    SCOPED_TRACE(stage);
    const grpc::Status view = Get(teacher, id);
    const grpc::Status none = Get(teacher, kNoSuchCase);
    EXPECT_EQ(view.error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(view.error_message(), none.error_message());
    for (size_t i = 0; i < filters.size(); ++i) {
      EXPECT_FALSE(Has(ListIds(teacher, filters[i]), id)) << "filter " << i;
    }
    std::vector<std::string> listed;
    EXPECT_TRUE(ListSteps(teacher, "", &listed).ok());
    EXPECT_TRUE(listed.empty());
    EXPECT_EQ(ListSteps(teacher, id).error_code(), grpc::StatusCode::NOT_FOUND);
  };
  teacher_finds_nothing("implicated");

  const grpc::Status note = Note(teacher, id, "Tôi muốn giải thích sự việc.");
  EXPECT_EQ(note.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(AddStep(teacher, id, v1::STEP_KIND_TEACHER_BRIEFING, teacher, "2026-12-01")
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::UpdateStepRequest edit;
  edit.set_step_id(step.id());
  edit.set_version(step.version());
  edit.set_due_date("2026-12-20");
  const grpc::Status updated = UpdateStep(teacher, edit);
  edit.set_step_id(kNoSuchStep);
  const grpc::Status no_step = UpdateStep(teacher, edit);
  edit.set_step_id(step.id());
  EXPECT_EQ(updated.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(updated.error_message(), no_step.error_message());
  EXPECT_EQ(CompleteStep(teacher, step.id(), step.version(), "").error_code(),
            grpc::StatusCode::NOT_FOUND);

  // Nobody can hand the teacher the case or a step of it.
  const grpc::Status given =
      AddStep("counselor", id, v1::STEP_KIND_TEACHER_BRIEFING, teacher, "2026-12-01");
  EXPECT_EQ(given.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(given.error_message(), "this account cannot be given this case");
  v1::UpdateStepRequest reassign;
  reassign.set_step_id(step.id());
  reassign.set_version(step.version());
  reassign.set_owner(teacher);
  EXPECT_EQ(UpdateStep("counselor", reassign).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const int64_t version = Read("counselor", id).version();
  const grpc::Status handed = Assign("counselor", id, version, teacher);
  EXPECT_EQ(handed.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(handed.error_message(), "this account cannot be given this case");
  EXPECT_EQ(AddParticipant("counselor", id, version, teacher).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::Case unchanged = Read("counselor", id);
  EXPECT_EQ(unchanged.version(), version);
  EXPECT_EQ(unchanged.state().pending_owner(), "");
  EXPECT_FALSE(Has(std::vector<std::string>(unchanged.state().participants().begin(),
                                            unchanged.state().participants().end()),
                   teacher));
  ASSERT_EQ(unchanged.steps_size(), 1);
  EXPECT_EQ(unchanged.steps(0).version(), step.version());
  EXPECT_EQ(unchanged.steps(0).owner(), "counselor");

  // The union officer of the school reaches a staff-involved case.
  v1::Case seen;
  ASSERT_TRUE(Get("union", id, &seen).ok());
  EXPECT_TRUE(seen.state().staff_involved());
  EXPECT_TRUE(Has(ListIds("union"), id));
  const std::string union_note =
      "Công đoàn R3 đã nắm sự việc, sẽ làm việc với tổ chuyên môn.";
  EXPECT_TRUE(Note("union", id, union_note).ok());
  v1::Step union_step;
  ASSERT_TRUE(AddStep("union", id, v1::STEP_KIND_TEACHER_BRIEFING, "union", "2026-12-05",
                      &union_step).ok());
  EXPECT_EQ(union_step.created_by(), "union");
  teacher_finds_nothing("after the union's work");

  const std::string ref = CaseRef(id);
  std::vector<std::string> forbidden = SensitiveStrings("R3");
  forbidden.insert(forbidden.end(), {union_note, "Tôi muốn giải thích", id});
  const std::vector<AuditRow> log = ExportAndVerify(forbidden);
  ExpectedEntry implicate = OnCase(ref, "counselor", "case.implicate", "ok", "owner");
  implicate.target = teacher;
  ExpectedEntry give_step =
      OnCase(ref, "counselor", "step.add", "failed_precondition", "owner");
  give_step.target = teacher;
  EXPECT_TRUE(HasEntriesInOrder(
      log, {OnCase(ref, "counselor", "case.file", "ok", "owner"), implicate,
            OnCase(ref, "counselor", "step.add", "ok", "owner"),
            OnCase(ref, teacher, "case.view", "not_found", ""),
            OnCase(ref, teacher, "step.list", "not_found", ""),
            OnCase(ref, teacher, "case.note", "not_found", ""),
            OnCase(ref, teacher, "step.add", "not_found", ""),
            OnCase(ref, teacher, "step.update", "not_found", ""),
            OnCase(ref, teacher, "step.complete", "not_found", ""), give_step,
            OnCase(ref, "counselor", "step.update", "failed_precondition", "owner"),
            OnCase(ref, "counselor", "case.assign", "failed_precondition", "owner"),
            OnCase(ref, "counselor", "case.add_participant", "failed_precondition", "owner"),
            OnCase(ref, "union", "case.view", "ok", "staff-involved"),
            OnCase(ref, "union", "case.note", "ok", "staff-involved"),
            OnCase(ref, "union", "step.add", "ok", "staff-involved"),
            OnCase(ref, teacher, "case.view", "not_found", "")}));
  for (const auto& row : RowsOf(log, teacher, ref)) {
    EXPECT_EQ(row.outcome, "not_found") << Describe(row);
  }
}

}  // namespace
}  // namespace casevault::testing
