#include "server/dev_certificates.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace casevault::server {
namespace {

template <typename T, void (*kFree)(T*)>
using Ptr = std::unique_ptr<T, std::integral_constant<void (*)(T*), kFree>>;
using Certificate = Ptr<X509, X509_free>;
using PrivateKey = Ptr<EVP_PKEY, EVP_PKEY_free>;

// Network-order bytes of a textual IPv4 or IPv6 address, or nullopt.
std::optional<std::string> ParseIp(const std::string& text) {
  unsigned char bytes[16];
  for (auto [family, size] : {std::pair{AF_INET, 4}, std::pair{AF_INET6, 16}}) {
    if (inet_pton(family, text.c_str(), bytes) == 1) {
      return std::string(reinterpret_cast<const char*>(bytes), size);
    }
  }
  return std::nullopt;
}

// LDH host name of at most 253 characters; the leftmost label may be "*".
bool IsValidDnsName(absl::string_view name) {
  if (name.size() > 253) return false;
  absl::ConsumePrefix(&name, "*.");
  auto ldh = [](char c) { return absl::ascii_isalnum(c) || c == '-'; };
  for (absl::string_view label : absl::StrSplit(name, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-' || !std::all_of(label.begin(), label.end(), ldh)) {
      return false;
    }
  }
  return true;
}

// Messages name the offending field, never its value (SECURITY.md).
absl::Status ValidateOptions(const DevCertificateOptions& options) {
  auto bad = [](auto... what) {
    return absl::InvalidArgumentError(absl::StrCat(what...));
  };
  for (size_t i = 0; i < options.dns_names.size(); ++i) {
    if (!IsValidDnsName(options.dns_names[i]))
      return bad("dns_names[", i, "] is not a DNS name");
  }
  for (size_t i = 0; i < options.ip_addresses.size(); ++i) {
    if (!ParseIp(options.ip_addresses[i]))
      return bad("ip_addresses[", i, "] is not an IP address");
  }
  const std::string& org = options.organization;
  if (options.dns_names.empty() && options.ip_addresses.empty()) {
    return bad("dns_names and ip_addresses are both empty");
  } else if (options.server_valid_days < 1 ||
             options.server_valid_days > options.ca_valid_days ||
             options.ca_valid_days > 36500) {
    return bad("need 1 <= server_valid_days <= ca_valid_days <= 36500");
  } else if (org.empty() || !IsValidUtf8(org) ||
             HasControlCharacters(org, /*allow_newlines=*/false) ||
             CodePointCount(org) > 64) {  // ub-organization-name
    return bad("organization: need 1 to 64 printable UTF-8 characters");
  }
  return absl::OkStatus();
}

// `value` holds no NUL: it is validated or fixed.
bool AddNameEntry(X509* cert, int nid, const std::string& value) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(value.c_str());
  return X509_NAME_add_entry_by_NID(X509_get_subject_name(cert), nid,
                                    MBSTRING_UTF8, bytes, -1, -1, 0) == 1;
}

using Extension = std::pair<int, const char*>;  // NID, X509V3_EXT_conf value
constexpr Extension kCaExtensions[] = {
    {NID_basic_constraints, "critical,CA:TRUE,pathlen:0"},
    {NID_key_usage, "critical,keyCertSign,cRLSign"},
    {NID_subject_key_identifier, "hash"}};
constexpr Extension kServerExtensions[] = {
    {NID_basic_constraints, "critical,CA:FALSE"},
    {NID_key_usage, "critical,digitalSignature"},
    {NID_ext_key_usage, "serverAuth"},
    {NID_subject_key_identifier, "hash"},
    {NID_authority_key_identifier, "keyid:always"}};

