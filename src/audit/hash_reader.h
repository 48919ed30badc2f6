// Read access to the hashes of a stored log, for building proofs and roots
// of past tree sizes.
//
// A server backs HashReader with its stored leaf hashes and, as it grows,
// with cached perfect-subtree hashes (override PerfectSubtreeHash). Every
// hash a proof needs is assembled from O(log n) perfect subtrees, so with a
// complete cache a proof costs O(log n) reads; with leaf hashes only, a
// subtree of 2^k leaves costs 2^k leaf reads.
#ifndef CASEVAULT_AUDIT_HASH_READER_H_
#define CASEVAULT_AUDIT_HASH_READER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/merkle.h"

namespace casevault::audit {

class HashReader {
 public:
  virtual ~HashReader() = default;

  // The number of leaves the reader can serve: proofs and roots are
  // available for every tree size up to this one.
  virtual uint64_t size() const = 0;

  // The leaf hash of entry `index` (< size()). On failure (storage error,
  // index out of range) returns a non-OK status, passed on unchanged.
  [[nodiscard]] virtual absl::StatusOr<Hash> LeafHash(uint64_t index) const = 0;

  // MTH of the perfect subtree of 2^level leaves whose first leaf is
  // index * 2^level. Precondition: level < 64 and the subtree lies within
  // size(); otherwise InvalidArgument. The default recurses down to
  // LeafHash() (2^level leaf reads); override it to serve cached hashes.
  [[nodiscard]] virtual absl::StatusOr<Hash> PerfectSubtreeHash(
      int level, uint64_t index) const;
};

// MTH(D[begin:end]) for a range that is a node of some RFC 6962 tree: begin
// is a multiple of the smallest power of two >= end - begin (so any range
// starting at 0 qualifies). Assembled from the perfect subtrees of the range,
// one per set bit of end - begin. InvalidArgument when begin >= end,
// end > reader.size() or the range is not aligned.
[[nodiscard]] absl::StatusOr<Hash> SubtreeHash(const HashReader& reader,
                                               uint64_t begin, uint64_t end);

// The root of the tree of the first `size` leaves (EmptyRoot() for 0).
// InvalidArgument when size > reader.size().
[[nodiscard]] absl::StatusOr<Hash> TreeRoot(const HashReader& reader,
                                            uint64_t size);

// The frontier of the tree of the first `size` leaves, for example to resume
// appending from stored hashes. InvalidArgument when size > reader.size().
[[nodiscard]] absl::StatusOr<Frontier> FrontierAt(const HashReader& reader,
                                                  uint64_t size);

// A HashReader over hashes held in memory, caching every perfect subtree
// (about 2n hashes for n leaves): tests, tools, and a model for a server's
// cache. Not thread-safe.
class InMemoryTree final : public HashReader {
 public:
  // Appends the leaf with hash `leaf_hash`. O(log n) amortised.
  void Append(const Hash& leaf_hash);
  // The root of the whole tree. O(log n).
  Hash Root() const { return frontier_.Root(); }

  uint64_t size() const override { return frontier_.size(); }
  [[nodiscard]] absl::StatusOr<Hash> LeafHash(uint64_t index) const override;
  [[nodiscard]] absl::StatusOr<Hash> PerfectSubtreeHash(
      int level, uint64_t index) const override;

 private:
  // levels_[l][i] = MTH of leaves [i * 2^l, (i + 1) * 2^l).
  std::vector<std::vector<Hash>> levels_;
  Frontier frontier_;
};

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_HASH_READER_H_
