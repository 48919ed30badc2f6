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

// Incremental SHA-256 (crypto_hash_sha256_state).
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
// hashes, pseudonymous case references, blind indexes.
std::string KeyedHash(const SecretBytes& key, std::string_view data);

// Constant-time equality of two equal-length strings.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);          // standard, padded
bool Base64Decode(std::string_view text, std::string* out);
std::string Base64UrlEncode(std::string_view bytes);       // no padding
bool Base64UrlDecode(std::string_view text, std::string* out);

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_DIGEST_H_
