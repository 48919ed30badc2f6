#include "client/secret_input.h"

#include <sys/stat.h>

#include <fstream>
#include <thread>
#include <map>
#include <sstream>

#include "client/client_fakes.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::TempDir;
using testing::FakeTerminal;
using testing::MapEnv;

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

class PasswordSourceTest : public ::testing::Test {
 protected:
  PasswordSources Sources(const std::string& file = "") {
    return {file, "CASEVAULT_PASSWORD", "Password: "};
  }
  TempDir dir_;
  std::map<std::string, std::string> vars_;
  std::istringstream stdin_;
};

TEST_F(PasswordSourceTest, FileBeatsEnvironmentBeatsPrompt) {
  WriteFile(dir_.File("pw"), "from-file-test\n");
  vars_["CASEVAULT_PASSWORD"] = "from-env-test";
  FakeTerminal terminal(/*interactive=*/true);
  terminal.answers = {"from-prompt-test"};

  ASSERT_OK_AND_ASSIGN(std::string p1, ReadPassword(Sources(dir_.File("pw")), MapEnv(&vars_),
                                                    terminal, stdin_));
  EXPECT_EQ(p1, "from-file-test");
  ASSERT_OK_AND_ASSIGN(std::string p2, ReadPassword(Sources(), MapEnv(&vars_), terminal, stdin_));
  EXPECT_EQ(p2, "from-env-test");
  EXPECT_EQ(terminal.secret_reads, 0);
  vars_.clear();
  ASSERT_OK_AND_ASSIGN(std::string p3, ReadPassword(Sources(), MapEnv(&vars_), terminal, stdin_));
  EXPECT_EQ(p3, "from-prompt-test");
  EXPECT_EQ(terminal.secret_reads, 1);
}

TEST_F(PasswordSourceTest, EmptyEnvironmentVariableCountsAsUnset) {
  vars_["CASEVAULT_PASSWORD"] = "";
  FakeTerminal terminal(/*interactive=*/true);
  terminal.answers = {"typed-test"};
  ASSERT_OK_AND_ASSIGN(std::string p, ReadPassword(Sources(), MapEnv(&vars_), terminal, stdin_));
  EXPECT_EQ(p, "typed-test");
}

TEST_F(PasswordSourceTest, NoSourceAndNoTerminalIsAUsageError) {
  FakeTerminal terminal(/*interactive=*/false);
  absl::StatusOr<std::string> p = ReadPassword(Sources(), MapEnv(&vars_), terminal, stdin_);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(ExitCodeOf(p.status()), ExitCode::kUsage);
  EXPECT_NE(p.status().message().find("--password-file"), absl::string_view::npos);
  EXPECT_EQ(terminal.secret_reads, 0);
}

TEST_F(PasswordSourceTest, FileProblemsAreLocalFileErrors) {
  FakeTerminal terminal(/*interactive=*/true);
  absl::StatusOr<std::string> missing =
      ReadPassword(Sources(dir_.File("missing")), MapEnv(&vars_), terminal, stdin_);
  EXPECT_EQ(ExitCodeOf(missing.status()), ExitCode::kLocalFile);
  WriteFile(dir_.File("empty"), "\n");
  absl::StatusOr<std::string> empty =
      ReadPassword(Sources(dir_.File("empty")), MapEnv(&vars_), terminal, stdin_);
  EXPECT_EQ(ExitCodeOf(empty.status()), ExitCode::kLocalFile);
  absl::StatusOr<std::string> directory =
      ReadPassword(Sources(dir_.path()), MapEnv(&vars_), terminal, stdin_);
  EXPECT_EQ(ExitCodeOf(directory.status()), ExitCode::kLocalFile);
  EXPECT_EQ(terminal.secret_reads, 0);  // a bad file never falls back to the prompt
}

TEST_F(PasswordSourceTest, OnlyOneTrailingNewlineIsDropped) {
  FakeTerminal terminal;
  WriteFile(dir_.File("crlf"), "pw-test\r\n");
  EXPECT_EQ(*ReadPassword(Sources(dir_.File("crlf")), MapEnv(&vars_), terminal, stdin_),
            "pw-test");
  WriteFile(dir_.File("spaces"), " pw test \n\n");
  EXPECT_EQ(*ReadPassword(Sources(dir_.File("spaces")), MapEnv(&vars_), terminal, stdin_),
            " pw test \n");
}

TEST_F(PasswordSourceTest, PasswordFileDashReadsStandardInput) {
  FakeTerminal terminal;
  std::istringstream in("piped-test\n");
  EXPECT_EQ(*ReadPassword(Sources("-"), MapEnv(&vars_), terminal, in), "piped-test");
}

TEST_F(PasswordSourceTest, NewPasswordPromptsTwiceAndMustMatch) {
  FakeTerminal terminal(/*interactive=*/true);
  terminal.answers = {"new-test-1", "new-test-1"};
  PasswordSources sources{"", "CASEVAULT_NEW_PASSWORD", "New password: "};
  ASSERT_OK_AND_ASSIGN(std::string p, ReadNewPassword(sources, MapEnv(&vars_), terminal, stdin_));
  EXPECT_EQ(p, "new-test-1");
  EXPECT_EQ(terminal.secret_reads, 2);

  terminal.answers = {"new-test-1", "new-test-2"};
  absl::StatusOr<std::string> differ = ReadNewPassword(sources, MapEnv(&vars_), terminal, stdin_);
  EXPECT_EQ(ExitCodeOf(differ.status()), ExitCode::kUsage);

  vars_["CASEVAULT_NEW_PASSWORD"] = "env-new-test";
  EXPECT_EQ(*ReadNewPassword(sources, MapEnv(&vars_), terminal, stdin_), "env-new-test");
}

TEST_F(PasswordSourceTest, PasswordFileMayBeAPipe) {
  const std::string fifo = dir_.File("fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::thread writer([&] { WriteFile(fifo, "piped-test\n"); });
  FakeTerminal terminal;
  absl::StatusOr<std::string> p = ReadPassword(Sources(fifo), MapEnv(&vars_), terminal, stdin_);
  writer.join();
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, "piped-test");
}

TEST(ReadInputFileTest, RefusesOversizedInput) {
  TempDir dir;
  WriteFile(dir.File("big"), std::string(100, 'x'));
  std::istringstream in(std::string(100, 'y'));
  EXPECT_EQ(ExitCodeOf(ReadInputFile(dir.File("big"), "file", 99, in).status()),
            ExitCode::kLocalFile);
  EXPECT_EQ(ExitCodeOf(ReadInputFile("-", "file", 99, in).status()), ExitCode::kLocalFile);
  EXPECT_EQ(ReadInputFile(dir.File("big"), "file", 100, in)->size(), 100u);
}

}  // namespace
}  // namespace casevault::client