template <size_t N>
bool AddExtensions(X509* cert, X509V3_CTX* ctx, const Extension (&exts)[N]) {
  for (auto [nid, value] : exts) {
    Ptr<X509_EXTENSION, X509_EXTENSION_free> ext(
        X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
    if (ext == nullptr || X509_add_ext(cert, ext.get(), -1) != 1) return false;
  }
  return true;
}

// From GENERAL_NAMEs, not a config string that an option could inject into.
bool AddSubjectAltName(X509* cert, const DevCertificateOptions& options) {
  Ptr<GENERAL_NAMES, GENERAL_NAMES_free> names(GENERAL_NAMES_new());
  if (names == nullptr) return false;
  auto add = [&names](int gen_type, int asn1_type, const std::string& bytes) {
    Ptr<ASN1_STRING, ASN1_STRING_free> value(ASN1_STRING_type_new(asn1_type));
    Ptr<GENERAL_NAME, GENERAL_NAME_free> name(GENERAL_NAME_new());
    if (value == nullptr || name == nullptr ||
        ASN1_STRING_set(value.get(), bytes.data(),
                        static_cast<int>(bytes.size())) != 1) {
      return false;
    }
    GENERAL_NAME_set0_value(name.get(), gen_type, value.release());
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0) return false;
    name.release();
    return true;
  };
  for (const std::string& dns : options.dns_names) {
    if (!add(GEN_DNS, V_ASN1_IA5STRING, dns)) return false;
  }
  for (const std::string& ip : options.ip_addresses) {
    if (!add(GEN_IPADD, V_ASN1_OCTET_STRING, *ParseIp(ip))) return false;
  }
  return X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0,
                           X509V3_ADD_DEFAULT) == 1;
}

// `key`'s certificate signed by `signer` as `issuer`, or a self-signed CA when
// `issuer` is null. A CA's CN includes half its serial: no two share a name.
Certificate Issue(EVP_PKEY* key, X509* issuer, EVP_PKEY* signer,
                  const DevCertificateOptions& options, time_t now) {
  const bool is_ca = issuer == nullptr;
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof(serial)) != 1) return nullptr;
  serial[0] |= 0x80;  // a full 128 bits: positive, never zero
  Ptr<BIGNUM, BN_free> bn(BN_bin2bn(serial, sizeof(serial), nullptr));
  Certificate cert(X509_new());
  if (cert == nullptr || bn == nullptr) return nullptr;
  const std::string common_name =
      is_ca ? absl::StrCat("casevault development CA ",
                           absl::BytesToHexString(
                               {reinterpret_cast<const char*>(serial), 8}))
            : "casevault server";  // clients match the subjectAltName
  X509* c = cert.get();
  if (is_ca) issuer = c;
  X509V3_CTX ctx{};  // no config database
  X509V3_set_ctx(&ctx, issuer, c, nullptr, nullptr, 0);
  int days = is_ca ? options.ca_valid_days : options.server_valid_days;
  if (X509_set_version(c, X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(c)) == nullptr ||
      X509_time_adj_ex(X509_getm_notBefore(c), 0, -5 * 60, &now) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(c), days, 0, &now) == nullptr ||
      !AddNameEntry(c, NID_organizationName, options.organization) ||
      !AddNameEntry(c, NID_commonName, common_name) ||
      X509_set_issuer_name(c, X509_get_subject_name(issuer)) != 1 ||
      X509_set_pubkey(c, key) != 1 ||
      !(is_ca ? AddExtensions(c, &ctx, kCaExtensions)
              : AddExtensions(c, &ctx, kServerExtensions) &&
                    AddSubjectAltName(c, options)) ||
      X509_sign(c, signer, EVP_sha256()) <= 0) {
    return nullptr;
  }
  return cert;
}

// `write(bio, object)` via a memory BIO, as a string; wiped there if `secret`.
template <typename WriteFn, typename T>
bool ToPem(WriteFn write, T* object, bool secret, std::string* out) {
  Ptr<BIO, BIO_free_all> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr) return false;
  bool ok = write(bio.get(), object) == 1;
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  if (ok && size > 0 && data != nullptr) out->assign(data, size);
  if (secret && size > 0 && data != nullptr) OPENSSL_cleanse(data, size);
  return ok && !out->empty();
}

