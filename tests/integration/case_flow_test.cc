// End to end over TLS: the real server, its SQLCipher file, the real stubs.
#include <grpcpp/grpcpp.h>

#include "casevault/v1/case.grpc.pb.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

using ::testing::ElementsAre;

class CaseFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    deployment_.Start();
    cases_ = v1::CaseService::NewStub(deployment_.Channel());
    counselor_ = deployment_.Login("counselor");
  }

  grpc::Status File(const std::string& token, const v1::FileCaseRequest& req,
                    v1::Case* out) {
    return cases_->FileCase(Authed(token).get(), req, out);
  }
  grpc::Status Get(const std::string& token, const std::string& id, v1::Case* out) {
    v1::GetCaseRequest req;
    req.set_case_id(id);
    return cases_->GetCase(Authed(token).get(), req, out);
  }

  Deployment deployment_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::string counselor_;
};

std::vector<std::string> ViolatedFields(const grpc::Status& s) {
  google::rpc::Status details;
  std::vector<std::string> fields;
  if (!details.ParseFromString(s.error_details())) return fields;
  for (const auto& any : details.details()) {
    google::rpc::BadRequest br;
    if (any.UnpackTo(&br)) {
      for (const auto& v : br.field_violations()) fields.push_back(v.field());
    }
  }
  return fields;
}

TEST_F(CaseFlowTest, FileShowListRoundTripsVietnameseByteForByte) {
  const v1::FileCaseRequest sent = SampleCase();
  v1::Case filed;
  ASSERT_TRUE(File(counselor_, sent, &filed).ok());
  EXPECT_EQ(filed.owner(), "counselor");
  EXPECT_EQ(filed.status(), v1::CASE_STATUS_OPEN);

  v1::Case shown;
  ASSERT_TRUE(Get(counselor_, filed.id(), &shown).ok());
  EXPECT_EQ(shown.victim().name(), sent.victim().name());
  EXPECT_EQ(shown.victim().class_or_job(), sent.victim().class_or_job());
  EXPECT_EQ(shown.perpetrator().name(), sent.perpetrator().name());
  EXPECT_EQ(shown.place(), sent.place());
  EXPECT_EQ(shown.narrative(), sent.narrative());
  EXPECT_EQ(shown.incident_date(), "2026-11-20");
  EXPECT_EQ(shown.school_id(), "demo-school");

  v1::AddNoteRequest note;
  note.set_case_id(filed.id());
  note.set_text("Đã liên hệ với phụ huynh em; hẹn gặp thứ Hai.");
  v1::Note added;
  ASSERT_TRUE(cases_->AddNote(Authed(counselor_).get(), note, &added).ok());
  ASSERT_TRUE(Get(counselor_, filed.id(), &shown).ok());
  ASSERT_EQ(shown.notes_size(), 1);
  EXPECT_EQ(shown.notes(0).text(), note.text());
  EXPECT_EQ(shown.version(), 2);

  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  ASSERT_TRUE(cases_->ListCases(Authed(counselor_).get(), list, &listed).ok());
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).id(), filed.id());
}

