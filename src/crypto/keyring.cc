// The keyring file (grammar in docs/formats.md, "Keyring file"):
//
//   file      = magic:"CVKEYRING" version:u8(0x01) envelope
//   envelope  = Aead envelope under the root key, associated data
//               "CVKEYRING" || 0x01, sealing `plaintext`
//   plaintext = database-key 1*kek current-kek audit-mac-key index-key
//               audit-signing-seed            ; exactly this order
//   record    = type:u8 length:u32be value[length]
//
// Invariants:
//  1. Plaintext keyring bytes live only in SecretBytes (sodium_malloc'd,
//     wiped on free), while serialising and while parsing.
//  2. A file is accepted only if every record has its exact size, KEK
//     versions are >= 1 and strictly increasing (so no duplicates), the
//     current KEK version is among them, and no byte follows the last record.
//  3. A write never leaves a half-written keyring at `path` (temp file in the
//     same directory, fsync, rename, fsync of the directory).
//  4. A temp file a crashed write left behind (`path`.tmp-<16 hex>) is never
//     read, and the next write removes it before writing its own.
#include "crypto/keyring.h"

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "crypto/aead.h"
#include "crypto/key_file.h"
#include "crypto/keyring_codec.h"
#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

constexpr char kWhat[] = "keyring file";
constexpr std::string_view kMagic = "CVKEYRING";
constexpr uint8_t kFormatVersion = 0x01;
constexpr size_t kHeaderSize = 9 + 1;
// Far more than any real keyring (each KEK version adds 41 bytes); a bound
// so a wrong path cannot make us read a huge file.
constexpr off_t kMaxFileSize = 1 << 20;

std::string Header() {
  std::string header(kMagic);
  header.push_back(static_cast<char>(kFormatVersion));
  return header;
}

std::string TempPath(const std::string& path, RandomSource& random) {
  uint8_t suffix[8];
  random.Fill(suffix, sizeof(suffix));
  char hex[2 * sizeof(suffix) + 1];
  sodium_bin2hex(hex, sizeof(hex), suffix, sizeof(suffix));
  return absl::StrCat(path, ".tmp-", hex);
}

