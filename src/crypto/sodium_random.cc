#include "crypto/sodium_random.h"

#include <sodium.h>

#include <cstdlib>

namespace casevault::crypto {

bool InitializeCrypto() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

void SodiumRandom::Fill(uint8_t* out, size_t size) {
  if (!InitializeCrypto()) std::abort();
  randombytes_buf(out, size);
}

}  // namespace casevault::crypto
