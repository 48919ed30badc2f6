#include "server/dev_certificates.h"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"
#include "support/temp_dir.h"

namespace casevault::server {
namespace {

using ::casevault::testing::ReadFileBytes;
using ::casevault::testing::StatusIs;
using ::casevault::testing::TempDir;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

template <typename T, void (*kFree)(T*)>
using Ptr = std::unique_ptr<T, std::integral_constant<void (*)(T*), kFree>>;
using Cert = Ptr<X509, X509_free>;

Cert ParseCert(const std::string& pem) {
  Ptr<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

Ptr<EVP_PKEY, EVP_PKEY_free> ParseKey(const std::string& pem) {
  Ptr<BIO, BIO_free_all> bio(BIO_new_mem_buf(pem.data(), pem.size()));
  return Ptr<EVP_PKEY, EVP_PKEY_free>(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

// X509_V_OK when `leaf` chains to `ca` as a TLS server certificate for `host`.
int Verify(X509* ca, X509* leaf, const char* host) {
  Ptr<X509_STORE, X509_STORE_free> store(X509_STORE_new());
  Ptr<X509_STORE_CTX, X509_STORE_CTX_free> ctx(X509_STORE_CTX_new());
  EXPECT_EQ(X509_STORE_add_cert(store.get(), ca), 1);
  EXPECT_EQ(X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr), 1);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  EXPECT_EQ(X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER), 1);
  EXPECT_EQ(X509_VERIFY_PARAM_set1_host(param, host, 0), 1);
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

std::vector<std::string> SubjectAltNames(X509* cert) {
  std::vector<std::string> out;
  Ptr<GENERAL_NAMES, GENERAL_NAMES_free> names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)));
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    const ASN1_STRING* s =
        name->type == GEN_DNS ? name->d.dNSName : name->d.iPAddress;
    std::string bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                      ASN1_STRING_length(s));
    if (name->type == GEN_DNS) {
      out.push_back("DNS:" + bytes);
    } else if (name->type == GEN_IPADD) {
      char text[INET6_ADDRSTRLEN] = {};
      inet_ntop(bytes.size() == 4 ? AF_INET : AF_INET6, bytes.data(), text,
                sizeof(text));
      out.push_back(std::string("IP:") + text);
    }
  }
  return out;
}

// CA flag and pathlen of basicConstraints, which must be critical.
void ExpectBasicConstraints(X509* cert, bool ca) {
  int critical = -1;
  Ptr<BASIC_CONSTRAINTS, BASIC_CONSTRAINTS_free> bc(
      static_cast<BASIC_CONSTRAINTS*>(
          X509_get_ext_d2i(cert, NID_basic_constraints, &critical, nullptr)));
  ASSERT_NE(bc, nullptr);
  EXPECT_EQ(critical, 1);
  EXPECT_EQ(bc->ca != 0, ca);
}

TEST(DevCertificatesTest, ServerCertificateChainsToCa) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  Cert ca = ParseCert(certs.ca_cert_pem);
  Cert server = ParseCert(certs.server_cert_pem);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(Verify(ca.get(), server.get(), "localhost"), X509_V_OK);
  EXPECT_EQ(Verify(ca.get(), server.get(), "example.com"),
            X509_V_ERR_HOSTNAME_MISMATCH);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "::1", 0), 1);

  // Another generation's CA does not vouch for this server.
  ASSERT_OK_AND_ASSIGN(DevCertificates other, GenerateDevCertificates({}));
  Cert other_ca = ParseCert(other.ca_cert_pem);
  EXPECT_NE(Verify(other_ca.get(), server.get(), "localhost"), X509_V_OK);
  EXPECT_NE(X509_NAME_cmp(X509_get_subject_name(ca.get()),
                          X509_get_subject_name(other_ca.get())),
            0);
}

