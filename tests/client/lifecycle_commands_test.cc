// case escalate | assign | accept | add-participant | implicate | resolve |
// close | approve-close | reopen against a fake server: the request each one
// sends, what it prints, and how failures map to exit codes.
#include <fstream>
#include <string>
#include <vector>

#include "client/cli_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using testing::CliTest;
using testing::ServerFailure;

class LifecycleTest : public CliTest {
 protected:
  void SetUp() override {
    SignIn();
    state_.state_response = testing::SampleState();
    std::ofstream(dir_.File("note.txt")) << "Test note N1.\n";
  }
  std::string NoteFile() { return dir_.File("note.txt"); }
};

TEST_F(LifecycleTest, EscalateSendsVersionReasonAndNoteAndPrintsTheState) {
  ASSERT_EQ(Run({"case", "escalate", "case-0001", "--version", "3", "--reason", "beyond-school",
                 "--note-file", NoteFile()}),
            0)
      << err_.str();
  EXPECT_THAT(state_.calls, ElementsAre("EscalateCase"));
  const v1::EscalateCaseRequest& r = state_.escalate;
  EXPECT_EQ(r.case_id(), "case-0001");
  EXPECT_EQ(r.version(), 3);
  EXPECT_EQ(r.reason(), v1::ESCALATION_REASON_BEYOND_SCHOOL);
  EXPECT_EQ(r.note(), "Test note N1.");  // one trailing newline dropped
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("Case            case-0001\n"));
  EXPECT_THAT(text, HasSubstr("Version         3\n"));
  EXPECT_THAT(text, HasSubstr("Status          Escalated\n"));
  EXPECT_THAT(text,
              HasSubstr("Escalation      School leadership (Needs more than the school can do)\n"));
  EXPECT_THAT(text, HasSubstr("Owner           counselor-test\n"));
  EXPECT_THAT(text, HasSubstr("Hand-over to    counselor-other\n"));
  EXPECT_THAT(text, HasSubstr("Closure         (none)\n"));
  EXPECT_THAT(text, HasSubstr("Participants    teacher-test, nurse-test\n"));
  EXPECT_THAT(text, HasSubstr("Implicated      staff-test\n"));
  EXPECT_THAT(text, HasSubstr("Staff involved  yes\n"));
  EXPECT_THAT(text, Not(HasSubstr("Test note N1.")));  // never echoed
}

TEST_F(LifecycleTest, EscalateWithoutANoteSendsNone) {
  ASSERT_EQ(Run({"case", "escalate", "case-0001", "--version", "3", "--reason", "other"}), 0)
      << err_.str();
  EXPECT_EQ(state_.escalate.reason(), v1::ESCALATION_REASON_OTHER);
  EXPECT_EQ(state_.escalate.note(), "");
}

TEST_F(LifecycleTest, NoteFromStandardInput) {
  ASSERT_EQ(Run({"case", "reopen", "case-0001", "--version", "7", "--note-file", "-"},
                "Test reopen note.\n"),
            0)
      << err_.str();
  EXPECT_EQ(state_.reopen.case_id(), "case-0001");
  EXPECT_EQ(state_.reopen.version(), 7);
  EXPECT_EQ(state_.reopen.note(), "Test reopen note.");
}

TEST_F(LifecycleTest, StateAsJsonWithStableKeysAndMachineNames) {
  ASSERT_EQ(Run({"--lang", "vi", "case", "escalate", "case-0001", "--version", "3", "--reason",
                 "staff-involved", "--output", "json"}),
            0)
      << err_.str();
  const nlohmann::ordered_json doc = nlohmann::ordered_json::parse(out_.str());
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "case_id", "status", "version", "owner", "pending_owner", "escalation",
                      "escalation_reason", "staff_involved", "closure_pending", "closure_reason",
                      "participants", "implicated", "updated_at"}));
  EXPECT_EQ(doc["status"], "escalated");  // not the Vietnamese label
  EXPECT_EQ(doc["escalation"], "principal");
  EXPECT_EQ(doc["escalation_reason"], "beyond-school");
  EXPECT_EQ(doc["closure_reason"], "unspecified");
  EXPECT_EQ(doc["version"], 3);
  EXPECT_EQ(doc["staff_involved"], true);
  EXPECT_EQ(doc["participants"], nlohmann::ordered_json::array({"teacher-test", "nurse-test"}));
  EXPECT_EQ(doc["implicated"], nlohmann::ordered_json::array({"staff-test"}));
}

