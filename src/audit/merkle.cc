#include "audit/merkle.h"

#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/numeric/bits.h"
#include "absl/status/status.h"

namespace casevault::audit {
namespace {

constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kNodePrefix = 0x01;
constexpr uint8_t kFrontierVersion = 0x01;
constexpr size_t kFrontierHeaderSize = 1 + 8;

}  // namespace

Hash LeafHash(std::string_view entry) {
  crypto::Sha256Hasher hasher;
  hasher.Update(&kLeafPrefix, 1);
  hasher.Update(entry);
  return hasher.Finish();
}

Hash NodeHash(const Hash& left, const Hash& right) {
  crypto::Sha256Hasher hasher;
  hasher.Update(&kNodePrefix, 1);
  hasher.Update(left.data(), left.size());
  hasher.Update(right.data(), right.size());
  return hasher.Finish();
}

Hash EmptyRoot() { return crypto::Sha256(""); }

std::string HashBytes(const Hash& hash) {
  return std::string(reinterpret_cast<const char*>(hash.data()), hash.size());
}

std::string HashHex(const Hash& hash) {
  return crypto::HexEncode(HashBytes(hash));
}

absl::StatusOr<Hash> HashFromBytes(std::string_view bytes) {
  if (bytes.size() != kHashSize) {
    return absl::InvalidArgumentError("a tree hash must be 32 bytes, got " +
                                      std::to_string(bytes.size()));
  }
  Hash hash;
  std::memcpy(hash.data(), bytes.data(), kHashSize);
  return hash;
}

uint64_t SplitPoint(uint64_t n) {
  if (n < 2) std::abort();  // no split below two leaves
  return uint64_t{1} << (63 - absl::countl_zero(n - 1));
}

absl::StatusOr<Frontier> Frontier::FromHashes(uint64_t size,
                                              std::vector<Hash> hashes) {
  const size_t expected = static_cast<size_t>(absl::popcount(size));
  if (hashes.size() != expected) {
    return absl::InvalidArgumentError(
        "a frontier of size " + std::to_string(size) + " needs " +
        std::to_string(expected) + " hashes, got " +
        std::to_string(hashes.size()));
  }
  Frontier frontier;
  frontier.size_ = size;
  frontier.hashes_ = std::move(hashes);
  return frontier;
}

absl::StatusOr<Frontier> Frontier::Deserialize(std::string_view bytes) {
  if (bytes.size() < kFrontierHeaderSize) {
    return absl::InvalidArgumentError("frontier: truncated header");
  }
  if (static_cast<uint8_t>(bytes[0]) != kFrontierVersion) {
    return absl::InvalidArgumentError("frontier: unknown version");
  }
  uint64_t size = 0;
  for (size_t i = 1; i < kFrontierHeaderSize; ++i) {
    size = (size << 8) | static_cast<uint8_t>(bytes[i]);
  }
  const size_t count = static_cast<size_t>(absl::popcount(size));
  if (bytes.size() != kFrontierHeaderSize + count * kHashSize) {
    return absl::InvalidArgumentError("frontier: length does not match size " +
                                      std::to_string(size));
  }
  std::vector<Hash> hashes(count);
  for (size_t i = 0; i < count; ++i) {
    std::memcpy(hashes[i].data(),
                bytes.data() + kFrontierHeaderSize + i * kHashSize, kHashSize);
  }
  return FromHashes(size, std::move(hashes));
}

std::string Frontier::Serialize() const {
  std::string out;
  out.reserve(kFrontierHeaderSize + hashes_.size() * kHashSize);
  out.push_back(static_cast<char>(kFrontierVersion));
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size_ >> shift) & 0xff));
  }
  for (const Hash& hash : hashes_) out += HashBytes(hash);
  return out;
}

void Frontier::Append(const Hash& leaf_hash) {
  if (size_ == std::numeric_limits<uint64_t>::max()) std::abort();
  // Each trailing set bit of size_ is a perfect subtree that the new leaf
  // completes into one twice as large, exactly like a binary carry.
  Hash carry = leaf_hash;
  for (uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    carry = NodeHash(hashes_.back(), carry);
    hashes_.pop_back();
  }
  hashes_.push_back(carry);
  ++size_;
}

Hash Frontier::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // The RFC 6962 split puts the largest perfect subtree on the left at every
  // level, so the root folds the right edge from the smallest subtree up.
  Hash root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) {
    root = NodeHash(hashes_[i], root);
  }
  return root;
}

}  // namespace casevault::audit
