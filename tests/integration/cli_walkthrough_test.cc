// The README's walk-through, run with the real `casevault` binary against a
// real server over TLS: sign in, file, show, note, list, and the exit codes
// a user meets when something is wrong.
#include <sys/stat.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

class CliWalkthroughTest : public ::testing::Test {
 protected:
  void SetUp() override {
    deployment_.Start();
    session_ = deployment_.dir() + "/session.json";
  }

  CliResult Cli(const std::string& args, const std::string& password = "",
                const std::string& stdin_text = "") {
    return RunCli(deployment_, session_, args, password, stdin_text);
  }

  std::string CaseFile(const std::string& marker) {
    const std::string path = deployment_.dir() + "/case-" + marker + ".json";
    nlohmann::json j = {{"type", "psychological-abuse"},
                        {"context", "online-abuse"},
                        {"severity", "medium"},
                        {"incident_date", "2026-11-20"},
                        {"reporter", "self"},
                        {"victim_name", "Lê Thị Mỹ Duyên" + marker},
                        {"victim_gender", "female"},
                        {"victim_birth_year", 2011},
                        {"victim_class", "9A1"},
                        {"perpetrator_relation", "unknown"},
                        {"place", "Nhóm chat của lớp"},
                        {"narrative", "Em nhận được tin nhắn quấy rối từ tài khoản lạ."}};
    std::ofstream(path) << j.dump();
    return path;
  }

  Deployment deployment_;
  std::string session_;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

TEST_F(CliWalkthroughTest, CounselorFilesShowsNotesAndLists) {
  CliResult login = Cli("login --user counselor", deployment_.account("counselor").password);
  ASSERT_EQ(login.code, 0) << login.err;
  struct stat st;
  ASSERT_EQ(::stat(session_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  CliResult filed = Cli("case file --from-file " + CaseFile("WALK"));
  ASSERT_EQ(filed.code, 0) << filed.err;
  const std::string id = Trim(filed.out);
  ASSERT_EQ(id.size(), 24u) << filed.out;

  CliResult note = Cli("case note " + id + " --text-file -", "", "Đã nói chuyện với em.\n");
  ASSERT_EQ(note.code, 0) << note.err;

  CliResult shown = Cli("case show " + id + " --output json");
  ASSERT_EQ(shown.code, 0) << shown.err;
  const auto j = nlohmann::json::parse(shown.out);
  EXPECT_EQ(j.at("victim").at("name"), "Lê Thị Mỹ DuyênWALK");
  EXPECT_EQ(j.at("narrative"), "Em nhận được tin nhắn quấy rối từ tài khoản lạ.");
  ASSERT_EQ(j.at("notes").size(), 1u);
  EXPECT_EQ(j.at("notes")[0].at("text"), "Đã nói chuyện với em.");

  CliResult text = Cli("case show " + id);
  ASSERT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("Lê Thị Mỹ DuyênWALK"), std::string::npos);

  CliResult listed = Cli("case list --output json");
  ASSERT_EQ(listed.code, 0) << listed.err;
  const auto l = nlohmann::json::parse(listed.out);
  ASSERT_EQ(l.at("cases").size(), 1u);
  EXPECT_EQ(l.at("cases")[0].at("id"), id);
  EXPECT_EQ(listed.out.find("Duyên"), std::string::npos);  // lists never show people

  // Another counselor: "not found", exit 5, exactly as for a missing case.
  ASSERT_EQ(Cli("login --user counselor2", deployment_.account("counselor2").password).code, 0);
  CliResult hidden = Cli("case show " + id);
  CliResult missing = Cli("case show 0123456789abcdef01234567");
  EXPECT_EQ(hidden.code, 5);
  EXPECT_EQ(missing.code, 5);
  std::string hidden_err = hidden.err;
  hidden_err.replace(hidden_err.find(id), id.size(), "0123456789abcdef01234567");
  EXPECT_EQ(hidden_err, missing.err);

  EXPECT_EQ(Cli("logout").code, 0);
  EXPECT_EQ(Cli("case list").code, 3);  // not signed in
}

TEST_F(CliWalkthroughTest, UserErrorsHaveClearMessagesAndDistinctCodes) {
  CliResult wrong = Cli("login --user counselor", "not-the-password");
  EXPECT_EQ(wrong.code, 3);
  EXPECT_NE(wrong.err.find("casevault: "), std::string::npos);
  EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos);

  EXPECT_EQ(Cli("login --user counselor --password hunter2hunter2").code, 2);  // never argv
  ASSERT_EQ(Cli("login --user counselor", deployment_.account("counselor").password).code, 0);
  EXPECT_EQ(Cli("case file --from-file /nonexistent.json").code, 10);

  const std::string bad = deployment_.dir() + "/bad.json";
  std::ofstream(bad) << R"({"type":"rape","context":"other","severity":"high",
      "incident_date":"2099-01-01","reporter":"peer","victim_name":"",
      "victim_gender":"female","perpetrator_relation":"unknown","narrative":"x"})";
  CliResult invalid = Cli("case file --from-file " + bad);
  EXPECT_EQ(invalid.code, 6) << invalid.err;
  EXPECT_NE(invalid.err.find("incident_date"), std::string::npos) << invalid.err;
  EXPECT_NE(invalid.err.find("victim.name"), std::string::npos) << invalid.err;
  EXPECT_EQ(deployment_.CaseCount(), 0);

  EXPECT_EQ(Cli("user list").code, 4);  // a counselor is not an admin
  EXPECT_EQ(Cli("case frobnicate").code, 2);
}

TEST_F(CliWalkthroughTest, AdminManagesAccountsButSeesNoCases) {
  ASSERT_EQ(Cli("login --user counselor", deployment_.account("counselor").password).code, 0);
  CliResult filed = Cli("case file --from-file " + CaseFile("ADM"));
  ASSERT_EQ(filed.code, 0) << filed.err;
  ASSERT_EQ(Cli("login --user admin", deployment_.account("admin").password).code, 0);
  EXPECT_EQ(Cli("case show " + Trim(filed.out)).code, 5);
  const std::string pw = deployment_.dir() + "/pw";
  std::ofstream(pw) << "một mật khẩu thật dài\n";
  CliResult add = Cli("user add --user co.hoa --role counselor --unit demo-school --password-file " + pw);
  EXPECT_EQ(add.code, 0) << add.err;
  CliResult listed = Cli("user list --output json");
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("co.hoa"), std::string::npos);
  EXPECT_EQ(Cli("user disable co.hoa").code, 0);
  EXPECT_EQ(Cli("login --user co.hoa", "một mật khẩu thật dài").code, 3);
}

}  // namespace
}  // namespace casevault::testing
