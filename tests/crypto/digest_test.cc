#include "crypto/digest.h"

#include <string>

#include "gtest/gtest.h"

namespace casevault::crypto {
namespace {

std::string Hex(const Sha256Digest& d) {
  return HexEncode(
      std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

std::string FromHex(std::string_view hex) {
  std::string out;
  EXPECT_TRUE(HexDecode(hex, &out)) << hex;
  return out;
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Hex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, IncrementalMatchesOneShot) {
  const std::string text = "The quick brown fox jumps over the lazy dog";
  for (size_t split = 0; split <= text.size(); ++split) {
    Sha256Hasher hasher;
    hasher.Update(std::string_view(text).substr(0, split));
    const std::string rest = text.substr(split);
    hasher.Update(reinterpret_cast<const uint8_t*>(rest.data()), rest.size());
    EXPECT_EQ(hasher.Finish(), Sha256(text)) << split;
  }
  Sha256Hasher empty;
  EXPECT_EQ(Hex(empty.Finish()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(KeyedHashTest, MatchesBlake2bKeyedVectors) {
  // hashlib.blake2b(data, key=bytes(range(32)), digest_size=32).
  std::string key_bytes;
  for (int i = 0; i < 32; ++i) key_bytes.push_back(static_cast<char>(i));
  const SecretBytes key = SecretBytes::CopyFrom(key_bytes);
  EXPECT_EQ(HexEncode(KeyedHash(key, "")),
            "4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d");
  EXPECT_EQ(HexEncode(KeyedHash(key, "case-42")),
            "0a12b0f6673e22588a968fd1aab5f48a7c3a5dd974da92ad4ca974e67af555a2");
}

TEST(KeyedHashTest, DependsOnKey) {
  const SecretBytes a = SecretBytes::CopyFrom(std::string(32, 'a'));
  const SecretBytes b = SecretBytes::CopyFrom(std::string(32, 'b'));
  EXPECT_EQ(KeyedHash(a, "x").size(), 32u);
  EXPECT_EQ(KeyedHash(a, "x"), KeyedHash(a, "x"));
  EXPECT_NE(KeyedHash(a, "x"), KeyedHash(b, "x"));
  EXPECT_NE(KeyedHash(a, "x"), KeyedHash(a, "y"));
}

TEST(KeyedHashDeathTest, WrongKeySizeAborts) {
  const SecretBytes short_key = SecretBytes::CopyFrom(std::string(16, 'k'));
  EXPECT_DEATH((void)KeyedHash(short_key, "x"), "");
}

TEST(ConstantTimeEqualsTest, ComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(HexTest, RoundTripAndRejects) {
  EXPECT_EQ(HexEncode(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(FromHex("0001ABff"), std::string("\x00\x01\xab\xff", 4));
  EXPECT_EQ(FromHex(""), "");
  std::string out = "untouched";
  for (std::string_view bad : {"0", "abc", "zz", "0g", " 00", "00 ", "0x00"}) {
    EXPECT_FALSE(HexDecode(bad, &out)) << bad;
  }
  EXPECT_EQ(out, "untouched");
}

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    std::string decoded;
    ASSERT_TRUE(Base64Decode(encoded, &decoded)) << encoded;
    EXPECT_EQ(decoded, plain);
  }
}

TEST(Base64Test, UrlSafeAlphabetWithoutPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  std::string decoded;
  ASSERT_TRUE(Base64UrlDecode("-_-_", &decoded));
  EXPECT_EQ(decoded, bytes);
  ASSERT_TRUE(Base64UrlDecode("Zm8", &decoded));
  EXPECT_EQ(decoded, "fo");
}

TEST(Base64Test, RoundTripsEveryLength) {
  std::string bytes;
  for (int n = 0; n < 70; ++n) {
    std::string out;
    ASSERT_TRUE(Base64Decode(Base64Encode(bytes), &out));
    EXPECT_EQ(out, bytes);
    ASSERT_TRUE(Base64UrlDecode(Base64UrlEncode(bytes), &out));
    EXPECT_EQ(out, bytes);
    bytes.push_back(static_cast<char>(n * 37 + 200));
  }
}

TEST(Base64Test, StandardDecodingRejectsMalformedInput) {
  std::string out = "untouched";
  for (std::string_view bad :
       {"Zg", "Zg=", "Zg===", "Zh==", "Zm9=", "Zm9v=", "Z", "Zm9v YmFy",
        "Zm9v\n", " Zm9v", "-_-_", "Zm9v*", "====", "Zg==Zg=="}) {
    EXPECT_FALSE(Base64Decode(bad, &out)) << bad;
  }
  EXPECT_EQ(out, "untouched");
}

TEST(Base64Test, UrlDecodingRejectsMalformedInput) {
  std::string out = "untouched";
  for (std::string_view bad :
       {"Zg==", "Zm8=", "+/+/", "Zh", "Z", "Zm9v\n", "Zm 9v", "Zm9v*"}) {
    EXPECT_FALSE(Base64UrlDecode(bad, &out)) << bad;
  }
  EXPECT_EQ(out, "untouched");
}

}  // namespace
}  // namespace casevault::crypto
