// The server's source of randomness for the many small draws of serving:
// nonces, case keys, record ids, session tokens, request ids.
#ifndef CASEVAULT_CRYPTO_THREAD_RANDOM_H_
#define CASEVAULT_CRYPTO_THREAD_RANDOM_H_

#include "common/random.h"

namespace casevault::crypto {

// A ChaCha20 generator per thread with fast key erasure (D. J. Bernstein,
// "Fast-key-erasure random-number generators", 2017), seeded from the
// operating system through libsodium (getrandom):
//
//  R1. A refill computes kRefillBytes of ChaCha20 keystream under the
//      thread's 32-byte key; the first 32 bytes become the new key at once
//      and are wiped from the buffer. Bytes are handed out from the rest and
//      wiped as they go, so a copy of a thread's state taken at any moment
//      tells nothing about the bytes it handed out before.
//  R2. A thread's key comes from the operating system on its first draw,
//      after every kReseedRefills refills, and on its first draw in the
//      child of a fork (a pthread_atfork handler moves a generation every
//      thread compares), so parent and child never share a stream.
//  R3. Draws larger than kLargeDraw go to the operating system directly.
//  R4. The state is locked in memory and left out of core dumps
//      (sodium_mlock) and wiped when the thread exits.
//
// It exists for speed: a system call per draw cost about 1 µs here, 6-7 of
// them per filed case (docs/performance.md). Long-lived keys (the keyring,
// the root key) keep coming from SodiumRandom.
class ThreadRandom final : public RandomSource {
 public:
  static constexpr size_t kRefillBytes = 512;
  static constexpr size_t kReseedRefills = 4096;
  static constexpr size_t kLargeDraw = 128;

  void Fill(uint8_t* out, size_t size) override;
};

}  // namespace casevault::crypto

#endif  // CASEVAULT_CRYPTO_THREAD_RANDOM_H_
