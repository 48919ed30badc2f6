#include "crypto/keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/aead.h"
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
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr uint64_t kSeed = 0x5eed'0003;
const std::string kHeader("CVKEYRING\x01", 10);

void WriteFile(const std::string& path, const std::string& bytes, mode_t mode) {
  // Unlink and create rather than O_TRUNC: ext4 flushes a truncated file on
  // close (auto_da_alloc), which makes the bit-flip loops slow.
  ::unlink(path.c_str());
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(::fchmod(fd, mode), 0);
  ASSERT_EQ(::close(fd), 0);
}

std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

// The plaintext grammar of docs/formats.md, written independently of
// keyring_codec.cc so that a change to either shows up here.
std::string U32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
          static_cast<char>(v >> 8), static_cast<char>(v)};
}
std::string Record(uint8_t type, const std::string& value) {
  return std::string(1, static_cast<char>(type)) + U32(value.size()) + value;
}
std::string Bytes(const SecretBytes& s) {
  return std::string(reinterpret_cast<const char*>(s.ExposeSecret()), s.size());
}
std::string Plaintext(const Keyring& k) {
  std::string out = Record(0x01, Bytes(k.database_key));
  for (const auto& [version, kek] : k.keks) {
    out += Record(0x02, U32(version) + Bytes(kek));
  }
  out += Record(0x03, U32(k.current_kek_version));
  out += Record(0x04, Bytes(k.audit_mac_key));
  out += Record(0x05, Bytes(k.index_key));
  out += Record(0x06, Bytes(k.audit_signing_seed));
  return out;
}

void ExpectSameKeys(const Keyring& a, const Keyring& b) {
  EXPECT_TRUE(a.database_key.Equals(b.database_key));
  EXPECT_EQ(a.current_kek_version, b.current_kek_version);
  ASSERT_EQ(a.keks.size(), b.keks.size());
  for (const auto& [version, kek] : a.keks) {
    ASSERT_EQ(b.keks.count(version), 1u) << version;
    EXPECT_TRUE(kek.Equals(b.keks.at(version))) << version;
  }
  EXPECT_TRUE(a.audit_mac_key.Equals(b.audit_mac_key));
  EXPECT_TRUE(a.index_key.Equals(b.index_key));
  EXPECT_TRUE(a.audit_signing_seed.Equals(b.audit_signing_seed));
}

class KeyringTest : public ::testing::Test {
 protected:
  KeyringTest()
      : random_(kSeed),
        root_key_(SecretBytes::Random(32, random_)),
        keyring_(Keyring::Generate(random_)),
        path_(dir_.File("keyring")) {}

  // A file sealed exactly as WriteKeyring would, around any plaintext.
  void WriteSealed(const std::string& plaintext) {
    auto aead = Aead::New(root_key_.Clone(), random_);
    ASSERT_OK(aead);
    WriteFile(path_, kHeader + (*aead)->Seal(plaintext, kHeader), 0600);
  }

  SeededRandom random_;
  TempDir dir_;
  SecretBytes root_key_;
  Keyring keyring_;
  std::string path_;
};

TEST_F(KeyringTest, GenerateMakesDistinct32ByteKeysAtKekVersion1) {
  EXPECT_EQ(keyring_.current_kek_version, 1u);
  ASSERT_EQ(keyring_.keks.size(), 1u);
  const SecretBytes* keys[] = {&keyring_.database_key, &keyring_.keks.at(1),
                               &keyring_.audit_mac_key, &keyring_.index_key,
                               &keyring_.audit_signing_seed};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(keys[i]->size(), 32u);
    for (size_t j = 0; j < i; ++j) EXPECT_FALSE(keys[i]->Equals(*keys[j]));
  }
}

TEST_F(KeyringTest, AddKekVersionAddsCurrentPlusOneAndKeepsTheOld) {
  const SecretBytes v1 = keyring_.keks.at(1).Clone();
  keyring_.AddKekVersion(random_);
  keyring_.AddKekVersion(random_);
  EXPECT_EQ(keyring_.current_kek_version, 3u);
  ASSERT_EQ(keyring_.keks.size(), 3u);
  EXPECT_TRUE(keyring_.keks.at(1).Equals(v1));
  EXPECT_FALSE(keyring_.keks.at(2).Equals(keyring_.keks.at(3)));
}