TEST_F(LifecycleTest, EachChangeSendsItsOwnRequest) {
  ASSERT_EQ(Run({"case", "assign", "case-0001", "--version", "2", "--to", "counselor-other"}), 0)
      << err_.str();
  EXPECT_EQ(state_.assign.case_id(), "case-0001");
  EXPECT_EQ(state_.assign.version(), 2);
  EXPECT_EQ(state_.assign.username(), "counselor-other");

  ASSERT_EQ(Run({"case", "accept", "case-0001", "--version", "4"}), 0) << err_.str();
  EXPECT_EQ(state_.accept.case_id(), "case-0001");
  EXPECT_EQ(state_.accept.version(), 4);

  ASSERT_EQ(Run({"case", "add-participant", "case-0001", "--version", "5", "--user",
                 "teacher-test"}),
            0)
      << err_.str();
  EXPECT_EQ(state_.add_participant.version(), 5);
  EXPECT_EQ(state_.add_participant.username(), "teacher-test");

  ASSERT_EQ(Run({"case", "implicate", "case-0001", "--version", "6", "--user", "staff-test"}), 0)
      << err_.str();
  EXPECT_EQ(state_.add_implicated.version(), 6);
  EXPECT_EQ(state_.add_implicated.username(), "staff-test");

  ASSERT_EQ(Run({"case", "implicate", "case-0001", "--version", "7", "--user", "staff-test",
                 "--remove", "--reason", "cleared-after-review", "--note-file", NoteFile()}),
            0)
      << err_.str();
  EXPECT_EQ(state_.remove_implicated.version(), 7);
  EXPECT_EQ(state_.remove_implicated.username(), "staff-test");
  EXPECT_EQ(state_.remove_implicated.reason(), v1::REMOVAL_REASON_CLEARED_AFTER_REVIEW);
  EXPECT_EQ(state_.remove_implicated.note(), "Test note N1.");

  ASSERT_EQ(Run({"case", "resolve", "case-0001", "--version", "8"}), 0) << err_.str();
  EXPECT_EQ(state_.resolve.version(), 8);

  ASSERT_EQ(Run({"case", "close", "case-0001", "--version", "9", "--reason", "support-completed",
                 "--note-file", NoteFile()}),
            0)
      << err_.str();
  EXPECT_EQ(state_.close.version(), 9);
  EXPECT_EQ(state_.close.reason(), v1::CLOSURE_REASON_SUPPORT_COMPLETED);
  EXPECT_EQ(state_.close.note(), "Test note N1.");

  ASSERT_EQ(Run({"case", "approve-close", "case-0001", "--version", "10"}), 0) << err_.str();
  EXPECT_EQ(state_.approve_closure.version(), 10);

  ASSERT_EQ(Run({"case", "reopen", "case-0001", "--version", "11"}), 0) << err_.str();
  EXPECT_EQ(state_.reopen.version(), 11);
  EXPECT_EQ(state_.reopen.note(), "");

  EXPECT_THAT(state_.calls,
              ElementsAre("AssignCase", "AcceptCase", "AddParticipant", "AddImplicated",
                          "RemoveImplicated", "ResolveCase", "CloseCase", "ApproveClosure",
                          "ReopenCase"));
}

