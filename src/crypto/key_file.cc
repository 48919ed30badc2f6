#include "crypto/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"

namespace casevault::crypto::internal {
namespace {

std::string ModeString(mode_t mode) {
  std::string out = "0000";
  unsigned bits = static_cast<unsigned>(mode & 07777);
  for (int i = 3; i >= 0; --i, bits >>= 3)
    out[i] = static_cast<char>('0' + (bits & 7));
  return out;
}

std::string FileTypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a regular file";
}

absl::Status SymlinkError(const std::string& path, const std::string& what) {
  return absl::FailedPreconditionError(absl::StrCat(
      what, " ", path,
      " is a symbolic link, which is refused; point casevault at the real "
      "file, or replace the link with the file itself (mode 0600)"));
}

constexpr char kAclXattr[] = "system.posix_acl_access";
// Linux's xattr form of a POSIX ACL (linux/posix_acl_xattr.h), little-endian:
// u32 version (2), then entries of u16 tag, u16 perm, u32 id.
constexpr uint32_t kAclVersion = 2;
constexpr uint16_t kAclUserObj = 0x01, kAclUser = 0x02, kAclGroupObj = 0x04,
                   kAclGroup = 0x08, kAclMask = 0x10, kAclOther = 0x20;

bool IsNoAclErrno(int err) {
  return err == ENODATA || err == ENOTSUP || err == EOPNOTSUPP;
}

// True if the ACL `acl` gives any access to anyone but the owner and the
// user `me` (a systemd credential is root's, 0400, with `user:me:r`; stat
// then shows the ACL mask as group bits, which is not a group grant).
bool AclGrantsOthers(const uint8_t* acl, size_t size, uid_t me) {
  auto u16 = [](const uint8_t* p) { return uint16_t(p[0] | (p[1] << 8)); };
  auto u32 = [](const uint8_t* p) {
    return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) |
           (uint32_t(p[3]) << 24);
  };
  if (size < 4 || (size - 4) % 8 != 0 || u32(acl) != kAclVersion) return true;
  for (size_t at = 4; at < size; at += 8) {
    const uint16_t tag = u16(acl + at);
    const uint16_t perm = u16(acl + at + 2);
    const uint32_t id = u32(acl + at + 4);
    if (tag == kAclUserObj || tag == kAclMask) continue;
    if (tag == kAclUser && id == me) continue;
    if (tag != kAclUser && tag != kAclGroupObj && tag != kAclGroup &&
        tag != kAclOther) {
      return true;  // unknown entry: assume the worst
    }
    if (perm != 0) return true;
  }
  return false;
}

absl::Status OpenToOthersError(const struct stat& st, const std::string& path,
                               const std::string& what) {
  const mode_t open_to_others = st.st_mode & (S_IRWXG | S_IRWXO);
  const bool readable = (open_to_others & (S_IRGRP | S_IROTH)) != 0;
  const bool writable = (open_to_others & (S_IWGRP | S_IWOTH)) != 0;
  const char* how = readable && writable ? "readable and writable"
                    : readable           ? "readable"
                    : writable           ? "writable"
                                         : "accessible";
  return absl::FailedPreconditionError(
      absl::StrCat(what, " ", path, " is ", how, " by group or others (mode ",
                   ModeString(st.st_mode), "); run: chmod 600 ", path));
}

// Every check of invariant 1, on the open descriptor and its stat.
absl::Status CheckKeyFile(int fd, const struct stat& st,
                          const std::string& path, const std::string& what) {
  if (S_ISLNK(st.st_mode)) return SymlinkError(path, what);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, " ", path, " is ", FileTypeName(st.st_mode),
        ", not a regular file; point casevault at the key file itself"));
  }
  // Root may own it (a systemd credential): root can read anything anyway.
  const uid_t me = geteuid();
  if (st.st_uid != me && st.st_uid != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " ", path, " is owned by uid ", st.st_uid,
                     ", not by the user running casevault (uid ", me,
                     "); run: chown ", me, " ", path));
  }
  uint8_t acl[4 + 8 * 32];
  const ssize_t acl_size = ::fgetxattr(fd, kAclXattr, acl, sizeof(acl));
  const int err = acl_size < 0 ? errno : 0;
  if (acl_size < 0 && !IsNoAclErrno(err) && err != ERANGE) {
    return ErrnoError(err, absl::StrCat("cannot read the ACL of ", what), path);
  }
  if (acl_size < 0 && IsNoAclErrno(err)) {  // plain permission bits
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
      return OpenToOthersError(st, path, what);
    }
    return absl::OkStatus();
  }
  if (acl_size < 0 ||  // ERANGE: more entries than any sane key file has
      AclGrantsOthers(acl, static_cast<size_t>(acl_size), me)) {
    return absl::FailedPreconditionError(absl::StrCat(
        what, " ", path,
        " gives other users or groups access through an ACL (see: getfacl ",
        path, "); run: setfacl -b ", path, " && chmod 600 ", path));
  }
  return absl::OkStatus();
}

}  // namespace

