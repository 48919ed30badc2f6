#include "audit/hash_reader.h"

#include <string>
#include <utility>

#include "absl/numeric/bits.h"
#include "absl/status/status.h"
#include "common/status_macros.h"

namespace casevault::audit {
namespace {

constexpr uint64_t kTopBit = uint64_t{1} << 63;

std::string RangeText(uint64_t begin, uint64_t end) {
  return "[" + std::to_string(begin) + ", " + std::to_string(end) + ")";
}

// The perfect subtrees that make up the node range [begin, begin + width),
// largest first. The caller has checked the range is aligned.
absl::StatusOr<std::vector<Hash>> PerfectPieces(const HashReader& reader,
                                                uint64_t begin,
                                                uint64_t width) {
  std::vector<Hash> pieces;
  uint64_t position = begin;
  for (int level = 63; level >= 0; --level) {
    const uint64_t piece = uint64_t{1} << level;
    if ((width & piece) == 0) continue;
    ASSIGN_OR_RETURN(Hash hash,
                     reader.PerfectSubtreeHash(level, position >> level));
    pieces.push_back(hash);
    position += piece;
  }
  return pieces;
}

}  // namespace

absl::StatusOr<Hash> HashReader::PerfectSubtreeHash(int level,
                                                    uint64_t index) const {
  if (level < 0 || level > 63 || index >= (size() >> level)) {
    return absl::InvalidArgumentError(
        "no perfect subtree " + std::to_string(index) + " at level " +
        std::to_string(level) + " in a tree of " + std::to_string(size()));
  }
  if (level == 0) return LeafHash(index);
  // Virtual calls, so that an override caching some levels serves them.
  ASSIGN_OR_RETURN(Hash left, PerfectSubtreeHash(level - 1, 2 * index));
  ASSIGN_OR_RETURN(Hash right, PerfectSubtreeHash(level - 1, 2 * index + 1));
  return NodeHash(left, right);
}

absl::StatusOr<Hash> SubtreeHash(const HashReader& reader, uint64_t begin,
                                 uint64_t end) {
  if (begin >= end || end > reader.size()) {
    return absl::InvalidArgumentError("subtree " + RangeText(begin, end) +
                                      " is empty or beyond the tree of " +
                                      std::to_string(reader.size()));
  }
  const uint64_t width = end - begin;
  if (begin != 0 && (width > kTopBit || begin % absl::bit_ceil(width) != 0)) {
    return absl::InvalidArgumentError("range " + RangeText(begin, end) +
                                      " is not a node of the tree");
  }
  ASSIGN_OR_RETURN(std::vector<Hash> pieces,
                   PerfectPieces(reader, begin, width));
  Hash hash = pieces.back();
  for (size_t i = pieces.size() - 1; i-- > 0;) {
    hash = NodeHash(pieces[i], hash);
  }
  return hash;
}

absl::StatusOr<Hash> TreeRoot(const HashReader& reader, uint64_t size) {
  if (size > reader.size()) {
    return absl::InvalidArgumentError("tree size " + std::to_string(size) +
                                      " exceeds the log size " +
                                      std::to_string(reader.size()));
  }
  if (size == 0) return EmptyRoot();
  return SubtreeHash(reader, 0, size);
}

absl::StatusOr<Frontier> FrontierAt(const HashReader& reader, uint64_t size) {
  if (size > reader.size()) {
    return absl::InvalidArgumentError("tree size " + std::to_string(size) +
                                      " exceeds the log size " +
                                      std::to_string(reader.size()));
  }
  ASSIGN_OR_RETURN(std::vector<Hash> pieces, PerfectPieces(reader, 0, size));
  return Frontier::FromHashes(size, std::move(pieces));
}

void InMemoryTree::Append(const Hash& leaf_hash) {
  frontier_.Append(leaf_hash);
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // Completing a pair at one level completes a node at the next.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (level + 1 == levels_.size()) levels_.emplace_back();
    const std::vector<Hash>& below = levels_[level];
    levels_[level + 1].push_back(
        NodeHash(below[below.size() - 2], below.back()));
  }
}

absl::StatusOr<Hash> InMemoryTree::LeafHash(uint64_t index) const {
  return PerfectSubtreeHash(0, index);
}

absl::StatusOr<Hash> InMemoryTree::PerfectSubtreeHash(int level,
                                                      uint64_t index) const {
  if (level < 0 || static_cast<size_t>(level) >= levels_.size() ||
      index >= levels_[level].size()) {
    return absl::InvalidArgumentError(
        "no perfect subtree " + std::to_string(index) + " at level " +
        std::to_string(level) + " in a tree of " + std::to_string(size()));
  }
  return levels_[level][index];
}

}  // namespace casevault::audit
