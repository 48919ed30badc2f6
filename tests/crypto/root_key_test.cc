#include "crypto/root_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <string>

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
using ::testing::HasSubstr;

constexpr uint64_t kSeed = 0x5eed'0002;

// Writes `bytes` to `path` with exactly `mode` (whatever the umask).
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

mode_t ModeOf(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

class RootKeyTest : public ::testing::Test {
 protected:
  RootKeyTest() : random_(kSeed), key_bytes_(random_.Bytes(kRootKeySize)) {}
  SeededRandom random_;
  TempDir dir_;
  std::string key_bytes_;
};

TEST_F(RootKeyTest, Accepts0600And0400) {
  for (mode_t mode : {0600, 0400}) {
    const std::string path = dir_.File("root-" + std::to_string(mode));
    WriteFile(path, key_bytes_, mode);
    ASSERT_OK_AND_ASSIGN(SecretBytes key, LoadRootKey(path));
    EXPECT_TRUE(key.Equals(SecretBytes::CopyFrom(key_bytes_))) << mode;
  }
}

TEST_F(RootKeyTest, RefusesFilesOpenToGroupOrOthers) {
  const struct {
    mode_t mode;
    const char* how;
  } cases[] = {
      {0640, "readable by group or others"},
      {0604, "readable by group or others"},
      {0644, "readable by group or others"},
      {0620, "writable by group or others"},
      {0602, "writable by group or others"},
      {0660, "readable and writable by group or others"},
      {0610, "accessible by group or others"},
  };
  for (const auto& c : cases) {
    const std::string path = dir_.File("root.key");
    WriteFile(path, key_bytes_, c.mode);
    EXPECT_THAT(LoadRootKey(path),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(c.how), HasSubstr(path),
                               HasSubstr("run: chmod 600 " + path))))
        << std::oct << c.mode;
  }
}

TEST_F(RootKeyTest, RefusesASymlinkEvenToAGoodFile) {
  const std::string target = dir_.File("real.key");
  const std::string link = dir_.File("root.key");
  WriteFile(target, key_bytes_, 0600);
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_THAT(LoadRootKey(link),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("symbolic link"), HasSubstr(link),
                             HasSubstr("point casevault at the real file"))));
}

TEST_F(RootKeyTest, RefusesWrongSizes) {
  for (size_t size : {0, 31, 33, 64}) {
    const std::string path = dir_.File("root.key");
    WriteFile(path, random_.Bytes(size), 0600);
    EXPECT_THAT(LoadRootKey(path),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         AllOf(HasSubstr(path),
                               HasSubstr(std::to_string(size) + " bytes"),
                               HasSubstr("exactly 32 raw bytes"),
                               HasSubstr("Restore the right file"))))
        << size;
  }
}

TEST_F(RootKeyTest, RefusesADirectory) {
  const std::string path = dir_.File("root.key");
  ASSERT_EQ(::mkdir(path.c_str(), 0700), 0);
  EXPECT_THAT(LoadRootKey(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("is a directory"),
                             HasSubstr("point casevault at the key file"))));
}

TEST_F(RootKeyTest, RefusesANamedPipeWithoutBlocking) {
  const std::string path = dir_.File("root.key");
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  EXPECT_THAT(LoadRootKey(path), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("not a regular file")));
}

TEST_F(RootKeyTest, MissingFileIsNotFound) {
  const std::string path = dir_.File("absent.key");
  EXPECT_THAT(LoadRootKey(path),
              StatusIs(absl::StatusCode::kNotFound,
                       AllOf(HasSubstr(path), HasSubstr("casevaultd init"))));
}

TEST_F(RootKeyTest, RefusesAFileOwnedByAnotherUser) {
  if (::geteuid() != 0) GTEST_SKIP() << "only root can give a file away";
  const std::string path = dir_.File("root.key");
  WriteFile(path, key_bytes_, 0600);
  ASSERT_EQ(::chown(path.c_str(), 4242, 4242), 0);
  EXPECT_THAT(LoadRootKey(path),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("owned by uid 4242"),
                             HasSubstr("run: chown 0 " + path))));
}

