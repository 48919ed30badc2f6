// Hashes and keyed MACs.
#ifndef CASEVAULT_CRYPTO_DIGEST_H_
#define CASEVAULT_CRYPTO_DIGEST_H_

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "crypto/secret_bytes.h"

namespace casevault::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(std::string_view data);

// Incremental SHA-256 (OpenSSL's SHA256_CTX).
class Sha256Hasher {
 public:
  Sha256Hasher();
  void Update(std::string_view data);
  void Update(const uint8_t* data, size_t size);
  Sha256Digest Finish();

 private:
  alignas(64) unsigned char state_[128];
};

// Keyed BLAKE2b-256 (crypto_generichash with a 32-byte key): session token
// hashes, pseudonymous case references, blind indexes. Returns 32 bytes.
// `key` must be exactly 32 bytes (every key ring key is); any other size is
// a programming error and aborts.
std::string KeyedHash(const SecretBytes& key, std::string_view data);

// Constant-time equality of two equal-length strings; false when the lengths
// differ (lengths are not treated as secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string HexEncode(std::string_view bytes);             // lower case
// Strict decoders: the whole text must be well formed (hex: an even number of
// hex digits, either case; base64: no white space, exact padding for the
// standard alphabet and none for the URL alphabet, unused trailing bits
// zero). On success fill `*out` and return true; on failure return false and
// leave `*out` untouched.
[[nodiscard]] bool HexDecode(std::string_view text, std::string* out);
std::string Base64Encode(std::string_view bytes);          // standard, padded
[[nodiscard]] bool Base64Decode(std::string_view text, std::string* out);
std::string Base64UrlEncode(std::string_view bytes);       // no padding
[[nodiscard]] bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_DIGEST_H_
