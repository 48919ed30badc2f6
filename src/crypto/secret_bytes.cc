#include "crypto/secret_bytes.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <new>

#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

uint8_t* Allocate(size_t size) {
  if (size == 0) return nullptr;
  if (!InitializeCrypto()) std::abort();
  void* p = sodium_malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<uint8_t*>(p);
}

}  // namespace

SecretBytes SecretBytes::CopyFrom(const uint8_t* bytes, size_t size) {
  SecretBytes s;
  s.data_ = Allocate(size);
  s.size_ = size;
  if (size > 0) std::memcpy(s.data_, bytes, size);
  return s;
}

SecretBytes SecretBytes::CopyFrom(std::string_view bytes) {
  return CopyFrom(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

SecretBytes SecretBytes::Random(size_t size, RandomSource& random) {
  SecretBytes s;
  s.data_ = Allocate(size);
  s.size_ = size;
  if (size > 0) random.Fill(s.data_, size);
  return s;
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    if (data_ != nullptr) sodium_free(data_);  // sodium_free wipes first
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() {
  if (data_ != nullptr) sodium_free(data_);
}

SecretBytes SecretBytes::Clone() const { return CopyFrom(data_, size_); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

}  // namespace casevault::crypto
