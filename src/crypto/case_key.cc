#include "crypto/case_key.h"

#include <cstdlib>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace casevault::crypto {
namespace {

constexpr size_t kDekSize = 32;

// "casevault/dek/v1" || 0x00 || case_id
std::string DekAssociatedData(std::string_view case_id) {
  std::string ad("casevault/dek/v1");
  ad.push_back('\0');
  ad.append(case_id);
  return ad;
}

// "casevault/field/v1" || 0x00 || case_id || 0x00 || field_name
std::string FieldAssociatedData(std::string_view case_id,
                                std::string_view field) {
  std::string ad("casevault/field/v1");
  ad.push_back('\0');
  ad.append(case_id);
  ad.push_back('\0');
  ad.append(field);
  return ad;
}

// Aead::New fails only for a key that is not 32 bytes, which the callers
// below have ruled out: a failure is a bug, not bad input.
std::unique_ptr<Aead> NewAeadOrDie(SecretBytes key, RandomSource& random) {
  absl::StatusOr<std::unique_ptr<Aead>> aead =
      Aead::New(std::move(key), random);
  if (!aead.ok()) std::abort();
  return *std::move(aead);
}

}  // namespace

std::string CaseKey::SealField(std::string_view field,
                               std::string_view plaintext) const {
  return aead_->Seal(plaintext, FieldAssociatedData(case_id_, field));
}

absl::StatusOr<std::string> CaseKey::OpenField(
    std::string_view field, std::string_view envelope) const {
  return aead_->Open(envelope, FieldAssociatedData(case_id_, field));
}

CaseKeyring::CaseKeyring(const Keyring& keyring, RandomSource& random)
    : current_(keyring.current_kek_version), random_(random) {
  for (const auto& [version, kek] : keyring.keks) {
    // A keyring from Generate or ReadKeyring always has 32-byte KEKs and
    // its current version among them (invariants of keyring.cc).
    if (kek.size() != kAeadKeySize) std::abort();
    keks_.emplace(version, NewAeadOrDie(kek.Clone(), random));
  }
  if (keks_.count(current_) == 0) std::abort();
}

CaseKeyring::NewKey CaseKeyring::CreateCaseKey(std::string_view case_id) const {
  SecretBytes dek = SecretBytes::Random(kDekSize, random_);
  NewKey result;
  result.wrapped.kek_version = current_;
  result.wrapped.envelope = keks_.at(current_)->Seal(
      std::string_view(reinterpret_cast<const char*>(dek.ExposeSecret()),
                       dek.size()),
      DekAssociatedData(case_id));
  result.key = std::unique_ptr<CaseKey>(
      new CaseKey(std::string(case_id), NewAeadOrDie(std::move(dek), random_)));
  return result;
}

absl::StatusOr<std::unique_ptr<CaseKey>> CaseKeyring::OpenCaseKey(
    std::string_view case_id, const WrappedDek& wrapped) const {
  auto kek = keks_.find(wrapped.kek_version);
  if (kek == keks_.end()) {
    return absl::FailedPreconditionError(
        absl::StrCat("data key is wrapped under KEK version ",
                     wrapped.kek_version, ", which the keyring does not hold"));
  }
  absl::StatusOr<SecretBytes> dek =
      kek->second->OpenSecret(wrapped.envelope, DekAssociatedData(case_id));
  if (!dek.ok()) {
    return absl::DataLossError(
        "wrapped data key does not open for this case under its KEK");
  }
  if (dek->size() != kDekSize) {
    return absl::DataLossError("wrapped data key has the wrong size");
  }
  return std::unique_ptr<CaseKey>(new CaseKey(
      std::string(case_id), NewAeadOrDie(*std::move(dek), random_)));
}

}  // namespace casevault::crypto
