#include "crypto/digest.h"

// SHA-256 comes from OpenSSL's libcrypto, which uses the CPU's SHA
// extensions (SHA-NI) where present: several times faster than libsodium's
// portable code, and the audit log hashes every entry and tree node
// (docs/decisions.md). The low-level SHA256_* calls are deprecated in
// OpenSSL 3 in favour of EVP, whose per-call fetch costs more than hashing a
// 65-byte Merkle node; they remain supported for the whole 3.x series.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <sodium.h>

#include <cstdlib>

#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

static_assert(sizeof(SHA256_CTX) <= 128,
              "Sha256Hasher::state_ is too small for OpenSSL's SHA256_CTX");
static_assert(SHA256_DIGEST_LENGTH == 32, "SHA-256 is 32 bytes");
static_assert(crypto_generichash_KEYBYTES == 32, "BLAKE2b default key size");

constexpr size_t kKeyedHashKeySize = 32;
constexpr size_t kKeyedHashSize = 32;

void RequireCrypto() {
  if (!InitializeCrypto()) std::abort();  // nothing in crypto/ may run
}

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string Encode(std::string_view bytes, int variant) {
  RequireCrypto();
  const size_t encoded_size = sodium_base64_encoded_len(bytes.size(), variant);
  std::string out(encoded_size, '\0');  // includes the terminating NUL
  sodium_bin2base64(out.data(), out.size(), Bytes(bytes), bytes.size(),
                    variant);
  out.resize(encoded_size - 1);
  return out;
}

// Strict: the whole of `text` must be valid base64 of `variant` (no white
// space, exact padding for ORIGINAL, none for URLSAFE_NO_PADDING, unused
// trailing bits zero). On failure `*out` is left untouched.
bool Decode(std::string_view text, int variant, std::string* out) {
  RequireCrypto();
  std::string bin(text.size() / 4 * 3 + 3, '\0');
  size_t bin_size = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(bin.data()),
                        bin.size(), text.data(), text.size(),
                        /*ignore=*/nullptr, &bin_size, /*b64_end=*/nullptr,
                        variant) != 0) {
    return false;
  }
  bin.resize(bin_size);
  *out = std::move(bin);
  return true;
}

}  // namespace

Sha256Digest Sha256(std::string_view data) {
  Sha256Digest digest;
  SHA256(Bytes(data), data.size(), digest.data());
  return digest;
}

Sha256Hasher::Sha256Hasher() {
  SHA256_Init(reinterpret_cast<SHA256_CTX*>(state_));
}

void Sha256Hasher::Update(std::string_view data) {
  Update(Bytes(data), data.size());
}

void Sha256Hasher::Update(const uint8_t* data, size_t size) {
  SHA256_Update(reinterpret_cast<SHA256_CTX*>(state_), data, size);
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest digest;
  SHA256_Final(digest.data(), reinterpret_cast<SHA256_CTX*>(state_));
  return digest;
}

std::string KeyedHash(const SecretBytes& key, std::string_view data) {
  RequireCrypto();
  // Every key handed out by the key ring is 32 bytes; anything else is a
  // programming error, and hashing under a wrong key must not go unnoticed.
  if (key.size() != kKeyedHashKeySize) std::abort();
  std::string out(kKeyedHashSize, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     Bytes(data), data.size(), key.ExposeSecret(), key.size());
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  RequireCrypto();
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HexEncode(std::string_view bytes) {
  RequireCrypto();
  std::string out(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), Bytes(bytes), bytes.size());
  out.resize(bytes.size() * 2);
  return out;
}

bool HexDecode(std::string_view text, std::string* out) {
  RequireCrypto();
  if (text.size() % 2 != 0) return false;
  std::string bin(text.size() / 2, '\0');
  size_t bin_size = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(),
                     text.data(), text.size(), /*ignore=*/nullptr, &bin_size,
                     /*hex_end=*/nullptr) != 0 ||
      bin_size != bin.size()) {
    return false;
  }
  *out = std::move(bin);
  return true;
}

std::string Base64Encode(std::string_view bytes) {
  return Encode(bytes, sodium_base64_VARIANT_ORIGINAL);
}

bool Base64Decode(std::string_view text, std::string* out) {
  return Decode(text, sodium_base64_VARIANT_ORIGINAL, out);
}

std::string Base64UrlEncode(std::string_view bytes) {
  return Encode(bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

bool Base64UrlDecode(std::string_view text, std::string* out) {
  return Decode(text, sodium_base64_VARIANT_URLSAFE_NO_PADDING, out);
}

}  // namespace casevault::crypto
