#include "audit/checkpoint.h"

#include <string>
#include <vector>

#include "audit/merkle.h"
#include "audit/note.h"
#include "crypto/digest.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::audit {
namespace {

using ::casevault::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kSignerKey[] =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+"
    "Y7hfZx09iUvxdXHKDFz";
// Root of the eight RFC 6962 test leaves.
constexpr char kRootHex[] =
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

Checkpoint EightLeaves() {
  std::string root;
  EXPECT_TRUE(crypto::HexDecode(kRootHex, &root));
  Checkpoint checkpoint;
  checkpoint.origin = "casevault.example/school-42";
  checkpoint.size = 8;
  checkpoint.root = HashFromBytes(root).value_or(Hash{});
  return checkpoint;
}

std::unique_ptr<NoteSigner> Signer() {
  auto signer = NoteSigner::FromSignerKey(kSignerKey);
  EXPECT_TRUE(signer.ok()) << signer.status();
  return std::move(signer).value();
}

TEST(CheckpointTest, FormatsTheC2spBody) {
  ASSERT_OK_AND_ASSIGN(std::string text, FormatCheckpoint(EightLeaves()));
  EXPECT_EQ(text,
            "casevault.example/school-42\n"
            "8\n"
            "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n");
  ASSERT_OK_AND_ASSIGN(Checkpoint parsed, ParseCheckpoint(text));
  EXPECT_EQ(parsed, EightLeaves());
}

TEST(CheckpointTest, KeepsExtensionLinesInOrder) {
  Checkpoint checkpoint = EightLeaves();
  checkpoint.extensions = {"time 1700000000", "\xe2\x9c\x93 second"};
  ASSERT_OK_AND_ASSIGN(std::string text, FormatCheckpoint(checkpoint));
  EXPECT_THAT(text, HasSubstr("=\ntime 1700000000\n\xe2\x9c\x93 second\n"));
  ASSERT_OK_AND_ASSIGN(Checkpoint parsed, ParseCheckpoint(text));
  EXPECT_EQ(parsed, checkpoint);
}

TEST(CheckpointTest, ParsesTheC2spExample) {
  ASSERT_OK_AND_ASSIGN(
      Checkpoint parsed,
      ParseCheckpoint("example.com/behind-the-sofa\n20852163\n"
                      "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"));
  EXPECT_EQ(parsed.origin, "example.com/behind-the-sofa");
  EXPECT_EQ(parsed.size, 20852163u);
  EXPECT_TRUE(parsed.extensions.empty());
}

TEST(CheckpointTest, SizeLimits) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n";
  ASSERT_OK_AND_ASSIGN(Checkpoint zero, ParseCheckpoint("o\n0\n" + root));
  EXPECT_EQ(zero.size, 0u);
  ASSERT_OK_AND_ASSIGN(Checkpoint max,
                       ParseCheckpoint("o\n18446744073709551615\n" + root));
  EXPECT_EQ(max.size, ~uint64_t{0});
}

TEST(CheckpointTest, ParseIsStrict) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  const std::string short_root = crypto::Base64Encode(std::string(31, 'r'));
  const std::string long_root = crypto::Base64Encode(std::string(33, 'r'));
  for (const std::string& bad : std::vector<std::string>{
           std::string(),
           "o\n8\n" + root,          // no final newline
           "o\n8\n",                 // no root
           "\n8\n" + root + "\n",    // empty origin
           "o\n08\n" + root + "\n",  // leading zero
           "o\n00\n" + root + "\n",
           "o\n-8\n" + root + "\n",
           "o\n+8\n" + root + "\n",
           "o\n 8\n" + root + "\n",
           "o\n8 \n" + root + "\n",
           "o\n\n" + root + "\n",
           "o\n0x8\n" + root + "\n",
           "o\n18446744073709551616\n" + root + "\n",  // 2^64
           "o\n99999999999999999999\n" + root + "\n",
           "o\n8\n" + root.substr(0, root.size() - 1) + "\n",  // unpadded
           "o\n8\n" + short_root + "\n",
           "o\n8\n" + long_root + "\n",
           "o\n8\n" + root + " \n",
           "o\n8\n" + crypto::Base64UrlEncode(std::string(32, '\xff')) + "\n",
           "o\n8\n" + root + "\n\n",       // empty extension line
           "o\n8\n" + root + "\next\r\n",  // control character
           "o\r\n8\n" + root + "\n",
       }) {
    EXPECT_THAT(ParseCheckpoint(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(CheckpointTest, FormatRefusesBadLines) {
  Checkpoint checkpoint = EightLeaves();
  checkpoint.origin = "";
  EXPECT_THAT(FormatCheckpoint(checkpoint),
              StatusIs(absl::StatusCode::kInvalidArgument));
  checkpoint.origin = "two\nlines";
  EXPECT_THAT(FormatCheckpoint(checkpoint),
              StatusIs(absl::StatusCode::kInvalidArgument));
  checkpoint = EightLeaves();
  checkpoint.extensions = {""};
  EXPECT_THAT(FormatCheckpoint(checkpoint),
              StatusIs(absl::StatusCode::kInvalidArgument));
  checkpoint.extensions = {"a\nb"};
  EXPECT_THAT(FormatCheckpoint(checkpoint),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckpointTest, SignAndOpen) {
  std::unique_ptr<NoteSigner> signer = Signer();
  ASSERT_OK_AND_ASSIGN(std::string note,
                       SignCheckpoint(EightLeaves(), *signer));
  EXPECT_THAT(note, HasSubstr("\n\n\xE2\x80\x94 PeterNeumann "));
  ASSERT_OK_AND_ASSIGN(Checkpoint opened,
                       OpenCheckpoint(note, signer->verifier_key()));
  EXPECT_EQ(opened, EightLeaves());
}

TEST(CheckpointTest, TamperedOrForeignCheckpointsFail) {
  std::unique_ptr<NoteSigner> signer = Signer();
  ASSERT_OK_AND_ASSIGN(std::string note,
                       SignCheckpoint(EightLeaves(), *signer));
  // A grown size under the old signature.
  std::string grown = note;
  grown.replace(grown.find("\n8\n"), 3, "\n9\n");
  EXPECT_THAT(OpenCheckpoint(grown, signer->verifier_key()),
              StatusIs(absl::StatusCode::kDataLoss));
  // The same checkpoint signed by another key with the same name.
  auto other = NoteSigner::New(
      "PeterNeumann", crypto::SecretBytes::CopyFrom(std::string(32, 'x')));
  ASSERT_OK(other.status());
  ASSERT_OK_AND_ASSIGN(std::string foreign,
                       SignCheckpoint(EightLeaves(), **other));
  EXPECT_THAT(
      OpenCheckpoint(foreign, signer->verifier_key()),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not signed by")));
  // A validly signed note that is not a checkpoint.
  ASSERT_OK_AND_ASSIGN(std::string not_checkpoint, signer->Sign("hello\n"));
  EXPECT_THAT(OpenCheckpoint(not_checkpoint, signer->verifier_key()),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace casevault::audit
