// Internal to crypto/: the file handling shared by the root key and the
// keyring. Not for use outside src/crypto.
//
// Invariants:
//  1. A key file is opened with O_NOFOLLOW and every check (regular file,
//     owner, mode, size) is made with fstat on the descriptor actually read,
//     so a file swapped between check and read is never used (no TOCTOU).
//  2. A key file is created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600,
//     written, fsync'd, and its directory fsync'd before success is returned.
//  3. Error messages name the path and a fix, never file contents.
#ifndef CASEVAULT_CRYPTO_KEY_FILE_H_
#define CASEVAULT_CRYPTO_KEY_FILE_H_

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casevault::crypto::internal {

// Owns a file descriptor; closes it on destruction.
class ScopedFd {
 public:
  explicit ScopedFd(int fd = -1) : fd_(fd) {}
  ScopedFd(ScopedFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  ScopedFd& operator=(ScopedFd&& other) noexcept;
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  ~ScopedFd();

  int get() const { return fd_; }
  // Closes now; an error from close(2) (which may report a failed write)
  // is returned.
  [[nodiscard]] absl::Status Close(const std::string& what);

 private:
  int fd_;
};

// A key file opened for reading, with the stat of the open descriptor.
struct OpenedKeyFile {
  ScopedFd fd;
  struct stat st;
};

// Opens `path` read-only for a key file described by `what` (for example
// "root key file"). NOT_FOUND if it does not exist; FAILED_PRECONDITION,
// with a message that says how to fix it, for a symlink, a non-regular file,
// a file owned by another user than this one or root, or one open to group
// or others by its mode bits or by a POSIX ACL. A root-owned file that an
// ACL lets only this user read (a systemd credential) is accepted.
[[nodiscard]] absl::StatusOr<OpenedKeyFile> OpenKeyFileForRead(
    const std::string& path, const std::string& what);

// Removes any ACL (one a directory's default ACL gave a new file) and sets
// mode 0600, so that only the owner can read what is written next.
[[nodiscard]] absl::Status RestrictToOwner(int fd, const std::string& path);

// Reads exactly `size` bytes into `out`, then checks that the file ends
// there. FAILED_PRECONDITION (`what` and path in the message) if it is
// shorter or longer.
[[nodiscard]] absl::Status ReadExactly(int fd, uint8_t* out, size_t size,
                                       const std::string& path,
                                       const std::string& what);

// Writes all of `data`, retrying on EINTR and short writes.
[[nodiscard]] absl::Status WriteAll(int fd, const uint8_t* data, size_t size,
                                    const std::string& path);

// fsyncs the directory that holds `path`.
[[nodiscard]] absl::Status SyncParentDirectory(const std::string& path);

// "<op> <path>: <strerror(err)>"; an INTERNAL status unless `err` maps to
// a better code (ENOENT -> NOT_FOUND, EACCES/EPERM -> PERMISSION_DENIED,
// ENOSPC -> RESOURCE_EXHAUSTED).
absl::Status ErrnoError(int err, const std::string& op,
                        const std::string& path);

}  // namespace casevault::crypto::internal

#endif  // CASEVAULT_CRYPTO_KEY_FILE_H_
