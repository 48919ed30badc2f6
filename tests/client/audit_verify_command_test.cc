// `casevault audit verify` on files: offline (no session, no server), the
// key as text or as a file, exit code 12 and one line naming the fault.
#include <fstream>
#include <string>

#include "absl/strings/str_replace.h"
#include "client/audit_test_log.h"
#include "client/cli_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using testing::CliTest;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::TestEntry;
using testing::TestLog;

class AuditVerifyCommandTest : public CliTest {
 protected:
  std::string Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_.File(name), std::ios::binary) << content;
    return dir_.File(name);
  }
  TestLog log_;
};

TEST_F(AuditVerifyCommandTest, VerifiesOfflineWithTheKeyAsTextOrFile) {
  const std::string file = Write("log.export", log_.Export(0, 30));
  ASSERT_EQ(Run({"audit", "verify", file, "--key", log_.key_text()}), 0) << err_.str();
  EXPECT_EQ(out_.str(), absl::StrCat("verified: 30 entries, checkpoint size 30, origin ",
                                     testing::kTestLogName, "\n"));
  const std::string key_file = Write("audit-verifier.key", log_.key_text() + "\n");
  ASSERT_EQ(Run({"--output", "json", "audit", "verify", file, "--key", key_file}), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["verified"], true);
  EXPECT_EQ(doc["entries"], 30);
  EXPECT_EQ(doc["from"], 0);
  EXPECT_EQ(doc["origin"], testing::kTestLogName);
  EXPECT_TRUE(doc["previous_size"].is_null());
  // Never a server, never a session.
  EXPECT_THAT(state_.tokens_seen, IsEmpty());
  EXPECT_THAT(state_.targets_seen, IsEmpty());
}

TEST_F(AuditVerifyCommandTest, ATamperedExportExitsTwelveNamingTheLine) {
  std::string tampered = log_.Export(0, 30);
  tampered = absl::StrReplaceAll(tampered, {{TestEntry(8) + "\n", ""}});
  const std::string file = Write("log.export", tampered);
  EXPECT_EQ(Run({"audit", "verify", file, "--key", log_.key_text()}), 12);
  EXPECT_EQ(err_.str(), "casevault: verification failed: " + file +
                            ": line 10 (entry seq 8): it has seq 9, expected 8: entry seq 8 is "
                            "missing (deleted?) or this one is out of place\n");
  EXPECT_EQ(out_.str(), "");
}

TEST_F(AuditVerifyCommandTest, PreviousExportOrNote) {
  const std::string older = Write("older.export", log_.Export(0, 12));
  const std::string newer = Write("newer.export", log_.Export(12, 30));
  EXPECT_EQ(Run({"audit", "verify", newer, "--key", log_.key_text()}), 12);
  EXPECT_THAT(err_.str(), HasSubstr("line 1: the export starts at entry 12"));
  ASSERT_EQ(Run({"audit", "verify", newer, "--key", log_.key_text(), "--previous", older}), 0)
      << err_.str();
  EXPECT_EQ(out_.str(),
            absl::StrCat("verified: 18 entries, checkpoint size 30, origin ", testing::kTestLogName,
                         "\nconsistent with the previous checkpoint of size 12 (the "
                         "log only grew)\n"));
  const std::string note = Write("cp12.note", log_.Note(12));
  ASSERT_EQ(Run({"audit", "verify", newer, "--key", log_.key_text(), "--previous", note}), 0)
      << err_.str();

  // An older export whose entries were altered is refused as a previous.
  std::string altered = TestEntry(3);
  altered[altered.find("user-") + 5] = 'X';
  const std::string bad_older =
      Write("bad.export", absl::StrReplaceAll(log_.Export(0, 12), {{TestEntry(3), altered}}));
  EXPECT_EQ(Run({"audit", "verify", newer, "--key", log_.key_text(), "--previous", bad_older}), 12);
  EXPECT_THAT(err_.str(), HasSubstr("verification failed: --previous " + bad_older +
                                    ": the rebuilt root of the 12 entries"));
  ExpectOneErrorLine();

  // The whole log against a previous checkpoint larger than it.
  const std::string big = Write("cp40.note", log_.Note(40));
  EXPECT_EQ(Run({"audit", "verify", Write("all.export", log_.Export(0, 30)), "--key",
                 log_.key_text(), "--previous", big}),
            12);
  EXPECT_THAT(err_.str(), HasSubstr("the log shrank"));
}

TEST_F(AuditVerifyCommandTest, LocalProblemsAreNotVerificationFailures) {
  const std::string file = Write("log.export", log_.Export(0, 3));
  EXPECT_EQ(Run({"audit", "verify", dir_.File("missing"), "--key", log_.key_text()}), 10);
  EXPECT_EQ(Run({"audit", "verify", dir_.path(), "--key", log_.key_text()}), 10);
  EXPECT_EQ(Run({"audit", "verify", file, "--key", dir_.File("no-such.key")}), 10);
  EXPECT_EQ(Run({"audit", "verify", file, "--key", Write("bad.key", "not a key\n")}), 10);
  EXPECT_EQ(Run({"audit", "verify", file, "--key", "name+0000000+AAAA"}), 2);
  EXPECT_EQ(Run({"audit", "verify", file}), 2);
  EXPECT_EQ(
      Run({"audit", "verify", file, "--key", log_.key_text(), "--previous", dir_.File("missing")}),
      10);
}

}  // namespace
}  // namespace casevault::client