TEST_F(RootKeyTest, UnreadableByOwnerIsRefusedWithAFix) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads any file";
  const std::string path = dir_.File("root.key");
  WriteFile(path, key_bytes_, 0200);
  EXPECT_THAT(LoadRootKey(path), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("run: chmod 600 " + path)));
}

TEST_F(RootKeyTest, CreateWritesA0600FileThatLoads) {
  const std::string path = dir_.File("root.key");
  ASSERT_OK_AND_ASSIGN(SecretBytes created, CreateRootKey(path, random_));
  EXPECT_EQ(created.size(), kRootKeySize);
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_EQ(ReadFileBytes(path).size(), kRootKeySize);
  ASSERT_OK_AND_ASSIGN(SecretBytes loaded, LoadRootKey(path));
  EXPECT_TRUE(loaded.Equals(created));
}

TEST_F(RootKeyTest, CreateIsNotAffectedByAPermissiveUmask) {
  const mode_t old = ::umask(0);
  const std::string path = dir_.File("root.key");
  auto created = CreateRootKey(path, random_);
  ::umask(old);
  ASSERT_OK(created);
  EXPECT_EQ(ModeOf(path), 0600u);
}

// A directory whose default ACL lets group 4242 read new files: the key
// must not inherit it.
TEST_F(RootKeyTest, CreateDropsAnAclInheritedFromTheDirectory) {
  const std::string sub = dir_.File("shared");
  ASSERT_EQ(::mkdir(sub.c_str(), 0700), 0);
  // u32le version 2; entries u16le tag, u16le perm, u32le id.
  const std::string acl(
      "\x02\0\0\0"
      "\x01\0\x06\0\xff\xff\xff\xff"  // user::rw-
      "\x04\0\0\0\xff\xff\xff\xff"    // group::---
      "\x08\0\x04\0\x92\x10\0\0"      // group:4242:r--
      "\x10\0\x04\0\xff\xff\xff\xff"  // mask::r--
      "\x20\0\0\0\xff\xff\xff\xff",   // other::---
      4 + 5 * 8);
  if (::setxattr(sub.c_str(), "system.posix_acl_default", acl.data(),
                 acl.size(), 0) != 0) {
    GTEST_SKIP() << "no ACL support (errno " << errno << ")";
  }
  const std::string path = sub + "/root.key";
  ASSERT_OK(CreateRootKey(path, random_));
  EXPECT_LT(::getxattr(path.c_str(), "system.posix_acl_access", nullptr, 0), 0);
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_OK(LoadRootKey(path));
}

TEST_F(RootKeyTest, CreateRefusesToOverwrite) {
  const std::string path = dir_.File("root.key");
  WriteFile(path, key_bytes_, 0600);
  EXPECT_THAT(CreateRootKey(path, random_),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       AllOf(HasSubstr(path), HasSubstr("refusing"))));
  EXPECT_EQ(ReadFileBytes(path), key_bytes_);
}

TEST_F(RootKeyTest, CreateRefusesADanglingSymlink) {
  const std::string target = dir_.File("elsewhere.key");
  const std::string link = dir_.File("root.key");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  EXPECT_THAT(CreateRootKey(link, random_),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_NE(::access(target.c_str(), F_OK), 0) << "wrote through the link";
}

TEST_F(RootKeyTest, CreateInAMissingDirectoryIsNotFound) {
  EXPECT_THAT(CreateRootKey(dir_.File("no/such/dir/root.key"), random_),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(RootKeyTest, TwoCreatedKeysDiffer) {
  ASSERT_OK_AND_ASSIGN(SecretBytes a, CreateRootKey(dir_.File("a"), random_));
  ASSERT_OK_AND_ASSIGN(SecretBytes b, CreateRootKey(dir_.File("b"), random_));
  EXPECT_FALSE(a.Equals(b));
}

}  // namespace
}  // namespace casevault::crypto
