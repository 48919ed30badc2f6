// The audit log's Merkle tree as one transaction sees it: a HashReader over
// the stored leaf hashes and the perfect-subtree cache (docs/storage.md,
// "Which subtree levels are cached").
#ifndef CASEVAULT_DOMAIN_STORED_TREE_H_
#define CASEVAULT_DOMAIN_STORED_TREE_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "audit/hash_reader.h"
#include "audit/merkle.h"
#include "storage/repositories.h"

namespace casevault::domain {

// Serves the first `size` leaves of `log` (which must hold at least that
// many). Levels >= storage::kAuditSubtreeMinLevel come from the cache, one
// lookup each; lower levels are folded from at most 8 leaf hashes read in
// one call. A perfect subtree missing from the cache is DATA_LOSS: the trail
// writes every one it completes (audit_trail.cc, invariant 4). Valid only
// inside the transaction `log` belongs to.
class StoredTree final : public audit::HashReader {
 public:
  StoredTree(storage::AuditRepository& log, uint64_t size)
      : log_(log), size_(size) {}

  uint64_t size() const override { return size_; }
  [[nodiscard]] absl::StatusOr<audit::Hash> LeafHash(
      uint64_t index) const override;
  [[nodiscard]] absl::StatusOr<audit::Hash> PerfectSubtreeHash(
      int level, uint64_t index) const override;

 private:
  storage::AuditRepository& log_;
  const uint64_t size_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_STORED_TREE_H_
