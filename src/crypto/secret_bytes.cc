#include "crypto/secret_bytes.h"

#include <sodium.h>

#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "crypto/sodium_random.h"

namespace casevault::crypto {
namespace {

// Secrets of at most kSlotBytes (every key here: 32 bytes) come from a pool
// of slots carved out of sodium_malloc'd chunks (locked, kept out of core
// dumps, guard pages around each chunk) and are wiped when given back.
// sodium_malloc per key costs an mmap, mprotect, mlock and munmap; the
// munmap makes the kernel flush the TLB of every CPU running one of the
// server's threads, once per case key a request unwraps. Chunks are kept for
// the life of the process: their number follows the most small secrets ever
// alive at once.
constexpr size_t kSlotBytes = 64;
constexpr size_t kSlotsPerChunk = 1024;

class SlotPool {
 public:
  static SlotPool& Get() {
    static SlotPool* const pool = new SlotPool();  // never destroyed
    return *pool;
  }

  uint8_t* Take() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) AddChunk();
    uint8_t* slot = free_.back();
    free_.pop_back();
    return slot;
  }

  void Give(uint8_t* slot) {
    sodium_memzero(slot, kSlotBytes);
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(slot);
  }

 private:
  void AddChunk() {
    void* chunk = sodium_malloc(kSlotBytes * kSlotsPerChunk);
    if (chunk == nullptr) throw std::bad_alloc();
    sodium_memzero(chunk, kSlotBytes * kSlotsPerChunk);
    auto* bytes = static_cast<uint8_t*>(chunk);
    free_.reserve(free_.size() + kSlotsPerChunk);
    for (size_t i = kSlotsPerChunk; i > 0; --i) {
      free_.push_back(bytes + (i - 1) * kSlotBytes);
    }
  }

  std::mutex mu_;
  std::vector<uint8_t*> free_;
};

uint8_t* Allocate(size_t size) {
  if (size == 0) return nullptr;
  if (!InitializeCrypto()) std::abort();
  if (size <= kSlotBytes) return SlotPool::Get().Take();
  void* p = sodium_malloc(size);
  if (p == nullptr) throw std::bad_alloc();
  return static_cast<uint8_t*>(p);
}

// Wipes and releases what Allocate(size) returned.
void Release(uint8_t* data, size_t size) {
  if (data == nullptr) return;
  if (size <= kSlotBytes) {
    SlotPool::Get().Give(data);
  } else {
    sodium_free(data);  // sodium_free wipes first
  }
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
    Release(data_, size_);
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes::~SecretBytes() { Release(data_, size_); }

SecretBytes SecretBytes::Clone() const { return CopyFrom(data_, size_); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  if (size_ != other.size_) return false;
  if (size_ == 0) return true;
  return sodium_memcmp(data_, other.data_, size_) == 0;
}

}  // namespace casevault::crypto
