#include "crypto/aead.h"

#include <cstring>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::SeededRandom;
using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr uint64_t kSeed = 0x5eed'0001;

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(
        std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string FlipBit(std::string s, size_t bit) {
  s[bit / 8] = static_cast<char>(s[bit / 8] ^ (1 << (bit % 8)));
  return s;
}

// Hands out fixed bytes, for the known-answer test's nonce.
class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(std::string bytes) : bytes_(std::move(bytes)) {}
  void Fill(uint8_t* out, size_t size) override {
    ASSERT_EQ(size, bytes_.size());
    std::memcpy(out, bytes_.data(), size);
  }

 private:
  std::string bytes_;
};

class AeadTest : public ::testing::Test {
 protected:
  AeadTest() : random_(kSeed) {
    auto aead = Aead::New(SecretBytes::Random(kAeadKeySize, random_), random_);
    EXPECT_TRUE(aead.ok()) << aead.status();
    aead_ = *std::move(aead);
  }
  SeededRandom random_;
  std::unique_ptr<Aead> aead_;
};

TEST(AeadNewTest, RefusesKeysThatAreNot32Bytes) {
  SeededRandom random(kSeed);
  for (size_t size : {0, 16, 31, 33, 64}) {
    EXPECT_THAT(Aead::New(SecretBytes::Random(size, random), random),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << size;
  }
}

// draft-irtf-cfrg-xchacha-03, A.3.1, wrapped in our envelope.
TEST(AeadNewTest, MatchesXChaCha20Poly1305KnownAnswer) {
  std::string key, nonce;
  for (int i = 0; i < 32; ++i) key.push_back(static_cast<char>(0x80 + i));
  for (int i = 0; i < 24; ++i) nonce.push_back(static_cast<char>(0x40 + i));
  const std::string ad = Unhex("50515253c0c1c2c3c4c5c6c7");
  const std::string plaintext =
      "Ladies and Gentlemen of the class of '99: If I could offer you only "
      "one tip for the future, sunscreen would be it.";
  const std::string sealed = Unhex(
      "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
      "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
      "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
      "21f9664c97637da9768812f615c68b13b52e"
      "c0875924c1c7987947deafd8780acf49");
  FixedRandom random(nonce);
  ASSERT_OK_AND_ASSIGN(auto aead,
                       Aead::New(SecretBytes::CopyFrom(key), random));
  const std::string envelope = aead->Seal(plaintext, ad);
  EXPECT_EQ(envelope, std::string("\x01") + nonce + sealed);
  ASSERT_OK_AND_ASSIGN(std::string opened, aead->Open(envelope, ad));
  EXPECT_EQ(opened, plaintext);
}

TEST_F(AeadTest, RoundTripsAndHasTheDocumentedLayout) {
  for (size_t size : {0, 1, 15, 16, 17, 1000}) {
    const std::string plaintext = random_.Bytes(size);
    const std::string envelope = aead_->Seal(plaintext, "ad");
    ASSERT_EQ(envelope.size(), kEnvelopeOverhead + size);
    EXPECT_EQ(static_cast<uint8_t>(envelope[0]), kEnvelopeVersion);
    ASSERT_OK_AND_ASSIGN(std::string opened, aead_->Open(envelope, "ad"));
    EXPECT_EQ(opened, plaintext);
    ASSERT_OK_AND_ASSIGN(SecretBytes secret, aead_->OpenSecret(envelope, "ad"));
    EXPECT_TRUE(secret.Equals(SecretBytes::CopyFrom(plaintext)));
  }
}

TEST_F(AeadTest, EmptyAssociatedDataIsAllowedButBinding) {
  const std::string envelope = aead_->Seal("secret", "");
  EXPECT_OK(aead_->Open(envelope, ""));
  EXPECT_THAT(aead_->Open(envelope, std::string(1, '\0')),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(AeadTest, FreshNonceEverySeal) {
  const std::string a = aead_->Seal("same", "ad");
  const std::string b = aead_->Seal("same", "ad");
  EXPECT_NE(a.substr(1, 24), b.substr(1, 24));
  EXPECT_NE(a, b);
}

TEST_F(AeadTest, EveryFlippedEnvelopeBitIsDataLoss) {
  const std::string envelope = aead_->Seal("attack at dawn, room 12", "case-1");
  for (size_t bit = 0; bit < envelope.size() * 8; ++bit) {
    const std::string flipped = FlipBit(envelope, bit);
    ASSERT_THAT(aead_->Open(flipped, "case-1"),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
    ASSERT_THAT(aead_->OpenSecret(flipped, "case-1"),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
  }
}

TEST_F(AeadTest, EveryFlippedAssociatedDataBitIsDataLoss) {
  const std::string ad = "casevault/field/v1";
  const std::string envelope = aead_->Seal("narrative", ad);
  for (size_t bit = 0; bit < ad.size() * 8; ++bit) {
    ASSERT_THAT(aead_->Open(envelope, FlipBit(ad, bit)),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
  }
  EXPECT_THAT(aead_->Open(envelope, ad + "x"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(aead_->Open(envelope, ad.substr(1)),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(AeadTest, TruncatedOrExtendedEnvelopeIsDataLoss) {
  const std::string envelope = aead_->Seal("abc", "ad");
  for (size_t size = 0; size < envelope.size(); ++size) {
    ASSERT_THAT(aead_->Open(envelope.substr(0, size), "ad"),
                StatusIs(absl::StatusCode::kDataLoss))
        << "size " << size;
    ASSERT_THAT(aead_->OpenSecret(envelope.substr(0, size), "ad"),
                StatusIs(absl::StatusCode::kDataLoss))
        << "size " << size;
  }
  EXPECT_THAT(aead_->Open(envelope + '\0', "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(AeadTest, UnknownVersionIsDataLoss) {
  const std::string envelope = aead_->Seal("abc", "ad");
  for (int version : {0x00, 0x02, 0x80, 0xff}) {
    std::string other = envelope;
    other[0] = static_cast<char>(version);
    EXPECT_THAT(aead_->Open(other, "ad"), StatusIs(absl::StatusCode::kDataLoss))
        << version;
  }
}

TEST_F(AeadTest, WrongKeyIsDataLoss) {
  ASSERT_OK_AND_ASSIGN(
      auto other,
      Aead::New(SecretBytes::Random(kAeadKeySize, random_), random_));
  const std::string envelope = aead_->Seal("abc", "ad");
  EXPECT_THAT(other->Open(envelope, "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(other->OpenSecret(envelope, "ad"),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(AeadTest, ErrorMessagesHoldNoData) {
  const std::string plaintext = "the name of the child";
  const std::string ad = "case-0042";
  const std::string envelope = aead_->Seal(plaintext, ad);
  const absl::Status status = aead_->Open(FlipBit(envelope, 100), ad).status();
  ASSERT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(std::string(status.message()),
              Not(HasSubstr(plaintext.substr(0, 8))));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(ad)));
}

}  // namespace
}  // namespace casevault::crypto
