#include "client/case_input.h"

#include <fstream>
#include <sstream>

#include "client/client_fakes.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::TempDir;
using testing::FakeTerminal;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

constexpr char kFullCase[] = R"({
  "type": "sexual-assault",
  "context": "school-violence",
  "severity": "high",
  "incident_date": "2024-03-15",
  "place": "Test Place P1",
  "reporter": "peer",
  "victim_name": "Test Victim V1",
  "victim_gender": "female",
  "victim_birth_year": 2010,
  "victim_class": "Class T1",
  "victim_staff": false,
  "perpetrator_relation": "student",
  "perpetrator_name": "Test Person X1",
  "narrative": "Test narrative.\nSecond line."
})";

class CaseInputTest : public ::testing::Test {
 protected:
  absl::StatusOr<v1::FileCaseRequest> Build(const CaseFlags& flags) {
    return BuildFileCaseRequest(flags, terminal_, stdin_);
  }
  TempDir dir_;
  FakeTerminal terminal_{/*interactive=*/false};
  std::istringstream stdin_;
};

TEST_F(CaseInputTest, FullJsonFileFillsEveryField) {
  WriteFile(dir_.File("case.json"), kFullCase);
  CaseFlags flags;
  flags.from_file = dir_.File("case.json");
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, Build(flags));
  EXPECT_EQ(r.incident_type(), v1::INCIDENT_TYPE_SEXUAL_ASSAULT);
  EXPECT_EQ(r.context(), v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE);
  EXPECT_EQ(r.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(r.incident_date(), "2024-03-15");
  EXPECT_EQ(r.place(), "Test Place P1");
  EXPECT_EQ(r.reporter_type(), v1::REPORTER_TYPE_PEER);
  EXPECT_EQ(r.victim().name(), "Test Victim V1");
  EXPECT_EQ(r.victim().gender(), v1::GENDER_FEMALE);
  EXPECT_EQ(r.victim().birth_year(), 2010);
  EXPECT_EQ(r.victim().class_or_job(), "Class T1");
  EXPECT_FALSE(r.victim().is_staff());
  EXPECT_EQ(r.perpetrator().relation(), v1::PERPETRATOR_RELATION_STUDENT);
  EXPECT_EQ(r.perpetrator().name(), "Test Person X1");
  EXPECT_EQ(r.narrative(), "Test narrative.\nSecond line.");
  EXPECT_TRUE(terminal_.prompts.empty());
}

TEST_F(CaseInputTest, FlagsOverrideTheFileAndNarrativeFileOverridesItsNarrative) {
  WriteFile(dir_.File("case.json"), kFullCase);
  WriteFile(dir_.File("narrative.txt"), "Narrative from its own file.\n");
  CaseFlags flags;
  flags.from_file = dir_.File("case.json");
  flags.narrative_file = dir_.File("narrative.txt");
  flags.severity = "low";
  flags.victim_staff = true;
  flags.victim_birth_year = 1990;
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, Build(flags));
  EXPECT_EQ(r.severity(), v1::SEVERITY_LOW);
  EXPECT_TRUE(r.victim().is_staff());
  EXPECT_EQ(r.victim().birth_year(), 1990);
  EXPECT_EQ(r.narrative(), "Narrative from its own file.");
  EXPECT_EQ(r.victim().name(), "Test Victim V1");
}

TEST_F(CaseInputTest, VietnameseTextIsKeptByteForByte) {
  const std::string place = "Tr\xc6\xb0\xe1\xbb\x9dng th\xe1\xbb\xad nghi\xe1\xbb\x87m";
  WriteFile(dir_.File("case.json"), "{\"place\": \"" + place + "\"}");
  CaseFlags flags;
  flags.from_file = dir_.File("case.json");
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, Build(flags));
  EXPECT_EQ(r.place(), place);
}

TEST_F(CaseInputTest, ProtoFieldNamesAreAcceptedAsAliases) {
  v1::FileCaseRequest r;
  SensitiveFieldsGiven given;
  ASSERT_OK(ApplyCaseJson(
      R"({"incident_type": "INCIDENT_TYPE_RAPE", "reporter_type": "self",
          "victim_class_or_job": "Class T2", "victim_is_staff": true})",
      "f.json", &r, &given));
  EXPECT_EQ(r.incident_type(), v1::INCIDENT_TYPE_RAPE);
  EXPECT_EQ(r.reporter_type(), v1::REPORTER_TYPE_SELF);
  EXPECT_EQ(r.victim().class_or_job(), "Class T2");
  EXPECT_TRUE(r.victim().is_staff());
}