TEST_F(KeyringTest, RoundTripsIncludingAddedKekVersions) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  ASSERT_OK_AND_ASSIGN(Keyring read, ReadKeyring(path_, root_key_));
  ExpectSameKeys(keyring_, read);

  keyring_.AddKekVersion(random_);
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  ASSERT_OK_AND_ASSIGN(Keyring rotated, ReadKeyring(path_, root_key_));
  ExpectSameKeys(keyring_, rotated);
  EXPECT_EQ(rotated.current_kek_version, 2u);
}

TEST_F(KeyringTest, WriteIsAtomicAnd0600WithNoTempFileLeft) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));  // overwrite
  struct stat st;
  ASSERT_EQ(::lstat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_THAT(DirEntries(dir_.path()), ElementsAre("keyring"));
}

TEST_F(KeyringTest, WrittenFileFollowsTheDocumentedFormat) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  const std::string file = ReadFileBytes(path_);
  ASSERT_EQ(file.substr(0, 10), kHeader);
  ASSERT_OK_AND_ASSIGN(auto aead, Aead::New(root_key_.Clone(), random_));
  ASSERT_OK_AND_ASSIGN(std::string plaintext,
                       aead->Open(file.substr(10), kHeader));
  EXPECT_TRUE(plaintext == Plaintext(keyring_));  // no key bytes in output
}

TEST_F(KeyringTest, ReadsAHandBuiltFileOfTheDocumentedFormat) {
  keyring_.AddKekVersion(random_);
  WriteSealed(Plaintext(keyring_));
  ASSERT_OK_AND_ASSIGN(Keyring read, ReadKeyring(path_, root_key_));
  ExpectSameKeys(keyring_, read);
}

TEST_F(KeyringTest, WrongRootKeyIsDataLossNamingTheRootKey) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  EXPECT_THAT(
      ReadKeyring(path_, SecretBytes::Random(32, random_)),
      StatusIs(absl::StatusCode::kDataLoss,
               AllOf(HasSubstr(path_),
                     HasSubstr("root key does not match this keyring"))));
}

TEST_F(KeyringTest, EveryFlippedBitIsDataLoss) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  const std::string file = ReadFileBytes(path_);
  ASSERT_GT(file.size(), 200u);
  // Flip each bit in place and back (cheaper than rewriting the file).
  const int fd = ::open(path_.c_str(), O_WRONLY);
  ASSERT_GE(fd, 0);
  for (size_t bit = 0; bit < file.size() * 8; ++bit) {
    const size_t at = bit / 8;
    const char flipped = static_cast<char>(file[at] ^ (1 << (bit % 8)));
    ASSERT_EQ(::pwrite(fd, &flipped, 1, at), 1);
    ASSERT_THAT(ReadKeyring(path_, root_key_),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
    ASSERT_EQ(::pwrite(fd, &file[at], 1, at), 1);
  }
  ::close(fd);
  EXPECT_OK(ReadKeyring(path_, root_key_));  // restored: the loop was fair
}

TEST_F(KeyringTest, TruncatedOrExtendedFileIsDataLoss) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  const std::string file = ReadFileBytes(path_);
  for (size_t size = 0; size < file.size(); ++size) {
    WriteFile(path_, file.substr(0, size), 0600);
    ASSERT_THAT(ReadKeyring(path_, root_key_),
                StatusIs(absl::StatusCode::kDataLoss))
        << "size " << size;
  }
  WriteFile(path_, file + '\0', 0600);
  EXPECT_THAT(ReadKeyring(path_, root_key_),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(KeyringTest, BadMagicAndUnknownVersionAreDataLoss) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  std::string file = ReadFileBytes(path_);
  file[0] = 'X';
  WriteFile(path_, file, 0600);
  EXPECT_THAT(ReadKeyring(path_, root_key_),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("bad magic")));
  file[0] = 'C';
  file[9] = 0x02;
  WriteFile(path_, file, 0600);
  EXPECT_THAT(ReadKeyring(path_, root_key_),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("version 2")));
}

