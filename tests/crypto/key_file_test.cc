#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::crypto::internal {
namespace {

using ::casevault::testing::StatusIs;
using ::casevault::testing::TempDir;
using ::testing::HasSubstr;

void WriteFile(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, bytes.data(), bytes.size()),
            static_cast<ssize_t>(bytes.size()));
  ASSERT_EQ(::close(fd), 0);
}

// A POSIX ACL in Linux's xattr form: u32le version 2, then for each entry
// u16le tag, u16le perm, u32le id; entries sorted by tag, then id.
struct AclEntry {
  uint16_t tag;
  uint16_t perm;
  uint32_t id;
};
constexpr uint16_t kUserObj = 0x01, kUser = 0x02, kGroupObj = 0x04,
                   kGroup = 0x08, kMask = 0x10, kOther = 0x20;
constexpr uint32_t kNoId = 0xffffffff;
constexpr uint32_t kStranger = 4242;  // a uid/gid that is not ours

std::string AclBytes(const std::vector<AclEntry>& entries) {
  std::string out("\x02\0\0\0", 4);
  for (const AclEntry& e : entries) {
    const uint8_t b[8] = {uint8_t(e.tag),      uint8_t(e.tag >> 8),
                          uint8_t(e.perm),     uint8_t(e.perm >> 8),
                          uint8_t(e.id),       uint8_t(e.id >> 8),
                          uint8_t(e.id >> 16), uint8_t(e.id >> 24)};
    out.append(reinterpret_cast<const char*>(b), 8);
  }
  return out;
}

// False if the file system has no ACLs (the test then skips).
bool SetAcl(const std::string& path, const std::vector<AclEntry>& entries) {
  const std::string acl = AclBytes(entries);
  if (::setxattr(path.c_str(), "system.posix_acl_access", acl.data(),
                 acl.size(), 0) == 0) {
    return true;
  }
  EXPECT_TRUE(errno == ENOTSUP || errno == EOPNOTSUPP) << errno;
  return false;
}

class KeyFileAclTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WriteFile(path_, "key");
    ASSERT_EQ(::chmod(path_.c_str(), 0400), 0);
  }
  TempDir dir_;
  const std::string path_ = dir_.File("k");
};

// What systemd does for a service user: 0400 plus user:<service>:r.
TEST_F(KeyFileAclTest, AcceptsAnAclThatLetsOnlyThisUserRead) {
  if (!SetAcl(path_, {{kUserObj, 4, kNoId},
                      {kUser, 4, static_cast<uint32_t>(::geteuid())},
                      {kGroupObj, 0, kNoId},
                      {kMask, 4, kNoId},
                      {kOther, 0, kNoId}})) {
    GTEST_SKIP() << "no ACL support";
  }
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0440u) << "the mask shows as group bits";
  EXPECT_OK(OpenKeyFileForRead(path_, "k"));
}

TEST_F(KeyFileAclTest, RefusesAnAclThatLetsOthersIn) {
  const std::vector<std::vector<AclEntry>> acls = {
      {{kUserObj, 4, kNoId},
       {kUser, 4, kStranger},
       {kGroupObj, 0, kNoId},
       {kMask, 4, kNoId},
       {kOther, 0, kNoId}},
      {{kUserObj, 4, kNoId},
       {kGroupObj, 0, kNoId},
       {kGroup, 4, kStranger},
       {kMask, 4, kNoId},
       {kOther, 0, kNoId}},
      {{kUserObj, 4, kNoId},
       {kUser, 4, static_cast<uint32_t>(::geteuid())},
       {kGroupObj, 4, kNoId},
       {kMask, 4, kNoId},
       {kOther, 0, kNoId}},
  };
  for (size_t i = 0; i < acls.size(); ++i) {
    if (!SetAcl(path_, acls[i])) GTEST_SKIP() << "no ACL support";
    EXPECT_THAT(OpenKeyFileForRead(path_, "k"),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("setfacl -b " + path_)))
        << i;
  }
}

TEST_F(KeyFileAclTest, RestrictToOwnerDropsTheAcl) {
  if (!SetAcl(path_, {{kUserObj, 6, kNoId},
                      {kUser, 4, kStranger},
                      {kGroupObj, 0, kNoId},
                      {kMask, 4, kNoId},
                      {kOther, 0, kNoId}})) {
    GTEST_SKIP() << "no ACL support";
  }
  const int fd = ::open(path_.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_OK(RestrictToOwner(fd, path_));
  ::close(fd);
  EXPECT_LT(::getxattr(path_.c_str(), "system.posix_acl_access", nullptr, 0),
            0);
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_OK(OpenKeyFileForRead(path_, "k"));
}

TEST(KeyFileTest, OpenReportsTheStatOfTheOpenedFile) {
  TempDir dir;
  WriteFile(dir.File("k"), "12345");
  ASSERT_OK_AND_ASSIGN(OpenedKeyFile f, OpenKeyFileForRead(dir.File("k"), "k"));
  EXPECT_GE(f.fd.get(), 0);
  EXPECT_EQ(f.st.st_size, 5);
  EXPECT_EQ(fcntl(f.fd.get(), F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
}

TEST(KeyFileTest, ReadExactlyChecksBothEnds) {
  TempDir dir;
  const std::string path = dir.File("k");
  WriteFile(path, "12345");
  uint8_t buf[8];
  {
    ASSERT_OK_AND_ASSIGN(OpenedKeyFile f, OpenKeyFileForRead(path, "k"));
    EXPECT_OK(ReadExactly(f.fd.get(), buf, 5, path, "k"));
    EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 5), "12345");
  }
  {
    ASSERT_OK_AND_ASSIGN(OpenedKeyFile f, OpenKeyFileForRead(path, "k"));
    EXPECT_THAT(
        ReadExactly(f.fd.get(), buf, 4, path, "k"),
        StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("longer")));
  }
  {
    ASSERT_OK_AND_ASSIGN(OpenedKeyFile f, OpenKeyFileForRead(path, "k"));
    EXPECT_THAT(
        ReadExactly(f.fd.get(), buf, 6, path, "k"),
        StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("shorter")));
  }
}

TEST(KeyFileTest, SyncParentDirectory) {
  TempDir dir;
  EXPECT_OK(SyncParentDirectory(dir.File("not-yet-there")));
  EXPECT_OK(SyncParentDirectory("relative-name"));  // the working directory
  EXPECT_OK(SyncParentDirectory("/top-level"));
  EXPECT_THAT(SyncParentDirectory(dir.File("missing/x")),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(KeyFileTest, ErrnoErrorCodes) {
  EXPECT_THAT(ErrnoError(ENOENT, "open", "/p"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("open /p: ")));
  EXPECT_THAT(ErrnoError(EACCES, "open", "/p"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(ErrnoError(ENOSPC, "write", "/p"),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(ErrnoError(EIO, "fsync", "/p"),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(KeyFileTest, ScopedFdClosesOnce) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ScopedFd read_end(fds[0]);
  {
    ScopedFd write_end(fds[1]);
    ScopedFd moved(std::move(write_end));
    EXPECT_EQ(write_end.get(), -1);  // NOLINT(bugprone-use-after-move)
    EXPECT_OK(moved.Close("pipe"));
    EXPECT_EQ(moved.get(), -1);
    EXPECT_OK(moved.Close("pipe"));  // no-op
  }
  EXPECT_EQ(::fcntl(fds[1], F_GETFD), -1);  // really closed
}

}  // namespace
}  // namespace casevault::crypto::internal
