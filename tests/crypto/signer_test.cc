#include "crypto/signer.h"

#include <string>

#include "crypto/digest.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::StatusIs;

std::string FromHex(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(HexDecode(hex, &out)) << hex;
  return out;
}

// RFC 8032 §7.1, TEST 1 (empty message).
constexpr char kSeedHex[] =
    "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
constexpr char kPublicKeyHex[] =
    "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
constexpr char kSignatureHex[] =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb88215"
    "90a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

std::unique_ptr<Signer> Rfc8032Signer() {
  auto signer = Signer::FromSeed(SecretBytes::CopyFrom(FromHex(kSeedHex)));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return std::move(signer).value();
}

TEST(SignerTest, Rfc8032TestVector1) {
  std::unique_ptr<Signer> signer = Rfc8032Signer();
  EXPECT_EQ(HexEncode(signer->public_key()), kPublicKeyHex);
  EXPECT_EQ(HexEncode(signer->Sign("")), kSignatureHex);
  EXPECT_TRUE(
      VerifyEd25519(FromHex(kPublicKeyHex), "", FromHex(kSignatureHex)));
}

TEST(SignerTest, SignaturesVerifyAndAreDeterministic) {
  std::unique_ptr<Signer> signer = Rfc8032Signer();
  const std::string sig = signer->Sign("checkpoint body\n");
  EXPECT_EQ(sig.size(), kEd25519SignatureSize);
  EXPECT_EQ(sig, signer->Sign("checkpoint body\n"));
  EXPECT_TRUE(VerifyEd25519(signer->public_key(), "checkpoint body\n", sig));
  EXPECT_FALSE(VerifyEd25519(signer->public_key(), "checkpoint body!\n", sig));
}

TEST(SignerTest, EveryFlippedSignatureBitFails) {
  std::unique_ptr<Signer> signer = Rfc8032Signer();
  const std::string sig = signer->Sign("message");
  for (size_t bit = 0; bit < sig.size() * 8; ++bit) {
    std::string bad = sig;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    EXPECT_FALSE(VerifyEd25519(signer->public_key(), "message", bad)) << bit;
  }
}

TEST(SignerTest, WrongKeyOrSizesFail) {
  std::unique_ptr<Signer> signer = Rfc8032Signer();
  auto other = Signer::FromSeed(SecretBytes::CopyFrom(std::string(32, '\x07')));
  ASSERT_TRUE(other.ok());
  const std::string sig = signer->Sign("m");
  EXPECT_FALSE(VerifyEd25519((*other)->public_key(), "m", sig));
  EXPECT_FALSE(VerifyEd25519(signer->public_key().substr(1), "m", sig));
  EXPECT_FALSE(VerifyEd25519(signer->public_key(), "m", sig.substr(1)));
  EXPECT_FALSE(VerifyEd25519(signer->public_key(), "m", sig + "x"));
  EXPECT_FALSE(VerifyEd25519("", "m", ""));
}

TEST(SignerTest, RejectsSeedOfWrongSize) {
  EXPECT_THAT(Signer::FromSeed(SecretBytes::CopyFrom(std::string(31, 's'))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Signer::FromSeed(SecretBytes()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace casevault::crypto
