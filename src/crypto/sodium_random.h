#ifndef CASEVAULT_CRYPTO_SODIUM_RANDOM_H_
#define CASEVAULT_CRYPTO_SODIUM_RANDOM_H_

#include "common/random.h"

namespace casevault::crypto {

// Calls sodium_init() (idempotent, thread-safe); false if libsodium cannot
// initialise, in which case nothing in crypto/ may be used.
[[nodiscard]] bool InitializeCrypto();

// The operating system's CSPRNG through libsodium's randombytes_buf.
class SodiumRandom final : public RandomSource {
 public:
  void Fill(uint8_t* out, size_t size) override;
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_SODIUM_RANDOM_H_
