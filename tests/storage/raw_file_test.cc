// What is on disk: no plaintext, no change under a wrong key, the right
// library, and the key used raw (not as a passphrase).
#include <sqlcipher/sqlite3.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/store.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::casevault::testing::ReadFileBytes;
using ::testing::HasSubstr;

const std::vector<std::string>& Distinctive() {
  static const auto* const kStrings = new std::vector<std::string>{
      "Nguyễn Thị Hồng Nhung", "trường THCS Lê Lợi",     "em bị đánh ở nhà",
      "ZEBRA-NARRATIVE-4471",  "counselor-hoa-distinct", "HASH-MARKER-9931",
      "NOTE-MARKER-5518",      "CLOSURE-MARKER-2207",    "STEP-PARTY-8812",
      "STEP-OUTCOME-3390",     "STEP-DUE-7777-01-01",    "CONSENT-ON-6666-02-02"};
  return *kStrings;
}

bool Exists(const std::string& path) { return std::filesystem::exists(path); }

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

class RawFileTest : public StoreTest {
 protected:
  void WriteDistinctiveData() {
    AccountRecord account =
        MakeAccount("Nguyễn Thị Hồng Nhung", "counselor", "trường THCS Lê Lợi");
    account.password_hash = "HASH-MARKER-9931";
    AccountRecord other = MakeAccount("counselor-hoa-distinct");
    CaseRecord c = MakeCase("case-1", "trường THCS Lê Lợi", 1, 100);
    c.sealed_people = "Nguyễn Thị Hồng Nhung";
    c.sealed_narrative = "ZEBRA-NARRATIVE-4471 em bị đánh ở nhà";
    NoteRecord note = MakeNote("note-1", "case-1", 200);
    note.sealed_text = "NOTE-MARKER-5518";
    c.sealed_closure_note = "CLOSURE-MARKER-2207";
    StepRecord step = MakeStep("step-1", "case-1", "STEP-DUE-7777-01-01");
    step.sealed_external_party = "STEP-PARTY-8812";
    step.sealed_outcome = "STEP-OUTCOME-3390";
    ConsentRecord consent = MakeConsent("consent-1", "case-1");
    consent.given_on = "CONSENT-ON-6666-02-02";
    MustWrite([&](Transaction& txn) -> absl::Status {
      absl::Status s = txn.accounts().Insert(account).status();
      if (s.ok()) s = txn.accounts().Insert(other).status();
      if (s.ok()) s = txn.cases().Insert(c);
      if (s.ok()) s = txn.cases().InsertNote(note);
      if (s.ok()) s = txn.coordination().InsertStep(step);
      if (s.ok()) s = txn.coordination().InsertConsent(consent);
      return s;
    });
  }

  static void ExpectNoPlaintext(const std::string& bytes,
                                const std::string& which) {
    for (const std::string& s : Distinctive()) {
      EXPECT_EQ(bytes.find(s), std::string::npos) << s << " in " << which;
    }
  }

  void ExpectWrongKeyRefusedAndFilesUnchanged(const std::string& db_path) {
    const std::string main_before = ReadFileBytes(db_path);
    const bool had_wal = Exists(db_path + "-wal");
    const std::string wal_before = ReadFileBytes(db_path + "-wal");
    for (OpenMode mode : {OpenMode::kOpenExisting, OpenMode::kCreate}) {
      EXPECT_THAT(OpenSqlCipherStore(db_path, TestKey(2), mode),
                  StatusIs(absl::StatusCode::kPermissionDenied,
                           HasSubstr("does not open with this keyring's key")));
    }
    // Compared without printing: a diff of ciphertext helps nobody.
    EXPECT_TRUE(ReadFileBytes(db_path) == main_before) << "main file changed";
    EXPECT_EQ(Exists(db_path + "-wal"), had_wal);
    EXPECT_TRUE(ReadFileBytes(db_path + "-wal") == wal_before)
        << "-wal file changed";
  }
};

TEST_F(RawFileTest, NoPlaintextInMainFileOrWal) {
  WriteDistinctiveData();
  // Open: the rows sit in the WAL.
  const std::string wal = ReadFileBytes(path() + "-wal");
  EXPECT_FALSE(wal.empty());
  ExpectNoPlaintext(wal, "wal");
  ExpectNoPlaintext(ReadFileBytes(path()), "main file (open)");

  store_.reset();  // closing checkpoints into the main file
  const std::string main = ReadFileBytes(path());
  ASSERT_GE(main.size(), 4096u);
  ExpectNoPlaintext(main, "main file (closed)");
  EXPECT_NE(main.rfind("SQLite format 3", 0), 0u);
  ExpectNoPlaintext(ReadFileBytes(path() + "-wal"), "wal (closed)");
}

