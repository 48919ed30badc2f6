#include "crypto/case_key.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/seeded_random.h"
#include "support/status_matchers.h"

namespace casevault::crypto {
namespace {

using ::casevault::testing::SeededRandom;
using ::casevault::testing::StatusIs;

constexpr uint64_t kSeed = 0x5eed'0004;

std::string FlipBit(std::string s, size_t bit) {
  s[bit / 8] = static_cast<char>(s[bit / 8] ^ (1 << (bit % 8)));
  return s;
}

// The associated data exactly as docs/formats.md writes it.
std::string DekAd(const std::string& case_id) {
  return std::string("casevault/dek/v1\0", 17) + case_id;
}
std::string FieldAd(const std::string& case_id, const std::string& field) {
  return std::string("casevault/field/v1\0", 19) + case_id + '\0' + field;
}

class CaseKeyTest : public ::testing::Test {
 protected:
  CaseKeyTest()
      : random_(kSeed),
        keyring_(Keyring::Generate(random_)),
        case_keyring_(keyring_, random_) {}
  SeededRandom random_;
  Keyring keyring_;
  CaseKeyring case_keyring_;
};

TEST_F(CaseKeyTest, SealsAndOpensFieldsOfItsCase) {
  CaseKeyring::NewKey created = case_keyring_.CreateCaseKey("case-A");
  EXPECT_EQ(created.wrapped.kek_version, 1u);
  EXPECT_EQ(created.key->case_id(), "case-A");
  for (const std::string plaintext : {"", "x", "a longer narrative"}) {
    const std::string envelope = created.key->SealField("narrative", plaintext);
    ASSERT_OK_AND_ASSIGN(std::string opened,
                         created.key->OpenField("narrative", envelope));
    EXPECT_EQ(opened, plaintext);
  }
}

TEST_F(CaseKeyTest, ReopenedKeyOpensWhatTheCreatedKeySealed) {
  CaseKeyring::NewKey created = case_keyring_.CreateCaseKey("case-A");
  const std::string envelope = created.key->SealField("notes", "met family");
  ASSERT_OK_AND_ASSIGN(auto reopened,
                       case_keyring_.OpenCaseKey("case-A", created.wrapped));
  EXPECT_EQ(reopened->case_id(), "case-A");
  ASSERT_OK_AND_ASSIGN(std::string opened,
                       reopened->OpenField("notes", envelope));
  EXPECT_EQ(opened, "met family");
  // A CaseKeyring built from the same keyring later (after a restart).
  CaseKeyring restarted(keyring_, random_);
  ASSERT_OK_AND_ASSIGN(auto again,
                       restarted.OpenCaseKey("case-A", created.wrapped));
  EXPECT_OK(again->OpenField("notes", envelope));
}

TEST_F(CaseKeyTest, FieldDoesNotOpenAsAnotherFieldOrCase) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  CaseKeyring::NewKey b = case_keyring_.CreateCaseKey("case-B");
  const std::string envelope = a.key->SealField("people", "names");
  EXPECT_THAT(a.key->OpenField("notes", envelope),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(a.key->OpenField("people2", envelope),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(a.key->OpenField("", envelope),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(b.key->OpenField("people", envelope),
              StatusIs(absl::StatusCode::kDataLoss));
}

// Even under the same DEK, the case id in the associated data binds a field
// to its case: checked with the documented bytes and the raw DEK.
TEST_F(CaseKeyTest, AssociatedDataIsExactlyAsDocumented) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  ASSERT_OK_AND_ASSIGN(auto kek,
                       Aead::New(keyring_.keks.at(1).Clone(), random_));
  ASSERT_OK_AND_ASSIGN(SecretBytes dek,
                       kek->OpenSecret(a.wrapped.envelope, DekAd("case-A")));
  ASSERT_EQ(dek.size(), 32u);
  EXPECT_THAT(kek->OpenSecret(a.wrapped.envelope, DekAd("case-B")),
              StatusIs(absl::StatusCode::kDataLoss));

  ASSERT_OK_AND_ASSIGN(auto field_aead, Aead::New(std::move(dek), random_));
  const std::string envelope = a.key->SealField("people", "names");
  ASSERT_OK_AND_ASSIGN(std::string opened,
                       field_aead->Open(envelope, FieldAd("case-A", "people")));
  EXPECT_EQ(opened, "names");
  EXPECT_THAT(field_aead->Open(envelope, FieldAd("case-B", "people")),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(field_aead->Open(envelope, FieldAd("case-A", "notes")),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(CaseKeyTest, DekWrappedForOneCaseDoesNotOpenForAnother) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  EXPECT_THAT(case_keyring_.OpenCaseKey("case-B", a.wrapped),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(case_keyring_.OpenCaseKey("case-A2", a.wrapped),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(case_keyring_.OpenCaseKey("", a.wrapped),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(CaseKeyTest, EveryFlippedBitOfTheWrappedDekIsDataLoss) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  for (size_t bit = 0; bit < a.wrapped.envelope.size() * 8; ++bit) {
    WrappedDek flipped{a.wrapped.kek_version, FlipBit(a.wrapped.envelope, bit)};
    ASSERT_THAT(case_keyring_.OpenCaseKey("case-A", flipped),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
  }
  WrappedDek truncated{1, a.wrapped.envelope.substr(0, 40)};
  EXPECT_THAT(case_keyring_.OpenCaseKey("case-A", truncated),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(CaseKeyTest, EveryFlippedBitOfAFieldIsDataLoss) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  const std::string envelope = a.key->SealField("outcome", "referred");
  for (size_t bit = 0; bit < envelope.size() * 8; ++bit) {
    ASSERT_THAT(a.key->OpenField("outcome", FlipBit(envelope, bit)),
                StatusIs(absl::StatusCode::kDataLoss))
        << "bit " << bit;
  }
}

TEST_F(CaseKeyTest, UnknownKekVersionIsFailedPrecondition) {
  CaseKeyring::NewKey a = case_keyring_.CreateCaseKey("case-A");
  for (uint32_t version : {0u, 2u, 0xffffffffu}) {
    WrappedDek other{version, a.wrapped.envelope};
    EXPECT_THAT(case_keyring_.OpenCaseKey("case-A", other),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << version;
  }
}

TEST_F(CaseKeyTest, RotatedKeyringWrapsUnderTheNewKekAndOpensOldDeks) {
  CaseKeyring::NewKey old_key = case_keyring_.CreateCaseKey("case-A");
  const std::string envelope = old_key.key->SealField("notes", "before");
  keyring_.AddKekVersion(random_);
  CaseKeyring rotated(keyring_, random_);
  EXPECT_EQ(rotated.current_kek_version(), 2u);

  ASSERT_OK_AND_ASSIGN(auto reopened,
                       rotated.OpenCaseKey("case-A", old_key.wrapped));
  ASSERT_OK_AND_ASSIGN(std::string opened,
                       reopened->OpenField("notes", envelope));
  EXPECT_EQ(opened, "before");

  CaseKeyring::NewKey new_key = rotated.CreateCaseKey("case-B");
  EXPECT_EQ(new_key.wrapped.kek_version, 2u);
  EXPECT_OK(rotated.OpenCaseKey("case-B", new_key.wrapped));
  // Labelled with the wrong KEK version, it does not open.
  WrappedDek mislabelled{1, new_key.wrapped.envelope};
  EXPECT_THAT(rotated.OpenCaseKey("case-B", mislabelled),
              StatusIs(absl::StatusCode::kDataLoss));
  // The old CaseKeyring never heard of version 2.
  EXPECT_THAT(case_keyring_.OpenCaseKey("case-B", new_key.wrapped),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(CaseKeyTest, EachCaseGetsItsOwnDek) {
  CaseKeyring::NewKey a1 = case_keyring_.CreateCaseKey("case-A");
  CaseKeyring::NewKey a2 = case_keyring_.CreateCaseKey("case-A");
  const std::string envelope = a1.key->SealField("notes", "x");
  EXPECT_THAT(a2.key->OpenField("notes", envelope),
              StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace casevault::crypto
