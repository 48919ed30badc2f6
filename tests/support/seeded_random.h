#ifndef CASEVAULT_TESTS_SUPPORT_SEEDED_RANDOM_H_
#define CASEVAULT_TESTS_SUPPORT_SEEDED_RANDOM_H_

#include <cstdint>
#include <mutex>
#include <random>

#include "common/random.h"

namespace casevault::testing {

// Deterministic randomness for tests (NOT for keys in production). Print
// seed() on failure to reproduce.
class SeededRandom final : public RandomSource {
 public:
  explicit SeededRandom(uint64_t seed) : seed_(seed), engine_(seed) {}
  void Fill(uint8_t* out, size_t size) override {
    std::lock_guard<std::mutex> lock(mu_);
    for (size_t i = 0; i < size; ++i) out[i] = static_cast<uint8_t>(engine_());
  }
  uint64_t seed() const { return seed_; }

 private:
  uint64_t seed_;
  std::mutex mu_;
  std::mt19937_64 engine_;
};

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_SUPPORT_SEEDED_RANDOM_H_
