#include "audit/note.h"

#include <string>
#include <vector>

#include "crypto/digest.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::audit {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;

// The known answer from the Go sumdb note documentation.
constexpr char kSignerKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
    "Y7hfZx09iUvxdXHKDFz";
constexpr char kVerifierKey[] =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr char kText[] =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr char kSignatureLine[] =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/"
    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnA"
    "M=\n";

const std::string kNote = std::string(kText) + "\n" + kSignatureLine;

std::unique_ptr<NoteSigner> PeterNeumann() {
  auto signer = NoteSigner::FromSignerKey(kSignerKey);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return std::move(signer).value();
}

std::unique_ptr<NoteSigner> OtherSigner(const std::string& name) {
  auto signer = NoteSigner::New(
      name, crypto::SecretBytes::CopyFrom(std::string(32, 'o')));
  EXPECT_TRUE(signer.ok()) << signer.status();
  return std::move(signer).value();
}

NoteVerifierKey PeterNeumannVerifier() {
  auto key = ParseVerifierKey(kVerifierKey);
  EXPECT_TRUE(key.ok()) << key.status();
  return key.value_or(NoteVerifierKey{});
}

TEST(NoteTest, SignsTheKnownAnswer) {
  std::unique_ptr<NoteSigner> signer = PeterNeumann();
  EXPECT_EQ(signer->name(), "PeterNeumann");
  EXPECT_EQ(signer->key_id(), 0xc74f20a3u);
  EXPECT_EQ(FormatVerifierKey(signer->verifier_key()), kVerifierKey);
  ASSERT_OK_AND_ASSIGN(std::string note, signer->Sign(kText));
  EXPECT_EQ(note, kNote);
}

TEST(NoteTest, OpensTheKnownAnswer) {
  const NoteVerifierKey key = PeterNeumannVerifier();
  EXPECT_EQ(key.name, "PeterNeumann");
  EXPECT_EQ(key.key_id, 0xc74f20a3u);
  EXPECT_EQ(key.key_id, NoteKeyId(key.name, key.public_key));
  EXPECT_EQ(FormatVerifierKey(key), kVerifierKey);
  ASSERT_OK_AND_ASSIGN(std::string text, OpenSignedNote(kNote, key));
  EXPECT_EQ(text, kText);
}

TEST(NoteTest, IgnoresSignaturesOfOtherKeys) {
  std::unique_ptr<NoteSigner> other = OtherSigner("witness.example");
  ASSERT_OK_AND_ASSIGN(std::string other_note, other->Sign(kText));
  const std::string other_line =
      other_note.substr(std::string(kText).size() + 1);
  // Before and after ours.
  for (const std::string& note :
       {std::string(kText) + "\n" + other_line + kSignatureLine,
        kNote + other_line}) {
    ASSERT_OK_AND_ASSIGN(std::string text,
                         OpenSignedNote(note, PeterNeumannVerifier()));
    EXPECT_EQ(text, kText);
  }
  ASSERT_OK_AND_ASSIGN(SignedNote parsed, ParseSignedNote(kNote + other_line));
  ASSERT_EQ(parsed.signatures.size(), 2u);
  EXPECT_EQ(parsed.signatures[1].key_name, "witness.example");
  EXPECT_EQ(parsed.signatures[1].key_id, other->key_id());
}

TEST(NoteTest, NotSignedByTheKeyIsDataLossNamingTheSigners) {
  std::unique_ptr<NoteSigner> other = OtherSigner("PeterNeumann");
  ASSERT_OK_AND_ASSIGN(std::string forged, other->Sign(kText));
  EXPECT_THAT(OpenSignedNote(forged, PeterNeumannVerifier()),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr("not signed by PeterNeumann+c74f20a3; it is "
                                 "signed by PeterNeumann+")));
}

TEST(NoteTest, TamperedTextIsDataLoss) {
  std::string note = kNote;
  note[3] = 'X';
  EXPECT_THAT(
      OpenSignedNote(note, PeterNeumannVerifier()),
      StatusIs(absl::StatusCode::kDataLoss,
               HasSubstr("invalid signature by PeterNeumann+c74f20a3")));
}

TEST(NoteTest, EveryFlippedSignatureBitFails) {
  const std::string prefix =
      std::string(kText) + "\n\xE2\x80\x94 PeterNeumann ";
  std::string raw;
  const std::string b64 =
      kNote.substr(prefix.size(), kNote.size() - prefix.size() - 1);
  ASSERT_TRUE(crypto::Base64Decode(b64, &raw));
  ASSERT_EQ(raw.size(), 68u);
  for (size_t bit = 0; bit < raw.size() * 8; ++bit) {
    std::string bad = raw;
    bad[bit / 8] = static_cast<char>(bad[bit / 8] ^ (1 << (bit % 8)));
    const std::string note = prefix + crypto::Base64Encode(bad) + "\n";
    EXPECT_FALSE(OpenSignedNote(note, PeterNeumannVerifier()).ok()) << bit;
  }
}

