#include "crypto/keyring_codec.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace casevault::crypto::internal {
namespace {

constexpr size_t kRecordHeaderSize = 1 + 4;  // type:u8 length:u32be
constexpr size_t kKekValueSize = 4 + kKeyringKeySize;

void PutU32(uint8_t* out, uint32_t v) {
  out[0] = static_cast<uint8_t>(v >> 24);
  out[1] = static_cast<uint8_t>(v >> 16);
  out[2] = static_cast<uint8_t>(v >> 8);
  out[3] = static_cast<uint8_t>(v);
}

uint32_t GetU32(const uint8_t* in) {
  return (uint32_t{in[0]} << 24) | (uint32_t{in[1]} << 16) |
         (uint32_t{in[2]} << 8) | uint32_t{in[3]};
}

// Appends records into a preallocated SecretBytes buffer.
class Writer {
 public:
  explicit Writer(uint8_t* out) : out_(out) {}
  uint8_t* Record(KeyringRecord type, size_t length) {
    out_[0] = static_cast<uint8_t>(type);
    PutU32(out_ + 1, static_cast<uint32_t>(length));
    uint8_t* value = out_ + kRecordHeaderSize;
    out_ = value + length;
    return value;
  }
  void Key(KeyringRecord type, const SecretBytes& key) {
    std::memcpy(Record(type, key.size()), key.ExposeSecret(), key.size());
  }
  uint8_t* end() const { return out_; }

 private:
  uint8_t* out_;
};

// Walks the records of a plaintext without copying it.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), left_(size) {}
  bool done() const { return left_ == 0; }
  // The type of the next record, if a whole record header is left.
  bool PeekType(KeyringRecord* type) const {
    if (left_ < kRecordHeaderSize) return false;
    *type = static_cast<KeyringRecord>(p_[0]);
    return true;
  }
  // Consumes a record of `type` whose value is exactly `size` bytes.
  absl::StatusOr<const uint8_t*> Expect(KeyringRecord type, size_t size,
                                        const char* name) {
    KeyringRecord actual;
    if (!PeekType(&actual) || actual != type) {
      return absl::InvalidArgumentError(absl::StrCat("missing ", name));
    }
    const uint32_t length = GetU32(p_ + 1);
    if (length != size) {
      return absl::InvalidArgumentError(
          absl::StrCat(name, " has length ", length, ", want ", size));
    }
    if (left_ - kRecordHeaderSize < size) {
      return absl::InvalidArgumentError(absl::StrCat(name, " is truncated"));
    }
    const uint8_t* value = p_ + kRecordHeaderSize;
    p_ = value + size;
    left_ -= kRecordHeaderSize + size;
    return value;
  }

 private:
  const uint8_t* p_;
  size_t left_;
};

absl::Status CheckKey(const SecretBytes& key, const char* name) {
  if (key.size() != kKeyringKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("keyring ", name, " must be 32 bytes, not ", key.size()));
  }
  return absl::OkStatus();
}

absl::Status ReadKey(Reader& reader, KeyringRecord type, const char* name,
                     SecretBytes* out) {
  absl::StatusOr<const uint8_t*> value =
      reader.Expect(type, kKeyringKeySize, name);
  if (!value.ok()) return value.status();
  *out = SecretBytes::CopyFrom(*value, kKeyringKeySize);
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateKeyring(const Keyring& keyring) {
  absl::Status s = CheckKey(keyring.database_key, "database key");
  if (s.ok()) s = CheckKey(keyring.audit_mac_key, "audit MAC key");
  if (s.ok()) s = CheckKey(keyring.index_key, "index key");
  if (s.ok()) s = CheckKey(keyring.audit_signing_seed, "audit signing seed");
  if (!s.ok()) return s;
  if (keyring.keks.empty()) {
    return absl::InvalidArgumentError("keyring has no KEK");
  }
  for (const auto& [version, kek] : keyring.keks) {
    if (version == 0) {
      return absl::InvalidArgumentError("keyring KEK version 0 is reserved");
    }
    if (absl::Status k = CheckKey(kek, "KEK"); !k.ok()) return k;
  }
  if (keyring.keks.count(keyring.current_kek_version) == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("keyring current KEK version ",
                     keyring.current_kek_version, " is not among its KEKs"));
  }
  return absl::OkStatus();
}