TEST_F(LifecycleTest, EveryClosureReasonParses) {
  const std::vector<std::pair<std::string, v1::ClosureReason>> reasons = {
      {"support-completed", v1::CLOSURE_REASON_SUPPORT_COMPLETED},
      {"referred-elsewhere", v1::CLOSURE_REASON_REFERRED_ELSEWHERE},
      {"survivor-declined", v1::CLOSURE_REASON_SURVIVOR_DECLINED},
      {"moved-away", v1::CLOSURE_REASON_MOVED_AWAY},
      {"not-substantiated", v1::CLOSURE_REASON_NOT_SUBSTANTIATED},
      {"duplicate", v1::CLOSURE_REASON_DUPLICATE}};
  for (const auto& [name, value] : reasons) {
    ASSERT_EQ(Run({"case", "close", "case-0001", "--version", "1", "--reason", name}), 0) << name;
    EXPECT_EQ(state_.close.reason(), value) << name;
  }
}

TEST_F(LifecycleTest, PendingClosureIsShown) {
  v1::CaseState& s = state_.state_response;
  s.set_status(v1::CASE_STATUS_RESOLVED);
  s.set_closure_pending(true);
  s.set_closure_reason(v1::CLOSURE_REASON_MOVED_AWAY);
  ASSERT_EQ(Run({"case", "close", "case-0001", "--version", "1", "--reason", "moved-away"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Closure         waiting for approval: Moved away\n"));
  ASSERT_EQ(Run({"case", "close", "case-0001", "--version", "1", "--reason", "moved-away",
                 "--lang", "vi"}),
            0);
  EXPECT_THAT(out_.str(), HasSubstr("chờ phê duyệt: Đã chuyển trường hoặc chuyển nơi ở\n"));
}

TEST_F(LifecycleTest, BadFlagsAreUsageErrorsNamingTheFlag) {
  struct Bad {
    std::vector<std::string> args;
    std::string flag;
  };
  const std::vector<Bad> cases = {
      {{"case", "escalate", "case-0001", "--reason", "other"}, "--version"},
      {{"case", "escalate", "case-0001", "--version", "three", "--reason", "other"}, "--version"},
      {{"case", "escalate", "case-0001", "--version", "0", "--reason", "other"}, "--version"},
      {{"case", "escalate", "case-0001", "--version", "-2", "--reason", "other"}, "--version"},
      {{"case", "escalate", "case-0001", "--version", "1"}, "--reason"},
      {{"case", "escalate", "case-0001", "--version", "1", "--reason", "urgent"}, "--reason"},
      // The server sets high-severity itself, at filing.
      {{"case", "escalate", "case-0001", "--version", "1", "--reason", "high-severity"},
       "--reason"},
      {{"case", "assign", "case-0001", "--version", "1"}, "--to"},
      {{"case", "add-participant", "case-0001", "--version", "1"}, "--user"},
      {{"case", "implicate", "case-0001", "--version", "1"}, "--user"},
      {{"case", "implicate", "case-0001", "--version", "1", "--user", "u", "--remove"},
       "--reason"},
      {{"case", "implicate", "case-0001", "--version", "1", "--user", "u", "--remove", "--reason",
        "bored"},
       "--reason"},
      {{"case", "implicate", "case-0001", "--version", "1", "--user", "u", "--reason", "other"},
       "--remove"},
      {{"case", "close", "case-0001", "--version", "1"}, "--reason"},
      {{"case", "close", "case-0001", "--version", "1", "--reason", "fixed"}, "--reason"},
      {{"case", "resolve", "--version", "1"}, "CASE_ID"},
  };
  for (const Bad& bad : cases) {
    EXPECT_EQ(Run(bad.args), 2) << bad.args[1] << " " << bad.flag;
    ExpectOneErrorLine();
    EXPECT_THAT(err_.str(), HasSubstr(bad.flag)) << bad.args[1];
  }
  // Choices are listed, and high-severity is not among them.
  EXPECT_EQ(Run({"case", "escalate", "case-0001", "--version", "1", "--reason", "urgent"}), 2);
  EXPECT_THAT(err_.str(), HasSubstr("beyond-school|staff-involved|outside-referral|"
                                    "continuing-risk|other"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("high-severity")));
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(LifecycleTest, ANoteOnArgvIsRefusedAndNotEchoed) {
  EXPECT_EQ(Run({"case", "close", "case-0001", "--version", "1", "--reason", "duplicate",
                 "--note", "Test Secret Value"}),
            2);
  ExpectOneErrorLine();
  EXPECT_THAT(err_.str(), HasSubstr("--note is refused"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("Test Secret Value")));
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(LifecycleTest, AMissingNoteFileIsALocalFileProblem) {
  EXPECT_EQ(Run({"case", "reopen", "case-0001", "--version", "1", "--note-file",
                 dir_.File("missing.txt")}),
            10);
  ExpectOneErrorLine();
  EXPECT_THAT(state_.calls, IsEmpty());
}

TEST_F(LifecycleTest, AStaleVersionExitsSevenAndSaysToReload) {
  state_.failure = ServerFailure(grpc::StatusCode::ABORTED, "version 3 is not current");
  EXPECT_EQ(Run({"case", "resolve", "case-0001", "--version", "3"}), 7);
  EXPECT_EQ(err_.str(),
            "casevault: case case-0001 changed since you loaded it; reload it (casevault case "
            "show case-0001) and try again\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(LifecycleTest, ATransitionNotAllowedExitsThirteen) {
  state_.failure = ServerFailure(grpc::StatusCode::FAILED_PRECONDITION,
                                 "a closed case cannot be resolved");
  EXPECT_EQ(Run({"case", "resolve", "case-0001", "--version", "3"}), 13);
  EXPECT_EQ(err_.str(),
            "casevault: not possible in the case's current state: a closed case cannot be "
            "resolved\n");
}

TEST_F(LifecycleTest, PermissionDeniedShowsTheServersMessageAndReason) {
  state_.failure = ServerFailure(grpc::StatusCode::PERMISSION_DENIED,
                                 "your relation to the case does not allow this",
                                 "RELATION_NOT_PERMITTED");
  EXPECT_EQ(Run({"case", "approve-close", "case-0001", "--version", "3"}), 4);
  EXPECT_EQ(err_.str(),
            "casevault: permission denied: your relation to the case does not allow this "
            "(reason: RELATION_NOT_PERMITTED)\n");
  EXPECT_EQ(out_.str(), "");

  EXPECT_EQ(Run({"case", "approve-close", "case-0001", "--version", "3", "--output", "json"}), 4);
  ExpectOneErrorLine();  // people still get the line on stderr
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["error"]["exit_code"], 4);
  EXPECT_EQ(doc["error"]["reason"], "RELATION_NOT_PERMITTED");
  EXPECT_THAT(doc["error"]["message"].get<std::string>(),
              HasSubstr("your relation to the case does not allow this"));
}

TEST_F(LifecycleTest, NotFoundNamesTheCaseOnly) {
  state_.failure = ServerFailure(grpc::StatusCode::NOT_FOUND, "case not found");
  EXPECT_EQ(Run({"case", "accept", "case-0009", "--version", "1"}), 5);
  EXPECT_EQ(err_.str(), "casevault: case case-0009 not found (or not yours to see)\n");
  EXPECT_EQ(Run({"case", "accept", "case-0009", "--version", "1", "--output", "json"}), 5);
  EXPECT_EQ(nlohmann::json::parse(out_.str())["error"]["reason"], "");
}

TEST_F(LifecycleTest, NotSignedInExitsThreeBeforeReadingTheNote) {
  ASSERT_EQ(Run({"logout"}), 0);
  EXPECT_EQ(Run({"case", "escalate", "case-0001", "--version", "1", "--reason", "other",
                 "--note-file", "-"},
                "Test note.\n"),
            3);
  EXPECT_THAT(state_.calls, IsEmpty());
}

}  // namespace
}  // namespace casevault::client
