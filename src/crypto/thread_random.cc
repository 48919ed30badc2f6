#include "crypto/thread_random.h"

#include <pthread.h>
#include <sodium.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

std::atomic<uint64_t> fork_generation{0};  // R2

void AfterForkInChild() {
  fork_generation.fetch_add(1, std::memory_order_relaxed);
}

struct GeneratorState {
  uint8_t key[crypto_stream_chacha20_KEYBYTES];
  uint8_t buffer[ThreadRandom::kRefillBytes];
  size_t next = sizeof(buffer);  // nothing left to hand out
  size_t refills = 0;
  uint64_t generation = 0;
  bool seeded = false;
  bool locked = false;
};

class ThreadGenerator {
 public:
  ThreadGenerator() {
    state_.locked = sodium_mlock(&state_, sizeof(state_)) == 0;  // R4
  }
  ~ThreadGenerator() {
    if (state_.locked) {
      sodium_munlock(&state_, sizeof(state_));  // also wipes it
    } else {
      sodium_memzero(&state_, sizeof(state_));
    }
  }
  ThreadGenerator(const ThreadGenerator&) = delete;
  ThreadGenerator& operator=(const ThreadGenerator&) = delete;

  void Fill(uint8_t* out, size_t size) {
    // R2: what a forked child inherited is its parent's; drop it.
    if (state_.generation != fork_generation.load(std::memory_order_relaxed)) {
      sodium_memzero(state_.buffer, sizeof(state_.buffer));
      state_.next = sizeof(state_.buffer);
      state_.seeded = false;
    }
    while (size > 0) {
      if (state_.next == sizeof(state_.buffer)) Refill();
      const size_t n = std::min(size, sizeof(state_.buffer) - state_.next);
      std::memcpy(out, state_.buffer + state_.next, n);
      sodium_memzero(state_.buffer + state_.next, n);  // R1
      state_.next += n;
      out += n;
      size -= n;
    }
  }

 private:
  void Refill() {
    if (!state_.seeded || state_.refills >= ThreadRandom::kReseedRefills) {
      randombytes_buf(state_.key, sizeof(state_.key));  // R2
      state_.seeded = true;
      state_.generation = fork_generation.load(std::memory_order_relaxed);
      state_.refills = 0;
    }
    // The key is used for one refill only, so a fixed nonce never repeats
    // a (key, nonce) pair.
    static const uint8_t kNonce[crypto_stream_chacha20_NONCEBYTES] = {};
    crypto_stream_chacha20(state_.buffer, sizeof(state_.buffer), kNonce,
                           state_.key);
    std::memcpy(state_.key, state_.buffer, sizeof(state_.key));  // R1
    sodium_memzero(state_.buffer, sizeof(state_.key));
    state_.next = sizeof(state_.key);
    ++state_.refills;
  }

  GeneratorState state_;
};

}  // namespace

void ThreadRandom::Fill(uint8_t* out, size_t size) {
  if (!InitializeCrypto()) std::abort();
  static std::once_flag at_fork;
  std::call_once(at_fork, [] {
    if (pthread_atfork(nullptr, nullptr, AfterForkInChild) != 0) std::abort();
  });
  if (size > kLargeDraw) {  // R3
    randombytes_buf(out, size);
    return;
  }
  thread_local ThreadGenerator generator;
  generator.Fill(out, size);
}

}  // namespace casevault::crypto