ScopedFd& ScopedFd::operator=(ScopedFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ScopedFd::~ScopedFd() {
  if (fd_ >= 0) ::close(fd_);
}

absl::Status ScopedFd::Close(const std::string& what) {
  if (fd_ < 0) return absl::OkStatus();
  const int fd = fd_;
  fd_ = -1;
  // Linux releases the descriptor even when close fails: never retry.
  if (::close(fd) != 0) return ErrnoError(errno, "close", what);
  return absl::OkStatus();
}

absl::Status ErrnoError(int err, const std::string& op,
                        const std::string& path) {
  std::string message =
      absl::StrCat(op, " ", path, ": ", std::generic_category().message(err));
  switch (err) {
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
      return absl::PermissionDeniedError(message);
    case ENOSPC:
    case EDQUOT:
      return absl::ResourceExhaustedError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<OpenedKeyFile> OpenKeyFileForRead(const std::string& path,
                                                 const std::string& what) {
  // lstat only gives the clearer message; the authoritative checks are
  // O_NOFOLLOW and fstat on the descriptor we read (invariant 1).
  struct stat lst;
  if (::lstat(path.c_str(), &lst) != 0) {
    const int err = errno;
    if (err == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat(what, " ", path,
                       " does not exist; check the path, or create it with "
                       "`casevaultd init`"));
    }
    return ErrnoError(err, absl::StrCat("cannot stat ", what), path);
  }
  if (S_ISLNK(lst.st_mode)) return SymlinkError(path, what);

  // O_NONBLOCK so that a FIFO swapped in after lstat cannot block the open;
  // it has no effect on a regular file.
  int raw = -1;
  do {
    raw = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) {
    const int err = errno;
    if (err == ELOOP) return SymlinkError(path, what);
    if (err == ENOENT) {
      return absl::NotFoundError(
          absl::StrCat(what, " ", path, " does not exist"));
    }
    if (err == EACCES) {
      return absl::FailedPreconditionError(absl::StrCat(
          what, " ", path,
          " cannot be read by the user running casevault; run: chmod 600 ",
          path));
    }
    return ErrnoError(err, absl::StrCat("cannot open ", what), path);
  }
  OpenedKeyFile opened{ScopedFd(raw), {}};
  if (::fstat(opened.fd.get(), &opened.st) != 0) {
    return ErrnoError(errno, absl::StrCat("cannot stat ", what), path);
  }
  if (absl::Status s = CheckKeyFile(opened.fd.get(), opened.st, path, what);
      !s.ok()) {
    return s;
  }
  return opened;
}

absl::Status ReadExactly(int fd, uint8_t* out, size_t size,
                         const std::string& path, const std::string& what) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::read(fd, out + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, absl::StrCat("cannot read ", what), path);
    }
    if (n == 0) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, " ", path,
                       " is shorter than expected (it changed while "
                       "being read?)"));
    }
    done += static_cast<size_t>(n);
  }
  uint8_t extra;
  ssize_t n;
  do {
    n = ::read(fd, &extra, 1);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return ErrnoError(errno, absl::StrCat("cannot read ", what), path);
  if (n > 0) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " ", path,
                     " is longer than expected (it changed while being "
                     "read?)"));
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, const uint8_t* data, size_t size,
                      const std::string& path) {
  size_t done = 0;
  while (done < size) {
    const ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(errno, "cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status SyncParentDirectory(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  std::string dir;
  if (slash == std::string::npos) {
    dir = ".";
  } else if (slash == 0) {
    dir = "/";
  } else {
    dir = path.substr(0, slash);
  }
  int raw = -1;
  do {
    raw = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) return ErrnoError(errno, "cannot open directory", dir);
  ScopedFd fd(raw);
  if (::fsync(fd.get()) != 0) {
    return ErrnoError(errno, "cannot fsync directory", dir);
  }
  return fd.Close(dir);
}

absl::Status RestrictToOwner(int fd, const std::string& path) {
  // A default ACL on the directory is inherited by new files; drop it.
  if (::fremovexattr(fd, kAclXattr) != 0 && !IsNoAclErrno(errno)) {
    return ErrnoError(errno, "cannot remove the ACL of", path);
  }
  // The umask can only narrow the creation mode; make it exactly 0600.
  if (::fchmod(fd, 0600) != 0) return ErrnoError(errno, "cannot chmod", path);
  return absl::OkStatus();
}

}  // namespace casevault::crypto::internal
