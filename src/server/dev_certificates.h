// The development TLS material `casevaultd init` writes so that the server
// speaks TLS from its first start: a throwaway CA and one server certificate
// it signed. The CA's private key never leaves GenerateDevCertificates(), so
// the CA cannot sign anything else; renewing means generating a new CA.
#ifndef CASEVAULT_SERVER_DEV_CERTIFICATES_H_
#define CASEVAULT_SERVER_DEV_CERTIFICATES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casevault::server {

struct DevCertificateOptions {
  // subjectAltName entries of the server certificate. DNS names are LDH
  // labels (a leftmost "*" label is allowed); IP addresses are IPv4 dotted
  // quads or IPv6 text without a zone. At least one entry is required.
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  // 1 <= server_valid_days <= ca_valid_days <= 36500.
  int ca_valid_days = 3650;
  int server_valid_days = 825;
  // Subject O= of both certificates: printable UTF-8, 1 to 64 characters.
  std::string organization = "casevault development";
};

struct DevCertificates {
  std::string ca_cert_pem;
  std::string server_cert_pem;
  // PKCS#8 PEM, unencrypted. Secret: callers wipe it (OPENSSL_cleanse) when
  // done and never log it.
  std::string server_key_pem;
};

// Generates a fresh ECDSA P-256 CA (basicConstraints critical CA:TRUE with
// pathlen:0, keyUsage critical keyCertSign+cRLSign, subject key id) and a
// server certificate signed by it (basicConstraints critical CA:FALSE,
// keyUsage critical digitalSignature, extendedKeyUsage serverAuth,
// subjectAltName from `options`, subject and authority key ids). Both are v3,
// ECDSA-with-SHA-256 signed, with random 128-bit serials (top bit set) and
// notBefore five minutes in the past to tolerate clock skew. Subjects are
// O=organization plus CN "casevault development CA <16 hex digits>" (distinct
// per CA) or "casevault server" (clients match the subjectAltName). The CA
// private key is freed, never output, once it has signed the server cert.
//
// INVALID_ARGUMENT (naming the field, not its value) when `options` are
// unusable; INTERNAL with a fixed message on any OpenSSL failure. Either way
// the thread's OpenSSL error queue is left as it was found.
absl::StatusOr<DevCertificates> GenerateDevCertificates(
    const DevCertificateOptions& options);

// Creates ca.pem (0644), server.pem (0644) and server.key (0600) in the
// existing directory `dir`, each with O_CREAT|O_EXCL|O_NOFOLLOW and then
// fchmod to exactly that mode whatever the umask, and fsyncs the files and
// the directory. ALREADY_EXISTS if any of the three names exists, even as a
// dangling symlink. On any failure the files this call created are removed,
// so `dir` is left as it was found.
absl::Status WriteDevCertificates(const std::string& dir,
                                  const DevCertificates& certs);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_DEV_CERTIFICATES_H_
