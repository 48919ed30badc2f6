// Per-case data keys (DEKs) and the sealing of a case's sensitive fields.
//
// A DEK is 32 random bytes, wrapped (Aead) by the KEK of the current version
// with associated data "casevault/dek/v1" || 0x00 || case_id, and stored with
// that KEK version. A field is sealed under the DEK with associated data
// "casevault/field/v1" || 0x00 || case_id || 0x00 || field_name, so a
// ciphertext cannot be moved to another case or field (docs/formats.md).
#ifndef CASEVAULT_CRYPTO_CASE_KEY_H_
#define CASEVAULT_CRYPTO_CASE_KEY_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "crypto/aead.h"
#include "crypto/keyring.h"

namespace casevault::crypto {

struct WrappedDek {
  uint32_t kek_version = 0;
  std::string envelope;
};

// A case's unwrapped data key. Thread-safe.
class CaseKey {
 public:
  // Seals `plaintext` as field `field` of case `case_id`.
  [[nodiscard]] std::string SealField(std::string_view field,
                                      std::string_view plaintext) const;
  // DATA_LOSS if it does not open as that field of that case.
  [[nodiscard]] absl::StatusOr<std::string> OpenField(
      std::string_view field, std::string_view envelope) const;
  const std::string& case_id() const { return case_id_; }

 private:
  friend class CaseKeyring;
  CaseKey(std::string case_id, std::unique_ptr<Aead> aead)
      : case_id_(std::move(case_id)), aead_(std::move(aead)) {}
  std::string case_id_;
  std::unique_ptr<Aead> aead_;
};

// Makes and unwraps DEKs with the keyring's KEKs. Thread-safe.
class CaseKeyring {
 public:
  // Copies the KEKs out of `keyring`. `random` must outlive this object.
  // `keyring` must be well formed (as Generate and ReadKeyring make it):
  // a KEK that is not 32 bytes, or a current version it lacks, aborts.
  CaseKeyring(const Keyring& keyring, RandomSource& random);

  struct NewKey {
    WrappedDek wrapped;
    std::unique_ptr<CaseKey> key;
  };
  // A fresh DEK for `case_id`, wrapped under the current KEK.
  [[nodiscard]] NewKey CreateCaseKey(std::string_view case_id) const;

  // FAILED_PRECONDITION for an unknown KEK version; DATA_LOSS if the
  // envelope does not open for `case_id`.
  [[nodiscard]] absl::StatusOr<std::unique_ptr<CaseKey>> OpenCaseKey(
      std::string_view case_id, const WrappedDek& wrapped) const;

  uint32_t current_kek_version() const { return current_; }

 private:
  std::map<uint32_t, std::unique_ptr<Aead>> keks_;
  uint32_t current_;
  RandomSource& random_;
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_CASE_KEY_H_
