// RFC 6962 / RFC 9162 Merkle tree hashing, and the compact state ("frontier")
// that lets the log append in O(log n) and restart without rehashing.
//
// Hashing (RFC 9162 §2.1.1), with D[n] the list of n entries:
//   MTH({})    = SHA-256()                         (the empty tree)
//   MTH({d0})  = SHA-256(0x00 || d0)               (LeafHash)
//   MTH(D[n])  = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n]))   (NodeHash)
//                where k is the largest power of two smaller than n.
#ifndef CASEVAULT_AUDIT_MERKLE_H_
#define CASEVAULT_AUDIT_MERKLE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "crypto/digest.h"

namespace casevault::audit {

// A SHA-256 tree hash.
using Hash = crypto::Sha256Digest;
inline constexpr size_t kHashSize = 32;

// The leaf hash of one entry's exact bytes: SHA-256(0x00 || entry).
Hash LeafHash(std::string_view entry);
// The interior node hash: SHA-256(0x01 || left || right).
Hash NodeHash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of nothing.
Hash EmptyRoot();

// The 32 raw bytes of `hash`, as a string.
std::string HashBytes(const Hash& hash);
// Lower-case hex of `hash` (for messages and tests).
std::string HashHex(const Hash& hash);
// `bytes` as a Hash; InvalidArgument unless it is exactly 32 bytes.
[[nodiscard]] absl::StatusOr<Hash> HashFromBytes(std::string_view bytes);

// For n >= 2: the largest power of two strictly smaller than n (the split
// point k above).
uint64_t SplitPoint(uint64_t n);

// The right edge of a tree of `size()` leaves: the roots of its maximal
// perfect subtrees, one per set bit of size(), largest (leftmost) first.
// hashes()[i] covers 2^b leaves where b is the i-th set bit of size() counted
// from the most significant. That is all Append() and Root() need.
//
// Invariant: hashes().size() == popcount(size()).
// Not thread-safe; the owner serialises access.
class Frontier {
 public:
  // The empty tree.
  Frontier() = default;

  // Rebuilds the frontier of a tree of `size` leaves from its perfect-subtree
  // roots (as hashes() returns them). InvalidArgument unless
  // hashes.size() == popcount(size).
  [[nodiscard]] static absl::StatusOr<Frontier> FromHashes(
      uint64_t size, std::vector<Hash> hashes);

  // Parses Serialize()'s output. InvalidArgument when `bytes` is not exactly
  // a well-formed serialization (unknown version, wrong length).
  [[nodiscard]] static absl::StatusOr<Frontier> Deserialize(
      std::string_view bytes);

  // Serialized form (docs/audit-log.md, "Merkle tree"):
  //   version 0x01 || size (8 bytes, big-endian) || hashes() (32 bytes each)
  // It carries no integrity check of its own: after restoring, the owner
  // must compare size() with the number of stored entries and Root() with
  // its latest signed checkpoint of that size.
  std::string Serialize() const;

  // Adds the leaf with hash `leaf_hash` (use LeafHash(entry)) at index
  // size(). O(log n) node hashes. The tree is full at 2^64 - 1 leaves;
  // appending beyond that is a programming error and aborts.
  void Append(const Hash& leaf_hash);

  // MTH of the current tree (EmptyRoot() for size 0). O(log n).
  Hash Root() const;

  uint64_t size() const { return size_; }
  const std::vector<Hash>& hashes() const { return hashes_; }

 private:
  uint64_t size_ = 0;
  std::vector<Hash> hashes_;
};

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_MERKLE_H_
