#include "audit/note.h"

#include <algorithm>
#include <utility>

#include "common/status_macros.h"
#include "common/utf8.h"
#include "crypto/digest.h"

namespace casevault::audit {
namespace {

// "— ": U+2014 EM DASH and a space.
constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";
constexpr std::string_view kSignerKeyPrefix = "PRIVATE+KEY+";
constexpr size_t kKeyIdSize = 4;
constexpr size_t kSeedSize = 32;

// The code point starting at text[*i] of valid UTF-8; advances *i past it.
uint32_t NextCodePoint(std::string_view text, size_t* i) {
  const auto c = static_cast<uint8_t>(text[*i]);
  const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  uint32_t cp = len == 1 ? c : c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    cp = (cp << 6) | (static_cast<uint8_t>(text[*i + k]) & 0x3F);
  }
  *i += len;
  return cp;
}

// Unicode White_Space (as Go's unicode.IsSpace).
bool IsUnicodeSpace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 ||
         cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 ||
         cp == 0x2029 || cp == 0x202F || cp == 0x205F || cp == 0x3000;
}

// UTF-8 with no control character below U+0020 other than "\n".
bool IsNoteCharacters(std::string_view text) {
  if (!IsValidUtf8(text)) return false;
  return std::none_of(text.begin(), text.end(), [](char c) {
    return static_cast<uint8_t>(c) < 0x20 && c != '\n';
  });
}

std::string KeyIdHex(uint32_t id) {
  std::string bytes(kKeyIdSize, '\0');
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    bytes[i] = static_cast<char>((id >> (8 * (3 - i))) & 0xff);
  }
  return crypto::HexEncode(bytes);
}

std::string KeyText(std::string_view name, uint32_t id) {
  return std::string(name) + "+" + KeyIdHex(id);
}

bool ParseKeyIdHex(std::string_view hex, uint32_t* id) {
  std::string bytes;
  if (hex.size() != 2 * kKeyIdSize || !crypto::HexDecode(hex, &bytes)) {
    return false;
  }
  *id = 0;
  for (char b : bytes) *id = (*id << 8) | static_cast<uint8_t>(b);
  return true;
}

// Splits `text` at its first '+' into *head and *rest; false if there is none.
bool ChopPlus(std::string_view text, std::string_view* head,
              std::string_view* rest) {
  const size_t plus = text.find('+');
  if (plus == std::string_view::npos) return false;
  *head = text.substr(0, plus);
  *rest = text.substr(plus + 1);
  return true;
}

// Overwrites `s` (best effort for key bytes held in a std::string).
void Wipe(std::string& s) {
  volatile char* p = s.data();
  for (size_t i = 0; i < s.size(); ++i) p[i] = '\0';
}

// "<name>+<hex id>+<base64(0x01 || 32 bytes)>" into its parts.
absl::Status ParseKeyParts(std::string_view text, std::string_view what,
                           std::string_view* name, uint32_t* id,
                           std::string* key) {
  std::string_view hex;
  std::string_view b64;
  std::string_view rest;
  std::string decoded;
  if (!ChopPlus(text, name, &rest) || !ChopPlus(rest, &hex, &b64) ||
      !IsValidKeyName(*name) || !ParseKeyIdHex(hex, id) ||
      !crypto::Base64Decode(b64, &decoded)) {
    return absl::InvalidArgumentError(std::string(what) + " is malformed");
  }
  if (decoded.size() != 1 + kSeedSize ||
      static_cast<uint8_t>(decoded[0]) != kNoteEd25519) {
    Wipe(decoded);
    return absl::InvalidArgumentError(std::string(what) +
                                      " is not an Ed25519 key");
  }
  key->assign(decoded, 1, kSeedSize);
  Wipe(decoded);
  return absl::OkStatus();
}

absl::Status InvalidNote(std::string_view why) {
  return absl::InvalidArgumentError("malformed signed note: " +
                                    std::string(why));
}

}  // namespace

bool IsValidKeyName(std::string_view name) {
  if (name.empty() || !IsValidUtf8(name)) return false;
  for (size_t i = 0; i < name.size();) {
    const uint32_t cp = NextCodePoint(name, &i);
    if (cp == '+' || IsUnicodeSpace(cp)) return false;
  }
  return true;
}

uint32_t NoteKeyId(std::string_view name, std::string_view public_key) {
  crypto::Sha256Hasher hasher;
  hasher.Update(name);
  const uint8_t separator[2] = {'\n', kNoteEd25519};
  hasher.Update(separator, sizeof(separator));
  hasher.Update(public_key);
  const crypto::Sha256Digest digest = hasher.Finish();
  return (uint32_t{digest[0]} << 24) | (uint32_t{digest[1]} << 16) |
         (uint32_t{digest[2]} << 8) | uint32_t{digest[3]};
}

absl::StatusOr<NoteVerifierKey> ParseVerifierKey(std::string_view text) {
  std::string_view name;
  NoteVerifierKey key;
  RETURN_IF_ERROR(
      ParseKeyParts(text, "verifier key", &name, &key.key_id, &key.public_key));
  key.name = std::string(name);
  if (NoteKeyId(key.name, key.public_key) != key.key_id) {
    return absl::InvalidArgumentError(
        "verifier key: key id does not match the name and public key");
  }
  return key;
}