TEST_F(RawFileTest, WrongKeyOnClosedDatabaseChangesNothing) {
  WriteDistinctiveData();
  store_.reset();
  ExpectWrongKeyRefusedAndFilesUnchanged(path());
}

TEST_F(RawFileTest, WrongKeyWhileOpenChangesNothing) {
  WriteDistinctiveData();
  ASSERT_TRUE(Exists(path() + "-wal"));
  ExpectWrongKeyRefusedAndFilesUnchanged(path());
  AddAccount("still-writable");  // the open store is unharmed
}

// A crash leaves a -wal behind; a wrong key must not checkpoint it.
TEST_F(RawFileTest, WrongKeyOnCrashImageChangesNothing) {
  WriteDistinctiveData();
  const std::string image = dir_.File("crash.db");
  WriteFile(image, ReadFileBytes(path()));
  WriteFile(image + "-wal", ReadFileBytes(path() + "-wal"));
  ExpectWrongKeyRefusedAndFilesUnchanged(image);

  // The right key recovers the committed rows from the WAL.
  ASSERT_OK_AND_ASSIGN(
      auto recovered, OpenSqlCipherStore(image, key_, OpenMode::kOpenExisting));
  EXPECT_OK(recovered->Read(
      [](Transaction& txn) { return txn.cases().Find("case-1").status(); }));
}

TEST_F(RawFileTest, GarbageFilesAreRefusedUnchanged) {
  std::string noise(3 * 4096 + 17, '\0');
  for (size_t i = 0; i < noise.size(); ++i) {
    noise[i] = static_cast<char>((i * 2654435761u) >> 13);
  }
  WriteFile(dir_.File("noise.db"), noise);
  ExpectWrongKeyRefusedAndFilesUnchanged(dir_.File("noise.db"));
  WriteFile(dir_.File("text.db"), "this is a letter, not a database\n");
  ExpectWrongKeyRefusedAndFilesUnchanged(dir_.File("text.db"));
}

TEST_F(RawFileTest, PlaintextSqliteDatabaseIsRefusedUnchanged) {
  const std::string plain = dir_.File("plain.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(plain.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  ASSERT_EQ(ReadFileBytes(plain).rfind("SQLite format 3", 0), 0u);
  ExpectWrongKeyRefusedAndFilesUnchanged(plain);
}

TEST_F(RawFileTest, KeyIsUsedRawNotAsAPassphrase) {
  AddAccount("raw");
  store_.reset();
  auto count_accounts = [&](const void* key, int size) {
    sqlite3* db = nullptr;
    EXPECT_EQ(
        sqlite3_open_v2(path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
        SQLITE_OK);
    sqlite3_key(db, key, size);
    sqlite3_exec(db, "PRAGMA cipher_page_size = 4096", nullptr, nullptr,
                 nullptr);
    int rc = sqlite3_exec(db, "SELECT count(*) FROM accounts", nullptr, nullptr,
                          nullptr);
    sqlite3_close(db);
    return rc;
  };
  std::string literal = "x'";
  for (size_t i = 0; i < key_.size(); ++i) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    literal += kHex[key_.ExposeSecret()[i] >> 4];
    literal += kHex[key_.ExposeSecret()[i] & 0x0f];
  }
  literal += "'";
  EXPECT_EQ(count_accounts(literal.data(), static_cast<int>(literal.size())),
            SQLITE_OK);
  // The same 32 bytes taken as a passphrase derive a different key.
  EXPECT_EQ(count_accounts(key_.ExposeSecret(), 32), SQLITE_NOTADB);
}

TEST(LinkedLibraryTest, SqlCipherIsLoadedAndPlainSqliteIsNot) {
  const std::string maps = ReadFileBytes("/proc/self/maps");
  ASSERT_FALSE(maps.empty());
  EXPECT_EQ(maps.find("libsqlite3"), std::string::npos);
  EXPECT_NE(maps.find("libsqlcipher"), std::string::npos);
  EXPECT_FALSE(CipherVersion().empty());
}

}  // namespace
}  // namespace casevault::storage::testing