SecretBytes SerializeKeyring(const Keyring& keyring) {
  const size_t size =
      4 * (kRecordHeaderSize + kKeyringKeySize) +
      keyring.keks.size() * (kRecordHeaderSize + kKekValueSize) +
      kRecordHeaderSize + 4;
  // The zeros copied in are not secret; the keys are written in place.
  SecretBytes plaintext = SecretBytes::CopyFrom(std::string(size, '\0'));
  Writer writer(plaintext.ExposeSecretMutable());
  writer.Key(KeyringRecord::kDatabaseKey, keyring.database_key);
  for (const auto& [version, kek] : keyring.keks) {  // ascending versions
    uint8_t* value = writer.Record(KeyringRecord::kKek, kKekValueSize);
    PutU32(value, version);
    std::memcpy(value + 4, kek.ExposeSecret(), kKeyringKeySize);
  }
  PutU32(writer.Record(KeyringRecord::kCurrentKekVersion, 4),
         keyring.current_kek_version);
  writer.Key(KeyringRecord::kAuditMacKey, keyring.audit_mac_key);
  writer.Key(KeyringRecord::kIndexKey, keyring.index_key);
  writer.Key(KeyringRecord::kAuditSigningSeed, keyring.audit_signing_seed);
  if (writer.end() != plaintext.ExposeSecret() + size) std::abort();
  return plaintext;
}

absl::StatusOr<Keyring> ParseKeyring(const SecretBytes& plaintext) {
  Reader reader(plaintext.ExposeSecret(), plaintext.size());
  Keyring keyring;
  absl::Status s = ReadKey(reader, KeyringRecord::kDatabaseKey, "database key",
                           &keyring.database_key);
  if (!s.ok()) return s;

  KeyringRecord type;
  uint32_t previous = 0;
  while (reader.PeekType(&type) && type == KeyringRecord::kKek) {
    absl::StatusOr<const uint8_t*> value =
        reader.Expect(KeyringRecord::kKek, kKekValueSize, "KEK");
    if (!value.ok()) return value.status();
    const uint32_t version = GetU32(*value);
    if (version <= previous) {
      return absl::InvalidArgumentError(
          "KEK versions are not >= 1 and strictly increasing");
    }
    keyring.keks.emplace(version,
                         SecretBytes::CopyFrom(*value + 4, kKeyringKeySize));
    previous = version;
  }
  if (keyring.keks.empty()) return absl::InvalidArgumentError("no KEK");

  absl::StatusOr<const uint8_t*> current = reader.Expect(
      KeyringRecord::kCurrentKekVersion, 4, "current KEK version");
  if (!current.ok()) return current.status();
  keyring.current_kek_version = GetU32(*current);
  if (keyring.keks.count(keyring.current_kek_version) == 0) {
    return absl::InvalidArgumentError(
        "current KEK version is not among the KEKs");
  }

  s = ReadKey(reader, KeyringRecord::kAuditMacKey, "audit MAC key",
              &keyring.audit_mac_key);
  if (s.ok()) {
    s = ReadKey(reader, KeyringRecord::kIndexKey, "index key",
                &keyring.index_key);
  }
  if (s.ok()) {
    s = ReadKey(reader, KeyringRecord::kAuditSigningSeed, "audit signing seed",
                &keyring.audit_signing_seed);
  }
  if (!s.ok()) return s;
  if (!reader.done()) {
    return absl::InvalidArgumentError("trailing bytes after the last record");
  }
  return keyring;
}

}  // namespace casevault::crypto::internal