std::string FormatVerifierKey(const NoteVerifierKey& key) {
  std::string typed_key(1, static_cast<char>(kNoteEd25519));
  typed_key += key.public_key;
  return KeyText(key.name, key.key_id) + "+" + crypto::Base64Encode(typed_key);
}

NoteSigner::NoteSigner(std::string name, std::unique_ptr<crypto::Signer> signer)
    : name_(std::move(name)),
      key_id_(NoteKeyId(name_, signer->public_key())),
      signer_(std::move(signer)) {}

absl::StatusOr<std::unique_ptr<NoteSigner>> NoteSigner::New(
    std::string_view name, const crypto::SecretBytes& seed) {
  if (!IsValidKeyName(name)) {
    return absl::InvalidArgumentError("invalid note key name");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::Signer> signer,
                   crypto::Signer::FromSeed(seed));
  return std::unique_ptr<NoteSigner>(
      new NoteSigner(std::string(name), std::move(signer)));
}

absl::StatusOr<std::unique_ptr<NoteSigner>> NoteSigner::FromSignerKey(
    std::string_view signer_key) {
  if (signer_key.substr(0, kSignerKeyPrefix.size()) != kSignerKeyPrefix) {
    return absl::InvalidArgumentError("signer key is malformed");
  }
  std::string_view name;
  uint32_t id = 0;
  std::string seed;
  RETURN_IF_ERROR(ParseKeyParts(signer_key.substr(kSignerKeyPrefix.size()),
                                "signer key", &name, &id, &seed));
  const crypto::SecretBytes secret = crypto::SecretBytes::CopyFrom(seed);
  Wipe(seed);
  ASSIGN_OR_RETURN(std::unique_ptr<NoteSigner> signer, New(name, secret));
  if (signer->key_id() != id) {
    return absl::InvalidArgumentError(
        "signer key: key id does not match the name and public key");
  }
  return signer;
}

absl::StatusOr<std::string> NoteSigner::Sign(std::string_view text) const {
  if (text.empty() || text.back() != '\n' || text.size() > kMaxNoteSize ||
      !IsNoteCharacters(text)) {
    return absl::InvalidArgumentError(
        "note text must be UTF-8 ending in a newline, without control "
        "characters");
  }
  std::string id_and_signature(kKeyIdSize, '\0');
  for (size_t i = 0; i < kKeyIdSize; ++i) {
    id_and_signature[i] = static_cast<char>((key_id_ >> (8 * (3 - i))) & 0xff);
  }
  id_and_signature += signer_->Sign(text);
  std::string note(text);
  note += "\n";
  note += kSignaturePrefix;
  note += name_ + " " + crypto::Base64Encode(id_and_signature) + "\n";
  return note;
}

NoteVerifierKey NoteSigner::verifier_key() const {
  return NoteVerifierKey{name_, key_id_, signer_->public_key()};
}

absl::StatusOr<SignedNote> ParseSignedNote(std::string_view note) {
  if (note.size() > kMaxNoteSize) return InvalidNote("too long");
  if (!IsNoteCharacters(note)) {
    return InvalidNote("not UTF-8, or holds a control character");
  }
  const size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return InvalidNote("no blank line before the signatures");
  }
  SignedNote parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  std::string_view block = note.substr(split + 2);
  if (block.empty() || block.back() != '\n') {
    return InvalidNote("the signature block must end with a newline");
  }
  while (!block.empty()) {
    const size_t newline = block.find('\n');
    std::string_view line = block.substr(0, newline);
    block.remove_prefix(newline + 1);
    if (parsed.signatures.size() == kMaxNoteSignatures) {
      return InvalidNote("too many signatures");
    }
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return InvalidNote("a signature line must start with an em dash");
    }
    line.remove_prefix(kSignaturePrefix.size());
    const size_t space = line.find(' ');
    std::string decoded;
    if (space == std::string_view::npos ||
        !IsValidKeyName(line.substr(0, space)) ||
        !crypto::Base64Decode(line.substr(space + 1), &decoded) ||
        decoded.size() <= kKeyIdSize) {
      return InvalidNote("bad signature line");
    }
    NoteSignature signature;
    signature.key_name = std::string(line.substr(0, space));
    for (size_t i = 0; i < kKeyIdSize; ++i) {
      signature.key_id =
          (signature.key_id << 8) | static_cast<uint8_t>(decoded[i]);
    }
    signature.signature = decoded.substr(kKeyIdSize);
    parsed.signatures.push_back(std::move(signature));
  }
  return parsed;
}

absl::StatusOr<std::string> OpenSignedNote(std::string_view note,
                                           const NoteVerifierKey& key) {
  ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note));
  bool matched = false;
  std::string others;
  for (const NoteSignature& signature : parsed.signatures) {
    if (signature.key_name != key.name || signature.key_id != key.key_id) {
      others += (others.empty() ? "" : ", ") +
                KeyText(signature.key_name, signature.key_id);
      continue;
    }
    if (!crypto::VerifyEd25519(key.public_key, parsed.text,
                               signature.signature)) {
      return absl::DataLossError("invalid signature by " +
                                 KeyText(key.name, key.key_id));
    }
    matched = true;
  }
  if (!matched) {
    return absl::DataLossError(
        "note is not signed by " + KeyText(key.name, key.key_id) +
        (others.empty() ? "" : "; it is signed by " + others));
  }
  return std::move(parsed.text);
}

}  // namespace casevault::audit
