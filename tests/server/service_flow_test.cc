// The new RPCs end to end through the in-process server: translation,
// domain call, status mapping (ErrorInfo on the wire). The rules
// themselves are tested in tests/domain; this checks the wiring.
#include <string>

#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "server_fixture.h"

namespace casevault::server {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::unique_ptr<grpc::ClientContext> Authed(const std::string& token) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

// The ErrorInfo reason in a status's details, or "".
std::string ErrorReason(const grpc::Status& status) {
  google::rpc::Status details;
  if (!details.ParseFromString(status.error_details())) return "";
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    if (any.UnpackTo(&info)) {
      EXPECT_EQ(info.domain(), "casevault.v1");
      return info.reason();
    }
  }
  return "";
}

v1::FileCaseRequest SampleCase() {
  v1::FileCaseRequest r;
  r.set_incident_type(v1::INCIDENT_TYPE_PSYCHOLOGICAL_ABUSE);
  r.set_context(v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE);
  r.set_severity(v1::SEVERITY_MEDIUM);
  r.set_incident_date("2026-11-20");
  r.set_place("Hành lang tầng ba, dãy nhà B");
  r.set_reporter_type(v1::REPORTER_TYPE_PEER);
  r.mutable_victim()->set_name("Nguyễn Thị Hồng Nhung");
  r.mutable_victim()->set_gender(v1::GENDER_FEMALE);
  r.mutable_victim()->set_birth_year(2012);
  r.mutable_victim()->set_class_or_job("Lớp 8A3");
  r.mutable_perpetrator()->set_relation(v1::PERPETRATOR_RELATION_STUDENT);
  r.set_narrative(
      "Bạn học cùng lớp nhiều lần chặn đường, lấy đồ và nhắn tin đe dọa em.");
  return r;
}

class ServiceFlowTest : public InProcessServerTest {
 protected:
  void SetUp() override {
    InProcessServerTest::SetUp();
    if (HasFatalFailure()) return;
    cases_ = v1::CaseService::NewStub(channel_);
    steps_ = v1::StepService::NewStub(channel_);
    consents_ = v1::ConsentService::NewStub(channel_);
    counselor_ = SignIn("counselor", domain::Role::kCounselor);
    principal_ = SignIn("principal", domain::Role::kPrincipal);
  }

  v1::Case File() {
    v1::Case filed;
    const grpc::Status status =
        cases_->FileCase(Authed(counselor_).get(), SampleCase(), &filed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return filed;
  }

  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::StepService::Stub> steps_;
  std::unique_ptr<v1::ConsentService::Stub> consents_;
  std::string counselor_;
  std::string principal_;
};

TEST_F(ServiceFlowTest, EscalateAnswersTheNewState) {
  const v1::Case filed = File();
  EXPECT_EQ(filed.state().case_id(), filed.id());
  EXPECT_EQ(filed.state().escalation(), v1::ESCALATION_NONE);

  v1::EscalateCaseRequest escalate;
  escalate.set_case_id(filed.id());
  escalate.set_version(filed.version());
  escalate.set_reason(v1::ESCALATION_REASON_BEYOND_SCHOOL);
  escalate.set_note("Cần ban giám hiệu hỗ trợ");
  v1::CaseState state;
  grpc::Status status =
      cases_->EscalateCase(Authed(counselor_).get(), escalate, &state);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(state.case_id(), filed.id());
  EXPECT_EQ(state.escalation(), v1::ESCALATION_PRINCIPAL);
  EXPECT_EQ(state.escalation_reason(), v1::ESCALATION_REASON_BEYOND_SCHOOL);
  EXPECT_GT(state.version(), filed.version());
  EXPECT_FALSE(state.updated_at().empty());

  // The same change against the old version is stale.
  status = cases_->EscalateCase(Authed(counselor_).get(), escalate, &state);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);

  // The principal now sees it, with its state.
  v1::GetCaseRequest get;
  get.set_case_id(filed.id());
  v1::Case seen;
  status = cases_->GetCase(Authed(principal_).get(), get, &seen);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(seen.state().escalation(), v1::ESCALATION_PRINCIPAL);

  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  ASSERT_TRUE(cases_->ListCases(Authed(principal_).get(), list, &listed).ok());
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).escalation(), v1::ESCALATION_PRINCIPAL);
}

TEST_F(ServiceFlowTest, DeniedActionCarriesErrorInfo) {
  auto accounts = v1::AccountService::NewStub(channel_);
  v1::CreateAccountRequest create;
  create.set_username("mallory");
  create.set_role(v1::ROLE_ADMIN);
  create.set_unit_id("school-a");
  create.set_password("correct horse battery staple");
  v1::Account account;
  const grpc::Status status =
      accounts->CreateAccount(Authed(counselor_).get(), create, &account);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(ErrorReason(status), "ADMIN_ONLY");
}