// Whether `name` is `base`.tmp-<16 lower-case hex digits> (a TempPath).
bool IsTempName(std::string_view name, std::string_view base) {
  const std::string prefix = std::string(base) + ".tmp-";
  if (name.size() != prefix.size() + 16 || name.substr(0, prefix.size()) != prefix) {
    return false;
  }
  for (char c : name.substr(prefix.size())) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Removes the temp files of writes that crashed before their rename (the
// keyring has one writer at a time: offline operator commands).
void RemoveStaleTemps(const std::string& path) {
  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;  // the write below reports a real problem
  while (const dirent* e = ::readdir(d)) {
    if (IsTempName(e->d_name, base)) {
      ::unlinkat(::dirfd(d), e->d_name, 0);  // a symlink: only the link goes
    }
  }
  ::closedir(d);
}

// Writes `bytes` to a new temp file and renames it over `path`.
absl::Status AtomicWrite(const std::string& path, std::string_view bytes,
                         RandomSource& random) {
  RemoveStaleTemps(path);
  const std::string temp = TempPath(path, random);
  int raw = -1;
  do {
    raw = ::open(temp.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  } while (raw < 0 && errno == EINTR);
  if (raw < 0) return internal::ErrnoError(errno, "cannot create", temp);
  internal::ScopedFd fd(raw);

  absl::Status s = internal::RestrictToOwner(fd.get(), temp);
  if (s.ok()) {
    s = internal::WriteAll(fd.get(),
                           reinterpret_cast<const uint8_t*>(bytes.data()),
                           bytes.size(), temp);
  }
  if (s.ok() && ::fsync(fd.get()) != 0) {
    s = internal::ErrnoError(errno, "cannot fsync", temp);
  }
  if (s.ok()) s = fd.Close(temp);
  if (s.ok() && ::rename(temp.c_str(), path.c_str()) != 0) {
    s = internal::ErrnoError(errno, absl::StrCat("cannot rename ", temp, " to"),
                             path);
  }
  if (!s.ok()) {
    fd = internal::ScopedFd();
    ::unlink(temp.c_str());
    return s;
  }
  return internal::SyncParentDirectory(path);
}

}  // namespace

Keyring Keyring::Generate(RandomSource& random) {
  Keyring keyring;
  keyring.database_key = SecretBytes::Random(kKeyringKeySize, random);
  keyring.keks.emplace(1, SecretBytes::Random(kKeyringKeySize, random));
  keyring.current_kek_version = 1;
  keyring.audit_mac_key = SecretBytes::Random(kKeyringKeySize, random);
  keyring.index_key = SecretBytes::Random(kKeyringKeySize, random);
  keyring.audit_signing_seed = SecretBytes::Random(kKeyringKeySize, random);
  return keyring;
}

void Keyring::AddKekVersion(RandomSource& random) {
  // current+1 in a well-formed keyring; the highest version + 1 in any case,
  // so that an existing KEK is never overwritten.
  uint32_t highest = current_kek_version;
  if (!keks.empty() && keks.rbegin()->first > highest) {
    highest = keks.rbegin()->first;
  }
  if (highest == std::numeric_limits<uint32_t>::max()) std::abort();
  const uint32_t next = highest + 1;
  keks.emplace(next, SecretBytes::Random(kKeyringKeySize, random));
  current_kek_version = next;
}

absl::Status WriteKeyring(const std::string& path, const Keyring& keyring,
                          const SecretBytes& root_key, RandomSource& random) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  if (absl::Status s = internal::ValidateKeyring(keyring); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<Aead>> aead =
      Aead::New(root_key.Clone(), random);
  if (!aead.ok()) return aead.status();

  const std::string header = Header();
  std::string file = header;
  {
    const SecretBytes plaintext = internal::SerializeKeyring(keyring);
    file += (*aead)->Seal(std::string_view(reinterpret_cast<const char*>(
                                               plaintext.ExposeSecret()),
                                           plaintext.size()),
                          header);
  }
  return AtomicWrite(path, file, random);
}

absl::StatusOr<Keyring> ReadKeyring(const std::string& path,
                                    const SecretBytes& root_key) {
  if (!InitializeCrypto()) {
    return absl::InternalError("libsodium failed to initialise");
  }
  absl::StatusOr<internal::OpenedKeyFile> opened =
      internal::OpenKeyFileForRead(path, kWhat);
  if (!opened.ok()) return opened.status();
  const off_t size = opened->st.st_size;
  if (size < static_cast<off_t>(kHeaderSize + kEnvelopeOverhead)) {
    return absl::DataLossError(absl::StrCat(
        kWhat, " ", path, " is too short (", size,
        " bytes) to be a casevault keyring; restore it from backup"));
  }
  if (size > kMaxFileSize) {
    return absl::DataLossError(
        absl::StrCat(kWhat, " ", path, " is too large (", size,
                     " bytes) to be a casevault keyring; check the path"));
  }
  std::string file(static_cast<size_t>(size), '\0');
  if (absl::Status s = internal::ReadExactly(
          opened->fd.get(), reinterpret_cast<uint8_t*>(file.data()),
          file.size(), path, kWhat);
      !s.ok()) {
    return s;
  }
  const std::string_view contents(file);
  if (contents.substr(0, kMagic.size()) != kMagic) {
    return absl::DataLossError(
        absl::StrCat(kWhat, " ", path,
                     " is not a casevault keyring (bad magic); check "
                     "the path, or restore it from backup"));
  }
  const uint8_t version = static_cast<uint8_t>(contents[kMagic.size()]);
  if (version != kFormatVersion) {
    return absl::DataLossError(
        absl::StrCat(kWhat, " ", path, " has unknown format version ", version,
                     " (written by a newer casevault, or damaged)"));
  }

  SodiumRandom random;  // Aead wants one; opening never draws from it
  absl::StatusOr<std::unique_ptr<Aead>> aead =
      Aead::New(root_key.Clone(), random);
  if (!aead.ok()) return aead.status();
  absl::StatusOr<SecretBytes> plaintext = (*aead)->OpenSecret(
      contents.substr(kHeaderSize), contents.substr(0, kHeaderSize));
  if (!plaintext.ok()) {
    return absl::DataLossError(absl::StrCat(
        kWhat, " ", path,
        " does not open under this root key: the root key does not match "
        "this keyring (wrong root key file?), or the keyring is damaged; "
        "use the root key this keyring was written with, or restore both "
        "from the same backup"));
  }
  absl::StatusOr<Keyring> keyring = internal::ParseKeyring(*plaintext);
  if (!keyring.ok()) {
    return absl::DataLossError(
        absl::StrCat(kWhat, " ", path,
                     " opened but is malformed: ", keyring.status().message()));
  }
  return keyring;
}

}  // namespace casevault::crypto