TEST_F(KeyringTest, MalformedPlaintextsAreDataLoss) {
  const Keyring& k = keyring_;
  const std::string db = Record(0x01, Bytes(k.database_key));
  const std::string kek1 = Record(0x02, U32(1) + Bytes(k.keks.at(1)));
  const std::string kek2 = Record(0x02, U32(2) + Bytes(k.keks.at(1)));
  const std::string kek0 = Record(0x02, U32(0) + Bytes(k.keks.at(1)));
  const std::string cur1 = Record(0x03, U32(1));
  const std::string mac = Record(0x04, Bytes(k.audit_mac_key));
  const std::string idx = Record(0x05, Bytes(k.index_key));
  const std::string seed = Record(0x06, Bytes(k.audit_signing_seed));
  const std::string tail = mac + idx + seed;
  const struct {
    const char* what;
    std::string plaintext;
  } cases[] = {
      {"empty", ""},
      {"no database key", kek1 + cur1 + tail},
      {"short database key",
       Record(0x01, Bytes(k.database_key).substr(1)) + kek1 + cur1 + tail},
      {"no KEK", db + cur1 + tail},
      {"duplicate KEK version", db + kek1 + kek1 + cur1 + tail},
      {"decreasing KEK versions", db + kek2 + kek1 + cur1 + tail},
      {"KEK version 0", db + kek0 + kek1 + cur1 + tail},
      {"current KEK absent", db + kek2 + cur1 + tail},
      {"no current KEK", db + kek1 + tail},
      {"records out of order", db + kek1 + cur1 + idx + mac + seed},
      {"missing signing seed", db + kek1 + cur1 + mac + idx},
      {"unknown record", db + kek1 + cur1 + tail + Record(0x07, "")},
      {"trailing byte", db + kek1 + cur1 + tail + std::string(1, '\0')},
      {"truncated record", db + kek1 + cur1 + mac + idx + seed.substr(0, 20)},
      {"length past the end", db + kek1 + cur1 + mac + idx + seed.substr(0, 1) +
                                  U32(0xffffffff) + seed.substr(5)},
  };
  for (const auto& c : cases) {
    WriteSealed(c.plaintext);
    EXPECT_THAT(ReadKeyring(path_, root_key_),
                StatusIs(absl::StatusCode::kDataLoss, HasSubstr("malformed")))
        << c.what;
  }
}

TEST_F(KeyringTest, RefusesSymlinkAndFilesOpenToOthers) {
  ASSERT_OK(WriteKeyring(path_, keyring_, root_key_, random_));
  const std::string link = dir_.File("link");
  ASSERT_EQ(::symlink(path_.c_str(), link.c_str()), 0);
  EXPECT_THAT(ReadKeyring(link, root_key_),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("symbolic link")));
  for (mode_t mode : {0640, 0604, 0620}) {
    ASSERT_EQ(::chmod(path_.c_str(), mode), 0);
    EXPECT_THAT(ReadKeyring(path_, root_key_),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("run: chmod 600 " + path_)))
        << std::oct << mode;
  }
  ASSERT_EQ(::chmod(path_.c_str(), 0400), 0);
  EXPECT_OK(ReadKeyring(path_, root_key_));
}

TEST_F(KeyringTest, MissingIsNotFoundAndDirectoryIsRefused) {
  EXPECT_THAT(ReadKeyring(path_, root_key_),
              StatusIs(absl::StatusCode::kNotFound));
  ASSERT_EQ(::mkdir(path_.c_str(), 0700), 0);
  EXPECT_THAT(
      ReadKeyring(path_, root_key_),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("directory")));
}

TEST_F(KeyringTest, RefusesToWriteAnInvalidKeyring) {
  Keyring no_current = Keyring::Generate(random_);
  no_current.current_kek_version = 7;
  Keyring short_key = Keyring::Generate(random_);
  short_key.index_key = SecretBytes::Random(31, random_);
  Keyring no_keks = Keyring::Generate(random_);
  no_keks.keks.clear();
  Keyring version0 = Keyring::Generate(random_);
  version0.keks.emplace(0, SecretBytes::Random(32, random_));
  for (const Keyring* k : {&no_current, &short_key, &no_keks, &version0}) {
    EXPECT_THAT(WriteKeyring(path_, *k, root_key_, random_),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  EXPECT_THAT(DirEntries(dir_.path()), ::testing::IsEmpty());
}

TEST_F(KeyringTest, FailedWriteLeavesNoTempFile) {
  const std::string sub = dir_.File("sub");
  ASSERT_EQ(::mkdir(sub.c_str(), 0700), 0);
  // Renaming a file over a non-empty directory fails after the temp file
  // has been written.
  const std::string target = sub + "/keyring";
  ASSERT_EQ(::mkdir(target.c_str(), 0700), 0);
  WriteFile(target + "/x", "x", 0600);
  EXPECT_FALSE(WriteKeyring(target, keyring_, root_key_, random_).ok());
  EXPECT_THAT(DirEntries(sub), ElementsAre("keyring"));
}

}  // namespace
}  // namespace casevault::crypto