bool Generate(const DevCertificateOptions& options, DevCertificates* out) {
  auto write_key = [](BIO* bio, EVP_PKEY* key) {  // PKCS#8, unencrypted
    return PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr,
                                    nullptr);
  };
  const time_t now = std::time(nullptr);
  PrivateKey server_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  PrivateKey ca_key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (server_key == nullptr || ca_key == nullptr) return false;
  Certificate ca = Issue(ca_key.get(), nullptr, ca_key.get(), options, now);
  if (ca == nullptr) return false;
  Certificate server =
      Issue(server_key.get(), ca.get(), ca_key.get(), options, now);
  ca_key.reset();  // The CA signs nothing else.
  return server != nullptr &&
         ToPem(PEM_write_bio_X509, ca.get(), false, &out->ca_cert_pem) &&
         ToPem(PEM_write_bio_X509, server.get(), false,
               &out->server_cert_pem) &&
         ToPem(write_key, server_key.get(), true, &out->server_key_pem);
}

absl::Status ErrnoError(const char* what, const std::string& path) {
  const int error = errno != 0 ? errno : EIO;  // before anything changes it
  return absl::ErrnoToStatus(error, absl::StrCat("cannot ", what, " ", path));
}

// Creates `path` (`name` in `dir_fd`) holding `data`, mode exactly `mode`
// whatever the umask, fsynced. Sets `*created` once the file exists.
absl::Status CreateFileAt(int dir_fd, const char* name, const std::string& path,
                          const std::string& data, mode_t mode, bool* created) {
  const int fd = openat(
      dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0 && errno == EEXIST) {  // also a symlink, even dangling
    return absl::AlreadyExistsError(path + " already exists");
  }
  if (fd < 0) return ErrnoError("create", path);
  *created = true;
  absl::Cleanup close_fd = [fd] { close(fd); };
  if (fchmod(fd, mode) != 0) return ErrnoError("chmod", path);
  for (size_t done = 0; done < data.size();) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("write", path);
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0) return ErrnoError("fsync", path);
  std::move(close_fd).Cancel();
  if (close(fd) != 0) return ErrnoError("close", path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<DevCertificates> GenerateDevCertificates(
    const DevCertificateOptions& options) {
  RETURN_IF_ERROR(ValidateOptions(options));
  DevCertificates certs;
  // Leave this thread's OpenSSL error queue (which gRPC's TLS reads) as found,
  // also when OpenSSL recovered from an error internally.
  ERR_set_mark();
  bool ok = Generate(options, &certs);
  ERR_pop_to_mark();
  if (!ok) return absl::InternalError("could not generate TLS certificates");
  return certs;
}

absl::Status WriteDevCertificates(const std::string& dir,
                                  const DevCertificates& certs) {
  struct Entry {
    const char* name;
    const std::string& data;
    mode_t mode;
    bool created = false;
  } entries[] = {{"ca.pem", certs.ca_cert_pem, 0644},
                 {"server.pem", certs.server_cert_pem, 0644},
                 {"server.key", certs.server_key_pem, 0600}};
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoError("open", dir);
  absl::Cleanup close_dir = [dir_fd] { close(dir_fd); };
  absl::Status status;
  for (Entry& e : entries) {
    status = CreateFileAt(dir_fd, e.name, absl::StrCat(dir, "/", e.name),
                          e.data, e.mode, &e.created);
    if (!status.ok()) break;
  }
  if (status.ok() && fsync(dir_fd) != 0) status = ErrnoError("fsync", dir);
  if (!status.ok()) {  // Leave nothing behind, ALREADY_EXISTS included.
    for (const Entry& e : entries) {
      if (e.created) unlinkat(dir_fd, e.name, 0);
    }
  }
  return status;
}

}  // namespace casevault::server
