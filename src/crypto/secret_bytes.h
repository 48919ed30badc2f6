// Key material that wipes itself. The bytes live in sodium_malloc'd memory
// (guard pages, mlock'd where the kernel allows, excluded from core dumps,
// zeroed on free) and are reachable only through ExposeSecret(): grep for it
// to audit every place raw key bytes are touched. Secrets of up to 64 bytes
// (all keys) share pooled slots of such memory instead of one mapping each
// (secret_bytes.cc); a slot is wiped when its secret is destroyed.
#ifndef CASEVAULT_CRYPTO_SECRET_BYTES_H_
#define CASEVAULT_CRYPTO_SECRET_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/random.h"

namespace casevault::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  // Copies `bytes` into protected memory. The caller wipes its own copy.
  static SecretBytes CopyFrom(const uint8_t* bytes, size_t size);
  static SecretBytes CopyFrom(std::string_view bytes);
  // `size` bytes from `random`.
  static SecretBytes Random(size_t size, RandomSource& random);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  // An independent copy in its own protected memory.
  SecretBytes Clone() const;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The raw key bytes. Every call site is a place key material is used.
  const uint8_t* ExposeSecret() const { return data_; }
  uint8_t* ExposeSecretMutable() { return data_; }

  // Constant-time comparison.
  bool Equals(const SecretBytes& other) const;

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_SECRET_BYTES_H_