TEST_F(CaseFlowTest, SecondCounselorGetsNotFoundLikeANonexistentCase) {
  v1::Case filed;
  ASSERT_TRUE(File(counselor_, SampleCase(), &filed).ok());
  const std::string other = deployment_.Login("counselor2");
  v1::Case out;
  const grpc::Status denied = Get(other, filed.id(), &out);
  const grpc::Status missing = Get(other, "0123456789abcdef01234567", &out);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(denied.error_message(), missing.error_message());
  v1::ListCasesResponse listed;
  ASSERT_TRUE(cases_->ListCases(Authed(other).get(), {}, &listed).ok());
  EXPECT_EQ(listed.cases_size(), 0);
  // The principal does not see a medium-severity case, but sees a high one.
  const std::string principal = deployment_.Login("principal");
  EXPECT_EQ(Get(principal, filed.id(), &out).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::FileCaseRequest high = SampleCase();
  high.set_severity(v1::SEVERITY_HIGH);
  v1::Case high_case;
  ASSERT_TRUE(File(counselor_, high, &high_case).ok());
  EXPECT_TRUE(Get(principal, high_case.id(), &out).ok());
}

TEST_F(CaseFlowTest, EachInvalidInputNamesItsFieldAndStoresNothing) {
  struct Bad {
    const char* field;
    std::function<void(v1::FileCaseRequest&)> spoil;
  };
  const std::vector<Bad> bad = {
      {"incident_type", [](auto& r) { r.set_incident_type(v1::INCIDENT_TYPE_UNSPECIFIED); }},
      {"incident_type", [](auto& r) { r.set_incident_type(static_cast<v1::IncidentType>(42)); }},
      {"context", [](auto& r) { r.set_context(v1::INCIDENT_CONTEXT_UNSPECIFIED); }},
      {"severity", [](auto& r) { r.set_severity(static_cast<v1::Severity>(-3)); }},
      {"reporter_type", [](auto& r) { r.set_reporter_type(v1::REPORTER_TYPE_UNSPECIFIED); }},
      {"incident_date", [](auto& r) { r.set_incident_date("20/11/2026"); }},
      {"incident_date", [](auto& r) { r.set_incident_date("2099-01-01"); }},
      {"place", [](auto& r) { r.set_place(std::string(301, 'p')); }},
      {"victim.name", [](auto& r) { r.mutable_victim()->clear_name(); }},
      {"victim.name", [](auto& r) { r.mutable_victim()->set_name("Nguy\xE1\xBB"); }},
      {"victim.gender", [](auto& r) { r.mutable_victim()->set_gender(v1::GENDER_UNSPECIFIED); }},
      {"victim.birth_year", [](auto& r) { r.mutable_victim()->set_birth_year(1800); }},
      {"victim.class_or_job", [](auto& r) { r.mutable_victim()->set_class_or_job("\xC0\xAF"); }},
      {"perpetrator.relation", [](auto& r) { r.mutable_perpetrator()->clear_relation(); }},
      {"perpetrator.name", [](auto& r) { r.mutable_perpetrator()->set_name(std::string(201, 'n')); }},
      {"narrative", [](auto& r) { r.clear_narrative(); }},
      {"narrative", [](auto& r) { r.set_narrative("\xFF\xFE"); }},
  };
  for (const auto& b : bad) {
    v1::FileCaseRequest req = SampleCase();
    b.spoil(req);
    v1::Case out;
    const grpc::Status s = File(counselor_, req, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << b.field;
    EXPECT_THAT(ViolatedFields(s), ElementsAre(b.field));
    EXPECT_EQ(deployment_.CaseCount(), 0) << b.field;
  }
  // A note with bad text, a bad case id, a bad page size.
  v1::Case filed;
  ASSERT_TRUE(File(counselor_, SampleCase(), &filed).ok());
  v1::AddNoteRequest note;
  note.set_case_id(filed.id());
  note.set_text("\xED\xA0\x80");
  v1::Note n;
  grpc::Status s = cases_->AddNote(Authed(counselor_).get(), note, &n);
  EXPECT_THAT(ViolatedFields(s), ElementsAre("text"));
  v1::Case out;
  EXPECT_THAT(ViolatedFields(Get(counselor_, "'; DROP TABLE cases; --", &out)),
              ElementsAre("case_id"));
  v1::ListCasesRequest list;
  list.set_page_size(1000);
  v1::ListCasesResponse listed;
  EXPECT_THAT(ViolatedFields(cases_->ListCases(Authed(counselor_).get(), list, &listed)),
              ElementsAre("page_size"));
  ASSERT_TRUE(Get(counselor_, filed.id(), &out).ok());
  EXPECT_EQ(out.notes_size(), 0);
}

TEST_F(CaseFlowTest, OversizedMessagesAreRefused) {
  v1::FileCaseRequest req = SampleCase();
  req.set_narrative(std::string(2 << 20, 'x'));
  v1::Case out;
  EXPECT_EQ(File(counselor_, req, &out).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(deployment_.CaseCount(), 0);
}

TEST_F(CaseFlowTest, AuditorsAndAdminsSeeNoCases) {
  v1::Case filed;
  ASSERT_TRUE(File(counselor_, SampleCase(), &filed).ok());
  for (const char* who : {"auditor", "admin"}) {
    const std::string token = deployment_.Login(who);
    v1::Case out;
    EXPECT_EQ(Get(token, filed.id(), &out).error_code(), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(File(token, SampleCase(), &out).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
    v1::ListCasesResponse listed;
    EXPECT_EQ(cases_->ListCases(Authed(token).get(), {}, &listed).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(CaseFlowTest, DataSurvivesARestart) {
  v1::Case filed;
  ASSERT_TRUE(File(counselor_, SampleCase(), &filed).ok());
  deployment_.Start();  // stops and starts again on the same files
  cases_ = v1::CaseService::NewStub(deployment_.Channel());
  v1::Case shown;
  ASSERT_TRUE(Get(counselor_, filed.id(), &shown).ok());  // the session survives too
  EXPECT_EQ(shown.narrative(), SampleCase().narrative());
}

}  // namespace
}  // namespace casevault::testing