TEST(DevCertificatesTest, ExtensionsAndAlgorithms) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  Cert ca = ParseCert(certs.ca_cert_pem);
  Cert server = ParseCert(certs.server_cert_pem);
  ASSERT_NE(ca, nullptr);
  ASSERT_NE(server, nullptr);

  ExpectBasicConstraints(ca.get(), true);
  ExpectBasicConstraints(server.get(), false);
  EXPECT_EQ(X509_check_ca(ca.get()), 1);
  EXPECT_EQ(X509_check_ca(server.get()), 0);
  EXPECT_EQ(X509_get_pathlen(ca.get()), 0);
  EXPECT_EQ(X509_get_key_usage(ca.get()), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
  EXPECT_EQ(X509_get_key_usage(server.get()), KU_DIGITAL_SIGNATURE);
  EXPECT_EQ(X509_get_extended_key_usage(server.get()), XKU_SSL_SERVER);
  ASSERT_NE(X509_get0_subject_key_id(ca.get()), nullptr);
  ASSERT_NE(X509_get0_authority_key_id(server.get()), nullptr);
  EXPECT_EQ(ASN1_OCTET_STRING_cmp(X509_get0_subject_key_id(ca.get()),
                                  X509_get0_authority_key_id(server.get())),
            0);
  EXPECT_THAT(SubjectAltNames(server.get()),
              UnorderedElementsAre("DNS:localhost", "IP:127.0.0.1", "IP:::1"));

  for (X509* cert : {ca.get(), server.get()}) {
    EXPECT_EQ(X509_get_version(cert), X509_VERSION_3);
    EXPECT_EQ(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
    EXPECT_TRUE(EVP_PKEY_is_a(X509_get0_pubkey(cert), "EC"));
    char group[32] = {};
    ASSERT_EQ(EVP_PKEY_get_group_name(X509_get0_pubkey(cert), group,
                                      sizeof(group), nullptr),
              1);
    EXPECT_STREQ(group, "prime256v1");
    // notBefore a little in the past, so a slow client clock still accepts.
    EXPECT_LT(X509_cmp_time(X509_get0_notBefore(cert), nullptr), 0);
    int days = 0, seconds = 0;
    ASSERT_EQ(ASN1_TIME_diff(&days, &seconds, X509_get0_notBefore(cert),
                             X509_get0_notAfter(cert)),
              1);
    EXPECT_EQ(days, cert == ca.get() ? 3650 : 825);
    EXPECT_EQ(seconds, 300);
    Ptr<BIGNUM, BN_free> serial(
        ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr));
    EXPECT_EQ(BN_num_bits(serial.get()), 128);
  }
}

TEST(DevCertificatesTest, KeyMatchesServerCertificateOnly) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  Cert ca = ParseCert(certs.ca_cert_pem);
  Cert server = ParseCert(certs.server_cert_pem);
  auto key = ParseKey(certs.server_key_pem);
  ASSERT_NE(key, nullptr);
  EXPECT_THAT(certs.server_key_pem, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  EXPECT_EQ(X509_check_private_key(server.get(), key.get()), 1);
  EXPECT_EQ(X509_check_private_key(ca.get(), key.get()), 0);
  ERR_clear_error();
}

TEST(DevCertificatesTest, SerialsDifferAcrossGenerations) {
  ASSERT_OK_AND_ASSIGN(DevCertificates a, GenerateDevCertificates({}));
  ASSERT_OK_AND_ASSIGN(DevCertificates b, GenerateDevCertificates({}));
  Cert certs[] = {ParseCert(a.ca_cert_pem), ParseCert(a.server_cert_pem),
                  ParseCert(b.ca_cert_pem), ParseCert(b.server_cert_pem)};
  for (int i = 0; i < 4; ++i) {
    for (int j = i + 1; j < 4; ++j) {
      EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(certs[i].get()),
                                 X509_get0_serialNumber(certs[j].get())),
                0);
    }
  }
  EXPECT_NE(a.server_key_pem, b.server_key_pem);
}

TEST(DevCertificatesTest, CustomNames) {
  DevCertificateOptions options;
  options.dns_names = {"casevault.internal", "*.casevault.internal"};
  options.ip_addresses = {"10.1.2.3"};
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates(options));
  Cert ca = ParseCert(certs.ca_cert_pem);
  Cert server = ParseCert(certs.server_cert_pem);
  EXPECT_THAT(SubjectAltNames(server.get()),
              UnorderedElementsAre("DNS:casevault.internal",
                                   "DNS:*.casevault.internal", "IP:10.1.2.3"));
  EXPECT_EQ(Verify(ca.get(), server.get(), "api.casevault.internal"),
            X509_V_OK);
  EXPECT_EQ(X509_check_ip_asc(server.get(), "127.0.0.1", 0), 0);
}

