#include "crypto/root_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "crypto/key_file.h"
#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

constexpr char kWhat[] = "root key file";

}  // namespace

absl::StatusOr<SecretBytes> LoadRootKey(const std::string& path) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  absl::StatusOr<internal::OpenedKeyFile> opened =
      internal::OpenKeyFileForRead(path, kWhat);
  if (!opened.ok()) return opened.status();
  if (opened->st.st_size != static_cast<off_t>(kRootKeySize)) {
    // Never suggest making a new key here: a new key cannot open the
    // existing keyring, so the data would be lost.
    return absl::FailedPreconditionError(absl::StrCat(
        kWhat, " ", path, " is ", opened->st.st_size,
        " bytes; it must be exactly 32 raw bytes (not hex or base64). "
        "Restore the right file from your key backup"));
  }
  // Read straight into protected memory; the zeros copied in are not secret.
  SecretBytes key = SecretBytes::CopyFrom(std::string(kRootKeySize, '\0'));
  if (absl::Status s =
          internal::ReadExactly(opened->fd.get(), key.ExposeSecretMutable(),
                                kRootKeySize, path, kWhat);
      !s.ok()) {
    return s;
  }
  return key;
}

absl::StatusOr<SecretBytes> CreateRootKey(const std::string& path,
                                          RandomSource& random) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  int raw = -1;
  do {
    raw = ::open(path.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) {
    const int err = errno;
    if (err == EEXIST) {
      return absl::AlreadyExistsError(absl::StrCat(
          kWhat, " ", path,
          " already exists; refusing to overwrite it (a new root key cannot "
          "open data sealed under the old one)"));
    }
    return internal::ErrnoError(err, "cannot create root key file", path);
  }
  internal::ScopedFd fd(raw);
  SecretBytes key = SecretBytes::Random(kRootKeySize, random);

  absl::Status s = internal::RestrictToOwner(fd.get(), path);
  if (s.ok())
    s = internal::WriteAll(fd.get(), key.ExposeSecret(), key.size(), path);
  if (s.ok() && ::fsync(fd.get()) != 0) {
    s = internal::ErrnoError(errno, "cannot fsync", path);
  }
  if (s.ok()) s = fd.Close(path);
  if (s.ok()) s = internal::SyncParentDirectory(path);
  if (!s.ok()) {
    // Do not leave a partial key behind: it would be refused on load, and
    // block the next attempt.
    fd = internal::ScopedFd();
    ::unlink(path.c_str());
    return s;
  }
  return key;
}

}  // namespace casevault::crypto
