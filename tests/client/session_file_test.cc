#include "client/session_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "client/client_fakes.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::client {
namespace {

using casevault::testing::TempDir;

Session SampleSession() {
  Session s;
  s.server = "localhost:7443";
  s.ca_path = "/etc/casevault/test-ca.pem";
  s.token = "test-token-not-a-secret";
  s.username = "counselor-test";
  s.role = "counselor";
  s.unit_id = "school-test";
  s.expires_at = "2030-01-01T00:00:00Z";
  return s;
}

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(lstat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

TEST(SessionFileTest, SavedWithMode0600InDirectory0700AndLoadsBack) {
  TempDir dir;
  const std::string path = dir.File("config/casevault/session.json");
  ASSERT_OK(SaveSession(path, SampleSession()));
  EXPECT_EQ(ModeOf(path), 0600);
  EXPECT_EQ(ModeOf(dir.File("config/casevault")), 0700);
  EXPECT_EQ(ModeOf(dir.File("config")), 0700);

  ASSERT_OK_AND_ASSIGN(std::optional<Session> loaded, LoadSession(path));
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->server, "localhost:7443");
  EXPECT_EQ(loaded->token, "test-token-not-a-secret");
  EXPECT_EQ(loaded->username, "counselor-test");
  EXPECT_EQ(loaded->role, "counselor");
  EXPECT_EQ(loaded->unit_id, "school-test");
  EXPECT_EQ(loaded->expires_at, "2030-01-01T00:00:00Z");
  EXPECT_EQ(loaded->ca_path, "/etc/casevault/test-ca.pem");
}

TEST(SessionFileTest, ModeIs0600EvenWithAPermissiveUmask) {
  TempDir dir;
  const mode_t old_mask = umask(0);
  const absl::Status saved = SaveSession(dir.File("s.json"), SampleSession());
  umask(old_mask);
  ASSERT_OK(saved);
  EXPECT_EQ(ModeOf(dir.File("s.json")), 0600);
}

TEST(SessionFileTest, SaveReplacesAnOldFileAndLeavesNoTemporary) {
  TempDir dir;
  const std::string path = dir.File("s.json");
  ASSERT_OK(SaveSession(path, SampleSession()));
  Session second = SampleSession();
  second.token = "second-test-token";
  ASSERT_OK(SaveSession(path, second));
  ASSERT_OK_AND_ASSIGN(std::optional<Session> loaded, LoadSession(path));
  EXPECT_EQ(loaded->token, "second-test-token");
  EXPECT_EQ(access((path + ".tmp." + std::to_string(getpid())).c_str(), F_OK), -1);
}

TEST(SessionFileTest, MissingFileIsNoSession) {
  TempDir dir;
  ASSERT_OK_AND_ASSIGN(std::optional<Session> loaded, LoadSession(dir.File("none.json")));
  EXPECT_FALSE(loaded.has_value());
}

TEST(SessionFileTest, GroupOrOtherReadableFileIsRefused) {
  for (mode_t mode : {0640, 0604, 0660, 0620}) {
    TempDir dir;
    const std::string path = dir.File("s.json");
    ASSERT_OK(SaveSession(path, SampleSession()));
    ASSERT_EQ(chmod(path.c_str(), mode), 0);
    absl::StatusOr<std::optional<Session>> loaded = LoadSession(path);
    ASSERT_FALSE(loaded.ok()) << std::oct << mode;
    EXPECT_EQ(ExitCodeOf(loaded.status()), ExitCode::kLocalFile);
    EXPECT_NE(loaded.status().message().find("unsafe"), absl::string_view::npos);
    // The message never carries the token.
    EXPECT_EQ(loaded.status().message().find("test-token"), absl::string_view::npos);
  }
}

TEST(SessionFileTest, SymlinkIsRefused) {
  TempDir dir;
  const std::string real = dir.File("real.json");
  ASSERT_OK(SaveSession(real, SampleSession()));
  const std::string link = dir.File("link.json");
  ASSERT_EQ(symlink(real.c_str(), link.c_str()), 0);
  absl::StatusOr<std::optional<Session>> loaded = LoadSession(link);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(ExitCodeOf(loaded.status()), ExitCode::kLocalFile);
  EXPECT_NE(loaded.status().message().find("symbolic link"), absl::string_view::npos);
}

TEST(SessionFileTest, FifoIsRefusedWithoutHanging) {
  TempDir dir;
  const std::string path = dir.File("s.json");
  ASSERT_EQ(mkfifo(path.c_str(), 0600), 0);
  absl::StatusOr<std::optional<Session>> loaded = LoadSession(path);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(ExitCodeOf(loaded.status()), ExitCode::kLocalFile);
}

TEST(SessionFileTest, DamagedFileIsALocalFileProblem) {
  TempDir dir;
  const std::string path = dir.File("s.json");
  for (const char* content : {"not json", "[]", "{\"server\": 1}", "{\"server\": \"h:1\"}"}) {
    {
      std::ofstream out(path, std::ios::trunc);
      out << content;
    }
    ASSERT_EQ(chmod(path.c_str(), 0600), 0);
    absl::StatusOr<std::optional<Session>> loaded = LoadSession(path);
    ASSERT_FALSE(loaded.ok()) << content;
    EXPECT_EQ(ExitCodeOf(loaded.status()), ExitCode::kLocalFile) << content;
  }
}

TEST(SessionFileTest, SaveRefusesADirectoryOthersCanWriteTo) {
  TempDir dir;
  ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  absl::Status saved = SaveSession(dir.File("s.json"), SampleSession());
  EXPECT_EQ(ExitCodeOf(saved), ExitCode::kLocalFile);
  ASSERT_EQ(chmod(dir.path().c_str(), 0700), 0);
}

TEST(SessionFileTest, RemoveDeletesAndToleratesMissing) {
  TempDir dir;
  const std::string path = dir.File("s.json");
  ASSERT_OK(SaveSession(path, SampleSession()));
  ASSERT_OK(RemoveSession(path));
  EXPECT_EQ(access(path.c_str(), F_OK), -1);
  EXPECT_OK(RemoveSession(path));
}

TEST(SessionFileTest, PathPrecedence) {
  std::map<std::string, std::string> vars = {{"HOME", "/home/test"}};
  EnvLookup env = testing::MapEnv(&vars);
  EXPECT_EQ(*SessionFilePath(env), "/home/test/.config/casevault/session.json");
  vars["XDG_CONFIG_HOME"] = "relative/ignored";
  EXPECT_EQ(*SessionFilePath(env), "/home/test/.config/casevault/session.json");
  vars["XDG_CONFIG_HOME"] = "/xdg";
  EXPECT_EQ(*SessionFilePath(env), "/xdg/casevault/session.json");
  vars["CASEVAULT_SESSION_FILE"] = "/explicit/s.json";
  EXPECT_EQ(*SessionFilePath(env), "/explicit/s.json");
  vars.clear();
  EXPECT_EQ(ExitCodeOf(SessionFilePath(env).status()), ExitCode::kLocalFile);
}

}  // namespace
}  // namespace casevault::client
