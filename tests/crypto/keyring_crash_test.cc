// A crash in the middle of WriteKeyring (issue 5): every state the disk can
// be left in -- a temp file not yet renamed, empty, half-written or whole --
// keeps the old keyring readable, and a later WriteKeyring still works and
// removes the leftovers. The states are made by hand, as a killed write
// would leave them.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/keyring.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::ReadFileBytes;
using ::casevault::testing::SeededRandom;
using ::casevault::testing::StatusIs;
using ::casevault::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

// Always the same bytes: WriteKeyring's temp name is then predictable.
class ZeroRandom final : public RandomSource {
 public:
  void Fill(uint8_t* out, size_t size) override {
    for (size_t i = 0; i < size; ++i) out[i] = 0;
  }
};

void WriteRaw(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(::close(fd), 0);
}

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

class KeyringCrashTest : public ::testing::Test {
 protected:
  KeyringCrashTest()
      : random_(0x5eed'0005), root_key_(SecretBytes::Random(32, random_)),
        path_(dir_.File("keyring")), old_(Keyring::Generate(random_)),
        new_(Keyring::Generate(random_)) {
    new_.AddKekVersion(random_);
  }

  // The bytes a complete write of `k` puts in its temp file.
  std::string Sealed(const Keyring& k) {
    TempDir other;
    EXPECT_OK(WriteKeyring(other.File("keyring"), k, root_key_, random_));
    return ReadFileBytes(other.File("keyring"));
  }
  // The old keyring is there and whole.
  void ExpectReads(const Keyring& k) {
    absl::StatusOr<Keyring> read = ReadKeyring(path_, root_key_);
    ASSERT_OK(read.status());
    EXPECT_EQ(read->keks.size(), k.keks.size());
    EXPECT_EQ(read->current_kek_version, k.current_kek_version);
    EXPECT_EQ(read->database_key.Equals(k.database_key), true);
  }

  TempDir dir_;
  SeededRandom random_;
  SecretBytes root_key_;
  std::string path_;
  Keyring old_, new_;
};

TEST_F(KeyringCrashTest, EveryStateBeforeTheRenameKeepsTheOldKeyringAndAllowsAWrite) {
  const std::string sealed = Sealed(new_);
  // Killed: right after creating the temp file; part-way through writing
  // it (at every 7th byte); after writing it whole, before the rename.
  std::vector<size_t> cuts = {0};
  for (size_t n = 1; n < sealed.size(); n += 7) cuts.push_back(n);
  cuts.push_back(sealed.size());
  for (size_t cut : cuts) {
    SCOPED_TRACE("temp file cut at byte " + std::to_string(cut));
    TempDir dir;
    const std::string path = dir.File("keyring");
    ASSERT_OK(WriteKeyring(path, old_, root_key_, random_));
    WriteRaw(path + ".tmp-0123456789abcdef", sealed.substr(0, cut));
    absl::StatusOr<Keyring> read = ReadKeyring(path, root_key_);
    ASSERT_OK(read.status());
    EXPECT_TRUE(read->database_key.Equals(old_.database_key));

    // The next write works, and the leftover is gone.
    ASSERT_OK(WriteKeyring(path, new_, root_key_, random_));
    read = ReadKeyring(path, root_key_);
    ASSERT_OK(read.status());
    EXPECT_TRUE(read->database_key.Equals(new_.database_key));
    EXPECT_EQ(read->current_kek_version, 2u);
    EXPECT_THAT(Names(dir.path()), ElementsAre("keyring"));
  }
}

TEST_F(KeyringCrashTest, ALeftoverWithTheNextWritesOwnTempNameDoesNotBlockIt) {
  ZeroRandom zero;
  ASSERT_OK(WriteKeyring(path_, old_, root_key_, random_));
  // A write drawing the same random bytes was killed before its rename.
  WriteRaw(path_ + ".tmp-0000000000000000", "half a keyr");
  ASSERT_OK(WriteKeyring(path_, new_, root_key_, zero));
  ExpectReads(new_);
  EXPECT_THAT(Names(dir_.path()), ElementsAre("keyring"));
}

TEST_F(KeyringCrashTest, AFirstWriteKilledBeforeItsRenameLeavesNoKeyring) {
  WriteRaw(path_ + ".tmp-00000000000000ff", Sealed(old_));
  EXPECT_THAT(ReadKeyring(path_, root_key_).status(), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK(WriteKeyring(path_, old_, root_key_, random_));
  ExpectReads(old_);
  EXPECT_THAT(Names(dir_.path()), ElementsAre("keyring"));
}

TEST_F(KeyringCrashTest, OnlyItsOwnTempFilesAreRemoved) {
  ASSERT_OK(WriteKeyring(path_, old_, root_key_, random_));
  // Not temp names of this keyring: other files, other lengths, upper case.
  for (const char* name : {"keyring.tmp-0123", "keyring.tmp-0123456789ABCDEF",
                           "other.tmp-0123456789abcdef", "keyring.bak"}) {
    WriteRaw(dir_.File(name), "keep me");
  }
  ASSERT_EQ(::symlink("/nonexistent", dir_.File("keyring.tmp-aaaaaaaaaaaaaaaa").c_str()), 0);
  ASSERT_OK(WriteKeyring(path_, new_, root_key_, random_));
  ExpectReads(new_);
  EXPECT_THAT(Names(dir_.path()),
              UnorderedElementsAre("keyring", "keyring.tmp-0123", "keyring.tmp-0123456789ABCDEF",
                                   "other.tmp-0123456789abcdef", "keyring.bak"));
}

}  // namespace
}  // namespace casevault::crypto