TEST_F(ServiceFlowTest, HiddenCaseIsNotFoundWithoutDetails) {
  const v1::Case filed = File();
  const std::string other =
      SignIn("counselor2", domain::Role::kCounselor, "school-b");
  v1::ResolveCaseRequest resolve;
  resolve.set_case_id(filed.id());
  resolve.set_version(filed.version());
  v1::CaseState state;
  const grpc::Status status =
      cases_->ResolveCase(Authed(other).get(), resolve, &state);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(status.error_details().empty());
}

TEST_F(ServiceFlowTest, StepsAndConsent) {
  const v1::Case filed = File();

  v1::AddStepRequest school;
  school.set_case_id(filed.id());
  school.set_kind(v1::STEP_KIND_COUNSELING_SESSION);
  school.set_owner("counselor");
  school.set_due_date("2026-12-05");
  v1::Step step;
  grpc::Status status = steps_->AddStep(Authed(counselor_).get(), school, &step);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(step.case_id(), filed.id());
  EXPECT_EQ(step.environment(), v1::ENVIRONMENT_SCHOOL);
  EXPECT_EQ(step.kind(), v1::STEP_KIND_COUNSELING_SESSION);
  EXPECT_EQ(step.owner(), "counselor");
  EXPECT_EQ(step.due_date(), "2026-12-05");
  EXPECT_FALSE(step.created_at().empty());

  // Only what is set changes.
  v1::UpdateStepRequest update;
  update.set_step_id(step.id());
  update.set_version(step.version());
  update.set_outcome("Buổi đầu: em đã chia sẻ");
  v1::Step updated;
  status = steps_->UpdateStep(Authed(counselor_).get(), update, &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.outcome(), "Buổi đầu: em đã chia sẻ");
  EXPECT_EQ(updated.owner(), "counselor");
  EXPECT_EQ(updated.due_date(), "2026-12-05");

  v1::CompleteStepRequest complete;
  complete.set_step_id(step.id());
  complete.set_version(updated.version());
  complete.set_outcome("Hoàn tất");
  v1::Step done;
  status = steps_->CompleteStep(Authed(counselor_).get(), complete, &done);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(done.status(), v1::STEP_STATUS_DONE);

  // A society step needs consent first.
  v1::AddStepRequest police;
  police.set_case_id(filed.id());
  police.set_kind(v1::STEP_KIND_POLICE_REPORT);
  police.set_external_party("Công an phường");
  police.set_due_date("2026-12-01");
  status = steps_->AddStep(Authed(counselor_).get(), police, &step);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << status.error_message();

  v1::RecordConsentRequest consent;
  consent.set_case_id(filed.id());
  consent.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  consent.set_service_kind(v1::STEP_KIND_POLICE_REPORT);
  consent.set_given_by(v1::CONSENT_GIVER_GUARDIAN);
  consent.set_child_assent(v1::CHILD_ASSENT_GIVEN);
  consent.set_given_on("2026-11-28");
  v1::Consent recorded;
  status = consents_->RecordConsent(Authed(counselor_).get(), consent, &recorded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(recorded.in_force());
  EXPECT_EQ(recorded.withdrawn_at(), "");
  EXPECT_EQ(recorded.service_kind(), v1::STEP_KIND_POLICE_REPORT);

  status = steps_->AddStep(Authed(counselor_).get(), police, &step);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(step.environment(), v1::ENVIRONMENT_SOCIETY);
  EXPECT_EQ(step.external_party(), "Công an phường");

  v1::ListStepsRequest list;
  list.set_case_id(filed.id());
  v1::ListStepsResponse listed;
  status = steps_->ListSteps(Authed(counselor_).get(), list, &listed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(listed.steps_size(), 2);

  v1::GetCaseRequest get;
  get.set_case_id(filed.id());
  v1::Case seen;
  ASSERT_TRUE(cases_->GetCase(Authed(counselor_).get(), get, &seen).ok());
  EXPECT_EQ(seen.steps_size(), 2);
  ASSERT_EQ(seen.consents_size(), 1);
  EXPECT_EQ(seen.consents(0).id(), recorded.id());

  v1::WithdrawConsentRequest withdraw;
  withdraw.set_consent_id(recorded.id());
  v1::Consent withdrawn;
  status =
      consents_->WithdrawConsent(Authed(counselor_).get(), withdraw, &withdrawn);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(withdrawn.in_force());
  EXPECT_FALSE(withdrawn.withdrawn_at().empty());
  EXPECT_EQ(withdrawn.withdrawn_by(), "counselor");
}

TEST_F(ServiceFlowTest, OverrideIsForPrincipalsWithErrorInfoOtherwise) {
  const v1::Case filed = File();
  v1::RecordOverrideRequest request;
  request.set_case_id(filed.id());
  request.set_purpose(v1::CONSENT_PURPOSE_REFERRAL);
  request.set_service_kind(v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111);
  request.set_reason(v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW);
  v1::ConsentOverride recorded;
  const grpc::Status status =
      consents_->RecordOverride(Authed(counselor_).get(), request, &recorded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_FALSE(ErrorReason(status).empty());
}

}  // namespace
}  // namespace casevault::server
