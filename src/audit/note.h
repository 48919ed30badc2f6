// C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, as the
// Go sumdb "note" package writes them:
//
//   note      = text "\n" 1*signature      ; text ends with "\n"
//   signature = "— " key-name " " base64(key-id || ed25519-signature) "\n"
//   key-id    = first 4 bytes of SHA-256(key-name || 0x0A || 0x01 || pubkey)
//
// ("—" is U+2014 EM DASH.) The signature covers the text exactly, including
// its final newline. docs/audit-log.md, "Signed note" and "Verifier key".
//
// Status codes: InvalidArgument for malformed keys, notes or note text;
// DataLoss when a note is well formed but not validly signed by the key.
#ifndef CASEVAULT_AUDIT_NOTE_H_
#define CASEVAULT_AUDIT_NOTE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/secret_bytes.h"
#include "crypto/signer.h"

namespace casevault::audit {

// The signature type byte of Ed25519 keys.
inline constexpr uint8_t kNoteEd25519 = 0x01;
// Notes longer than this, or with more signature lines, are refused.
inline constexpr size_t kMaxNoteSize = 1 << 20;
inline constexpr size_t kMaxNoteSignatures = 100;

// A key name: non-empty UTF-8 with no Unicode white space and no '+'.
bool IsValidKeyName(std::string_view name);

// The key id of an Ed25519 key: the first 4 bytes of
// SHA-256(name || 0x0A || 0x01 || public_key), read big-endian.
uint32_t NoteKeyId(std::string_view name, std::string_view public_key);

// A public key that checks signatures, published as
//   <name>+<8 lower-case hex digits of key_id>+<base64(0x01 || public_key)>
struct NoteVerifierKey {
  std::string name;
  uint32_t key_id = 0;
  std::string public_key;  // 32 bytes
};

// Parses the published form. InvalidArgument when malformed, when the type
// byte is not 0x01, when the key is not 32 bytes or when the key id does not
// match the name and key.
[[nodiscard]] absl::StatusOr<NoteVerifierKey> ParseVerifierKey(
    std::string_view text);
// The published form of `key` (which must be valid).
std::string FormatVerifierKey(const NoteVerifierKey& key);

// Signs notes under one Ed25519 key and name. Thread-safe (const).
class NoteSigner {
 public:
  // InvalidArgument when `name` is not a valid key name or `seed` is not 32
  // bytes.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<NoteSigner>> New(
      std::string_view name, const crypto::SecretBytes& seed);

  // From the Go signer key form
  //   PRIVATE+KEY+<name>+<8 hex key id>+<base64(0x01 || seed)>
  // (tests and tools; the server keeps its seed in the key ring).
  // InvalidArgument when malformed or the key id does not match.
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<NoteSigner>>
  FromSignerKey(std::string_view signer_key);

  // The signed note: `text`, a blank line, and this key's signature line.
  // InvalidArgument unless `text` is valid note text: non-empty UTF-8 ending
  // in "\n", with no control character other than "\n", and not longer
  // than kMaxNoteSize.
  [[nodiscard]] absl::StatusOr<std::string> Sign(std::string_view text) const;

  const std::string& name() const { return name_; }
  uint32_t key_id() const { return key_id_; }
  NoteVerifierKey verifier_key() const;

 private:
  NoteSigner(std::string name, std::unique_ptr<crypto::Signer> signer);

  std::string name_;
  uint32_t key_id_;
  std::unique_ptr<crypto::Signer> signer_;
};

// One signature line of a note, parsed but not verified.
struct NoteSignature {
  std::string key_name;
  uint32_t key_id = 0;
  std::string signature;  // the bytes after the key id
};

// A note split into its text and its signature lines.
struct SignedNote {
  std::string text;  // up to and including the newline before the blank line
  std::vector<NoteSignature> signatures;
};

// Splits `note` at its last blank line and parses the signature lines,
// without checking any signature. InvalidArgument when malformed: not
// UTF-8, a control character other than "\n", no blank line, a signature
// block not ending in "\n", a line not of the form above, an invalid key
// name, a signature shorter than 5 bytes, more than kMaxNoteSignatures
// signature lines or more than kMaxNoteSize bytes.
[[nodiscard]] absl::StatusOr<SignedNote> ParseSignedNote(std::string_view note);

// Parses `note` and returns its text when a signature line with `key`'s name
// and key id carries a valid signature of the text. Lines of other keys are
// ignored. Errors: InvalidArgument as ParseSignedNote; DataLoss "not signed
// by <key>" (listing the keys that did sign) when no line matches `key`, and
// DataLoss "invalid signature" when a matching line does not verify.
[[nodiscard]] absl::StatusOr<std::string> OpenSignedNote(
    std::string_view note, const NoteVerifierKey& key);

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_NOTE_H_
