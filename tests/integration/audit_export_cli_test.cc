// The auditor's path end to end: operations by several roles on a real
// server, `casevault audit export`, then the offline `casevault audit verify`
// against the verifier key `casevaultd init` published — and every kind of
// tampering with the export file caught by name.
#include <unistd.h>

#include <fstream>

#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

constexpr int kVerificationFailed = 12;

class AuditExportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    deployment_.Start();
    session_ = deployment_.dir() + "/session.json";
    // A counselor files and works a case, another counselor is refused, a
    // principal sees a high-severity case, the admin adds an account.
    auto cases = v1::CaseService::NewStub(deployment_.Channel());
    const std::string counselor = deployment_.Login("counselor");
    v1::FileCaseRequest high = SampleCase("AUDX");
    high.set_severity(v1::SEVERITY_HIGH);
    v1::Case filed;
    ASSERT_TRUE(cases->FileCase(Authed(counselor).get(), high, &filed).ok());
    v1::GetCaseRequest get;
    get.set_case_id(filed.id());
    v1::Case out;
    ASSERT_TRUE(cases->GetCase(Authed(counselor).get(), get, &out).ok());
    EXPECT_FALSE(cases->GetCase(Authed(deployment_.Login("counselor2")).get(), get, &out).ok());
    ASSERT_TRUE(cases->GetCase(Authed(deployment_.Login("principal")).get(), get, &out).ok());
    ASSERT_EQ(Cli("login --user auditor", deployment_.account("auditor").password).code, 0);
    key_ = deployment_.paths().data_dir + "/audit-verifier.key";
  }

  CliResult Cli(const std::string& args, const std::string& password = "") {
    return RunCli(deployment_, session_, args, password);
  }
  std::string Export(const std::string& name) {
    const std::string path = deployment_.dir() + "/" + name;
    const CliResult r = Cli("audit export --out " + path);
    EXPECT_EQ(r.code, 0) << r.err;
    return path;
  }
  CliResult Verify(const std::string& file, const std::string& extra = "") {
    return Cli("audit verify " + file + " --key " + key_ + extra);
  }
  // Rewrites `path` as `edit(lines)`; the last line holds the note.
  void Edit(const std::string& path,
            const std::function<void(std::vector<std::string>&)>& edit) {
    std::vector<std::string> lines;
    std::string text = ReadFileBytes(path), line;
    for (char c : text) {
      line += c;
      if (c == '\n') {
        lines.push_back(line);
        line.clear();
      }
    }
    if (!line.empty()) lines.push_back(line);
    edit(lines);
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    for (const auto& l : lines) out << l;
  }
  // Index of the first line of the note.
  static size_t NoteStart(const std::vector<std::string>& lines) {
    for (size_t i = 1; i < lines.size(); ++i) {
      if (lines[i][0] != '{') return i;
    }
    return lines.size();
  }

  Deployment deployment_;
  std::string session_;
  std::string key_;
};

TEST_F(AuditExportCliTest, ExportVerifiesAndHoldsNoCaseContent) {
  const std::string file = Export("log.export");
  const CliResult ok = Verify(file);
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("verified"), std::string::npos) << ok.out;
  const std::string text = ReadFileBytes(file);
  for (const auto& s : SensitiveStrings("AUDX")) {
    EXPECT_EQ(text.find(s), std::string::npos) << "case content in the export";
  }
  for (const char* action : {"\"case.file\"", "\"case.view\"", "\"auth.login\"",
                             "\"audit.export\""}) {
    EXPECT_NE(text.find(action), std::string::npos) << action;
  }
  EXPECT_NE(text.find("\"outcome\":\"not_found\""), std::string::npos);
  EXPECT_NE(text.find("\"reason\":\"escalated\""), std::string::npos);
}

TEST_F(AuditExportCliTest, EachTamperingFailsVerification) {
  struct Tamper {
    const char* what;
    std::function<void(std::vector<std::string>&)> edit;
  };
  const std::vector<Tamper> tampers = {
      {"one byte changed", [](auto& l) { l[3][l[3].find("\"seq\"") + 1] = 'S'; }},
      {"one outcome changed",
       [](auto& l) {
         for (auto& line : l) {
           const size_t at = line.find("\"outcome\":\"not_found\"");
           if (at != std::string::npos) {
             line.replace(at, 21, "\"outcome\":\"ok\"");
             return;
           }
         }
       }},
      {"entry deleted", [](auto& l) { l.erase(l.begin() + 4); }},
      {"entries swapped", [](auto& l) { std::swap(l[2], l[3]); }},
      {"forged entry appended",
       [](auto& l) { l.insert(l.begin() + NoteStart(l), l[NoteStart(l) - 1]); }},
      {"truncated", [](auto& l) { l.resize(NoteStart(l) - 2); }},
  };
  for (const auto& t : tampers) {
    const std::string file = Export("tamper.export");
    Edit(file, t.edit);
    const CliResult r = Verify(file);
    EXPECT_EQ(r.code, kVerificationFailed) << t.what << ": " << r.err;
    EXPECT_FALSE(r.err.empty()) << t.what;
    ::unlink(file.c_str());
  }
}

TEST_F(AuditExportCliTest, ACheckpointSignedByAnotherKeyFails) {
  const std::string file = Export("log.export");
  // Another deployment's key does not verify this log.
  Deployment other;
  const CliResult r = Cli("audit verify " + file + " --key " + other.paths().data_dir +
                          "/audit-verifier.key");
  EXPECT_EQ(r.code, kVerificationFailed) << r.err;
}

TEST_F(AuditExportCliTest, PreviousExportProvesTheLogOnlyGrew) {
  const std::string old_file = Export("old.export");
  auto cases = v1::CaseService::NewStub(deployment_.Channel());
  v1::Case filed;
  ASSERT_TRUE(cases->FileCase(Authed(deployment_.Login("counselor")).get(), SampleCase(),
                              &filed).ok());
  const std::string new_file = Export("new.export");
  CliResult r = Verify(new_file, " --previous " + old_file);
  EXPECT_EQ(r.code, 0) << r.err;
  // The older export claims the log was smaller than it is: refused.
  r = Verify(old_file, " --previous " + new_file);
  EXPECT_EQ(r.code, kVerificationFailed) << r.err;
  // An older export whose entries were altered is refused as --previous.
  Edit(old_file, [](auto& l) { l[2][l[2].find("\"time\"") + 10] ^= 1; });
  r = Verify(new_file, " --previous " + old_file);
  EXPECT_EQ(r.code, kVerificationFailed) << r.err;
}

TEST_F(AuditExportCliTest, LogKeepsGrowingConsistentlyAcrossARestart) {
  const std::string before = Export("before.export");
  deployment_.Start();  // restart on the same files, on a new port
  ::unlink(session_.c_str());  // the saved session names the old port
  ASSERT_EQ(Cli("login --user auditor", deployment_.account("auditor").password).code, 0);
  const std::string after = Export("after.export");
  const CliResult r = Verify(after, " --previous " + before);
  EXPECT_EQ(r.code, 0) << r.err;
  const CliResult proof = Cli("audit proof --index 3 --key " + key_);
  EXPECT_EQ(proof.code, 0) << proof.err;
}

TEST_F(AuditExportCliTest, OnlyAuditorsExport) {
  ASSERT_EQ(Cli("login --user counselor", deployment_.account("counselor").password).code, 0);
  const CliResult r = Cli("audit export --out " + deployment_.dir() + "/x.export");
  EXPECT_EQ(r.code, 4) << r.err;
}

}  // namespace
}  // namespace casevault::testing
