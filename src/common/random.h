// Randomness as the rest of casevault sees it: injected. The production
// source (libsodium's randombytes) lives in crypto/; tests may seed their own.
#ifndef CASEVAULT_COMMON_RANDOM_H_
#define CASEVAULT_COMMON_RANDOM_H_

#include <cstddef>
#include <cstdint>
#include <string>

namespace casevault {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills `out[0, size)` with unpredictable bytes. Thread-safe.
  virtual void Fill(uint8_t* out, size_t size) = 0;

  std::string Bytes(size_t size) {
    std::string s(size, '\0');
    Fill(reinterpret_cast<uint8_t*>(s.data()), size);
    return s;
  }
};

}  // namespace casevault

#endif  // CASEVAULT_COMMON_RANDOM_H_
