// What a stolen disk shows: the database, its WAL and the keyring hold none
// of the case's text, and the files do not open without the right keys.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "crypto/root_key.h"
#include "gtest/gtest.h"
#include "harness.h"
#include "support/seeded_random.h"

namespace casevault::testing {
namespace {

std::string BinDir() {
  const char* dir = std::getenv("CASEVAULT_BIN_DIR");
  return dir != nullptr ? dir : ".";
}

// Runs a command; returns its exit status and captures stdout+stderr.
int RunCommand(const std::string& command, std::string* output) {
  FILE* p = popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return -1;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) output->append(buf, n);
  const int status = pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ExpectNoneOf(const std::vector<std::string>& needles, const std::string& hay,
                  const std::string& what) {
  for (const auto& needle : needles) {
    EXPECT_EQ(hay.find(needle), std::string::npos) << "a sensitive string is in " << what;
  }
}

TEST(AtRestTest, DatabaseAndWalHoldNoCaseText) {
  Deployment d;
  d.Start();
  auto cases = v1::CaseService::NewStub(d.Channel());
  const std::string token = d.Login("counselor");
  v1::Case filed;
  ASSERT_TRUE(cases->FileCase(Authed(token).get(), SampleCase("ZQX"), &filed).ok());
  v1::AddNoteRequest note;
  note.set_case_id(filed.id());
  note.set_text("Ghi chú riêng tư về em Nguyễn Thị Hồng NhungZQX");
  v1::Note n;
  ASSERT_TRUE(cases->AddNote(Authed(token).get(), note, &n).ok());

  // While the server runs, the WAL holds the newest pages.
  const std::string db = ReadFileBytes(d.paths().database());
  const std::string wal = ReadFileBytes(d.paths().database() + "-wal");
  ASSERT_FALSE(db.empty());
  EXPECT_NE(db.rfind("SQLite format 3", 0), 0u);
  auto needles = SensitiveStrings("ZQX");
  needles.push_back("counselor");  // even account names are inside the encryption
  needles.push_back("demo-school");
  ExpectNoneOf(needles, db, "the database");
  ExpectNoneOf(needles, wal, "the WAL");
  d.Stop();
  const std::string after = ReadFileBytes(d.paths().database());
  ExpectNoneOf(needles, after, "the checkpointed database");
  ExpectNoneOf(needles, ReadFileBytes(d.paths().keyring()), "the keyring");
}

TEST(AtRestTest, WrongRootKeyRefusesToStartAndChangesNothing) {
  Deployment d;
  d.Start();
  auto cases = v1::CaseService::NewStub(d.Channel());
  v1::Case filed;
  ASSERT_TRUE(cases->FileCase(Authed(d.Login("counselor")).get(), SampleCase(), &filed).ok());
  d.Stop();

  // Another, well-formed root key in place of the real one.
  const std::string real = ReadFileBytes(d.paths().root_key);
  ASSERT_EQ(::unlink(d.paths().root_key.c_str()), 0);
  SeededRandom random(7);
  ASSERT_TRUE(crypto::CreateRootKey(d.paths().root_key, random).ok());
  const std::string db_before = ReadFileBytes(d.paths().database());
  const std::string keyring_before = ReadFileBytes(d.paths().keyring());

  std::string out;
  const int code = RunCommand(BinDir() + "/casevaultd serve --data " + d.paths().data_dir +
                           " --listen 127.0.0.1:0",
                       &out);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("root key"), std::string::npos) << out;
  EXPECT_EQ(ReadFileBytes(d.paths().database()), db_before);
  EXPECT_EQ(ReadFileBytes(d.paths().keyring()), keyring_before);
  struct stat st;
  EXPECT_NE(::stat((d.paths().database() + "-wal").c_str(), &st) == 0 && st.st_size > 0, true);

  // With the real key back it serves again.
  ASSERT_EQ(::unlink(d.paths().root_key.c_str()), 0);
  {
    std::ofstream f(d.paths().root_key, std::ios::binary);
    f << real;
  }
  ASSERT_EQ(::chmod(d.paths().root_key.c_str(), 0600), 0);
  d.Start();
  v1::GetCaseRequest get;
  get.set_case_id(filed.id());
  v1::Case shown;
  auto stub = v1::CaseService::NewStub(d.Channel());
  EXPECT_TRUE(stub->GetCase(Authed(d.Login("counselor")).get(), get, &shown).ok());
}

TEST(AtRestTest, UnsafeRootKeyFileIsRefusedWithAFix) {
  Deployment d;
  ASSERT_EQ(::chmod(d.paths().root_key.c_str(), 0644), 0);
  std::string out;
  const int code = RunCommand(BinDir() + "/casevaultd serve --data " + d.paths().data_dir +
                           " --listen 127.0.0.1:0",
                       &out);
  EXPECT_NE(code, 0);
  EXPECT_NE(out.find("chmod 600"), std::string::npos) << out;
}

TEST(AtRestTest, BinaryLinksSqlCipherAndNotPlainSqlite) {
  std::string out;
  ASSERT_EQ(RunCommand("ldd " + BinDir() + "/casevaultd", &out), 0);
  EXPECT_NE(out.find("libsqlcipher"), std::string::npos) << out;
  EXPECT_EQ(out.find("libsqlite3"), std::string::npos) << out;
}

}  // namespace
}  // namespace casevault::testing