TEST(NoteTest, RejectsMalformedNotes) {
  const std::string dash = "\xE2\x80\x94 ";
  const std::string sig = std::string(kSignatureLine);
  const std::string b64 = sig.substr(dash.size() + 13);  // after the name
  std::string many_signatures = std::string(kText) + "\n";
  for (int i = 0; i < 101; ++i) many_signatures += sig;
  for (const std::string& bad : std::vector<std::string>{
           std::string(kText) + sig,                         // no blank line
           std::string(kText) + "\n",                        // no signatures
           kNote.substr(0, kNote.size() - 1),                // no final newline
           std::string(kText) + "\n-- PeterNeumann " + b64,  // not an em dash
           std::string(kText) + "\n\xE2\x80\x94PeterNeumann " + b64,
           std::string(kText) + "\n" + dash + "PeterNeumann" + b64,  // no space
           std::string(kText) + "\n" + dash + "Peter+Neumann " + b64,
           std::string(kText) + "\n" + dash + " " + b64,  // empty name
           std::string(kText) + "\n" + dash + "PeterNeumann \n",
           std::string(kText) + "\n" + dash + "PeterNeumann AAAAAA==\n",
           std::string(kText) + "\n" + dash + "PeterNeumann %%%%\n",
           std::string(kText) + "\n" + sig + "\n",  // blank line after
           "If you\r think\n\n" + sig,              // carriage return
           "If you\t think\n\n" + sig,              // tab
           "bad \xff utf-8\n\n" + sig,
           many_signatures,
       }) {
    EXPECT_THAT(OpenSignedNote(bad, PeterNeumannVerifier()),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(NoteTest, SignRefusesBadText) {
  std::unique_ptr<NoteSigner> signer = PeterNeumann();
  for (const std::string& bad :
       {std::string(), std::string("no newline"), std::string("tab\there\n"),
        std::string("nul\0here\n", 9), std::string("\xc3\x28\n")}) {
    EXPECT_THAT(signer->Sign(bad), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
  ASSERT_OK_AND_ASSIGN(std::string unicode,
                       signer->Sign("caf\xc3\xa9 \xe2\x9c\x93\n"));
  EXPECT_OK(OpenSignedNote(unicode, signer->verifier_key()).status());
}

TEST(NoteKeyTest, KeyNames) {
  EXPECT_TRUE(IsValidKeyName("casevault.example/school-42"));
  EXPECT_TRUE(IsValidKeyName("caf\xc3\xa9"));
  EXPECT_FALSE(IsValidKeyName(""));
  EXPECT_FALSE(IsValidKeyName("a+b"));
  EXPECT_FALSE(IsValidKeyName("a b"));
  EXPECT_FALSE(IsValidKeyName("a\tb"));
  EXPECT_FALSE(
      IsValidKeyName("a\xc2\xa0"
                     "b"));  // NO-BREAK SPACE
  EXPECT_FALSE(
      IsValidKeyName("a\xe3\x80\x80"
                     "b"));  // IDEOGRAPHIC SPACE
  EXPECT_FALSE(IsValidKeyName("a\xff"));
}

TEST(NoteKeyTest, RejectsMalformedVerifierKeys) {
  const std::string b64 = "ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
  // 0x02 || the same key, and the key without its type byte.
  std::string typed;
  ASSERT_TRUE(crypto::Base64Decode(b64, &typed));
  const std::string wrong_type = crypto::Base64Encode("\x02" + typed.substr(1));
  const std::string untyped = crypto::Base64Encode(typed.substr(1));
  for (const std::string& bad : std::vector<std::string>{
           std::string(""),
           "PeterNeumann",
           "PeterNeumann+c74f20a3",
           "PeterNeumann+c74f20a4+" + b64,  // wrong id
           "Peter+c74f20a3+" + b64,         // id of another name
           "PeterNeumann+c74f20a+" + b64,   // 7 hex digits
           "PeterNeumann+c74f20a3f+" + b64,
           "PeterNeumann+c74f20g3+" + b64,
           "Peter Neumann+c74f20a3+" + b64,
           "+c74f20a3+" + b64,
           "PeterNeumann+c74f20a3+" + b64.substr(1),
           "PeterNeumann+c74f20a3+" + wrong_type,
           "PeterNeumann+c74f20a3+" + untyped,
           "PeterNeumann+c74f20a3+" + b64 + "=",
       }) {
    EXPECT_THAT(ParseVerifierKey(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
  EXPECT_OK(ParseVerifierKey("PeterNeumann+C74F20A3+" + b64).status());
}

TEST(NoteKeyTest, RejectsMalformedSignerKeys) {
  const std::string good = kSignerKey;
  for (const std::string& bad : std::vector<std::string>{
           good.substr(12),  // no PRIVATE+KEY+
           "PRIVATE+KEY+PeterNeumann+c74f20a4+" + good.substr(34),  // wrong id
           "PRIVATE+KEY+Other+c74f20a3+" + good.substr(34),
           good.substr(0, good.size() - 4),
           "private+key+" + good.substr(12),
       }) {
    EXPECT_THAT(NoteSigner::FromSignerKey(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
  EXPECT_THAT(NoteSigner::New("bad name", crypto::SecretBytes::CopyFrom(
                                              std::string(32, 's'))),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(NoteSigner::New(
                  "name", crypto::SecretBytes::CopyFrom(std::string(31, 's'))),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(NoteKeyTest, NewSignerRoundTripsThroughItsVerifierKey) {
  std::unique_ptr<NoteSigner> signer = OtherSigner("casevault.example/log");
  const std::string published = FormatVerifierKey(signer->verifier_key());
  ASSERT_OK_AND_ASSIGN(NoteVerifierKey key, ParseVerifierKey(published));
  ASSERT_OK_AND_ASSIGN(std::string note, signer->Sign("hello\n"));
  ASSERT_OK_AND_ASSIGN(std::string text, OpenSignedNote(note, key));
  EXPECT_EQ(text, "hello\n");
  EXPECT_THAT(OpenSignedNote(note, PeterNeumannVerifier()),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace casevault::audit