TEST_F(CaseInputTest, BadFilesAreLocalFileErrors) {
  const std::vector<std::string> bad = {
      "",
      "not json",
      "[1, 2]",
      R"({"narative": "typo in the key"})",
      R"({"type": "theft"})",
      R"({"victim_birth_year": "2010"})",
      R"({"victim_birth_year": 20.5})",
      R"({"victim_staff": "yes"})",
      R"({"place": 7})",
      R"({"incident_date": "15/03/2024"})",
      R"({"incident_date": "2024-02-30"})",
      R"({"type": "rape", "incident_type": "rape"})",
      "{\"narrative\": \"\xff\xfe\"}",
  };
  for (const std::string& content : bad) {
    WriteFile(dir_.File("case.json"), content);
    CaseFlags flags;
    flags.from_file = dir_.File("case.json");
    absl::StatusOr<v1::FileCaseRequest> r = Build(flags);
    ASSERT_FALSE(r.ok()) << content;
    EXPECT_EQ(ExitCodeOf(r.status()), ExitCode::kLocalFile) << content;
  }
}

TEST_F(CaseInputTest, ParseErrorsNeverQuoteTheFile) {
  WriteFile(dir_.File("case.json"), R"({"narrative": "Test Secret Words" oops})");
  CaseFlags flags;
  flags.from_file = dir_.File("case.json");
  absl::StatusOr<v1::FileCaseRequest> r = Build(flags);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message().find("Secret"), absl::string_view::npos);
}

TEST_F(CaseInputTest, MissingOrUnreadableFilesAreLocalFileErrors) {
  CaseFlags flags;
  flags.from_file = dir_.File("missing.json");
  EXPECT_EQ(ExitCodeOf(Build(flags).status()), ExitCode::kLocalFile);
  flags.from_file = dir_.path();  // a directory
  EXPECT_EQ(ExitCodeOf(Build(flags).status()), ExitCode::kLocalFile);
  flags.from_file = "";
  flags.narrative_file = dir_.File("missing.txt");
  EXPECT_EQ(ExitCodeOf(Build(flags).status()), ExitCode::kLocalFile);
}

TEST_F(CaseInputTest, BadFlagValuesAreUsageErrors) {
  auto expect_usage = [&](CaseFlags flags, const std::string& flag_name) {
    absl::StatusOr<v1::FileCaseRequest> r = Build(flags);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(ExitCodeOf(r.status()), ExitCode::kUsage);
    EXPECT_NE(r.status().message().find(flag_name), absl::string_view::npos);
  };
  CaseFlags f;
  f.type = "theft";
  expect_usage(f, "--type");
  f = {};
  f.context = "x";
  expect_usage(f, "--context");
  f = {};
  f.severity = "urgent";
  expect_usage(f, "--severity");
  f = {};
  f.reporter = "x";
  expect_usage(f, "--reporter");
  f = {};
  f.victim_gender = "x";
  expect_usage(f, "--victim-gender");
  f = {};
  f.perpetrator_relation = "x";
  expect_usage(f, "--perpetrator-relation");
  f = {};
  f.incident_date = "2024-13-01";
  expect_usage(f, "--incident-date");
  f = {};
  f.victim_birth_year = -1;
  expect_usage(f, "--victim-birth-year");
}

TEST_F(CaseInputTest, WithoutAFileTheTerminalIsAskedForTheSensitiveFields) {
  FakeTerminal terminal(/*interactive=*/true);
  terminal.answers = {"Test Victim V2", "", "Test Place P2", "Line one.", "Line two.", "."};
  CaseFlags flags;
  flags.type = "physical-assault";
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, BuildFileCaseRequest(flags, terminal, stdin_));
  EXPECT_EQ(r.victim().name(), "Test Victim V2");
  EXPECT_EQ(r.perpetrator().name(), "");
  EXPECT_EQ(r.place(), "Test Place P2");
  EXPECT_EQ(r.narrative(), "Line one.\nLine two.");
  EXPECT_EQ(r.incident_type(), v1::INCIDENT_TYPE_PHYSICAL_ASSAULT);
}

TEST_F(CaseInputTest, WithAFileNothingIsAsked) {
  FakeTerminal terminal(/*interactive=*/true);
  WriteFile(dir_.File("case.json"), R"({"victim_name": "Test Victim V3"})");
  CaseFlags flags;
  flags.from_file = dir_.File("case.json");
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, BuildFileCaseRequest(flags, terminal, stdin_));
  EXPECT_TRUE(terminal.prompts.empty());
  EXPECT_EQ(r.narrative(), "");  // the server will name the missing field
}

TEST_F(CaseInputTest, NoTerminalNoFileSendsWhatIsThere) {
  CaseFlags flags;
  flags.severity = "medium";
  ASSERT_OK_AND_ASSIGN(v1::FileCaseRequest r, Build(flags));
  EXPECT_EQ(r.severity(), v1::SEVERITY_MEDIUM);
  EXPECT_TRUE(terminal_.prompts.empty());
}

}  // namespace
}  // namespace casevault::client