TEST(DevCertificatesTest, RejectsBadOptions) {
  auto with = [](auto mutate) {
    DevCertificateOptions options;
    mutate(options);
    return GenerateDevCertificates(options).status();
  };
  using O = DevCertificateOptions;
  for (absl::Status status : {
           with([](O& o) { o.dns_names = {"localhost,IP:10.0.0.1"}; }),
           with([](O& o) { o.dns_names = {"-bad.example"}; }),
           with([](O& o) { o.dns_names = {""}; }),
           with([](O& o) { o.ip_addresses = {"1.2.3.4.5"}; }),
           with([](O& o) { o.ip_addresses = {"fe80::1%eth0"}; }),
           with([](O& o) { o.dns_names.clear(), o.ip_addresses.clear(); }),
           with([](O& o) { o.server_valid_days = 0; }),
           with([](O& o) { o.server_valid_days = o.ca_valid_days + 1; }),
           with([](O& o) { o.organization = ""; }),
           with([](O& o) { o.organization = std::string(65, 'x'); }),
           with([](O& o) { o.organization = "bad\xff"; }),
       }) {
    EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  }
  // Errors name the field, never the value.
  EXPECT_THAT(
      with([](O& o) {
        o.ip_addresses = {"1.2.3", "10.9.8.7x"};
      }),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("ip_addresses[0]"), Not(HasSubstr("1.2.3")))));
}

TEST(DevCertificatesTest, LeavesOpenSslErrorQueueAsFound) {
  ERR_clear_error();
  ERR_raise(ERR_LIB_USER, ERR_R_PASSED_NULL_PARAMETER);
  const unsigned long earlier = ERR_peek_last_error();
  ASSERT_OK(GenerateDevCertificates({}).status());
  EXPECT_EQ(ERR_peek_last_error(), earlier);
  EXPECT_EQ(ERR_get_error(), earlier);
  EXPECT_EQ(ERR_peek_error(), 0u);
}

TEST(DevCertificatesTest, WritesFilesWithModes) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  TempDir dir;
  mode_t old_umask = umask(077);  // ca.pem and server.pem are still 0644
  ASSERT_OK(WriteDevCertificates(dir.path(), certs));
  umask(old_umask);
  EXPECT_EQ(ReadFileBytes(dir.File("ca.pem")), certs.ca_cert_pem);
  EXPECT_EQ(ReadFileBytes(dir.File("server.pem")), certs.server_cert_pem);
  EXPECT_EQ(ReadFileBytes(dir.File("server.key")), certs.server_key_pem);
  struct stat st;
  for (auto [name, mode] :
       {std::pair{"ca.pem", 0644}, std::pair{"server.pem", 0644},
        std::pair{"server.key", 0600}}) {
    ASSERT_EQ(lstat(dir.File(name).c_str(), &st), 0) << name;
    EXPECT_TRUE(S_ISREG(st.st_mode)) << name;
    EXPECT_EQ(st.st_mode & 07777, static_cast<mode_t>(mode)) << name;
  }

  ASSERT_OK_AND_ASSIGN(DevCertificates other, GenerateDevCertificates({}));
  EXPECT_THAT(WriteDevCertificates(dir.path(), other),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ReadFileBytes(dir.File("server.key")), certs.server_key_pem);
}

TEST(DevCertificatesTest, AnyExistingFileBlocksTheWholeWrite) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  TempDir dir;
  // A dangling symlink where the key goes must not be followed.
  ASSERT_EQ(
      symlink(dir.File("elsewhere").c_str(), dir.File("server.key").c_str()),
      0);
  EXPECT_THAT(
      WriteDevCertificates(dir.path(), certs),
      StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("server.key")));
  struct stat st;
  EXPECT_NE(lstat(dir.File("elsewhere").c_str(), &st), 0);
  EXPECT_NE(lstat(dir.File("ca.pem").c_str(), &st), 0);
  EXPECT_NE(lstat(dir.File("server.pem").c_str(), &st), 0);
}

TEST(DevCertificatesTest, MissingDirectory) {
  ASSERT_OK_AND_ASSIGN(DevCertificates certs, GenerateDevCertificates({}));
  TempDir dir;
  EXPECT_THAT(WriteDevCertificates(dir.File("absent"), certs),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace casevault::server
