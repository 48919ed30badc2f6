#include "domain/stored_tree.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status_macros.h"

namespace casevault::domain {
namespace {

absl::StatusOr<audit::Hash> StoredHash(const std::string& bytes) {
  auto hash = audit::HashFromBytes(bytes);
  if (!hash.ok())
    return absl::DataLossError("a stored audit hash is not 32 bytes");
  return *hash;
}

}  // namespace

absl::StatusOr<audit::Hash> StoredTree::LeafHash(uint64_t index) const {
  if (index >= size_) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf ", index, " is beyond the tree of ", size_));
  }
  ASSIGN_OR_RETURN(std::string bytes, log_.LeafHash(index));
  return StoredHash(bytes);
}

absl::StatusOr<audit::Hash> StoredTree::PerfectSubtreeHash(
    int level, uint64_t index) const {
  if (level < 0 || level > 63 || index >= (size_ >> level)) {
    return absl::InvalidArgumentError(absl::StrCat("no perfect subtree ", index,
                                                   " at level ", level,
                                                   " in a tree of ", size_));
  }
  if (level == 0) return LeafHash(index);
  if (level >= storage::kAuditSubtreeMinLevel) {
    absl::StatusOr<std::string> cached = log_.SubtreeHash(level, index);
    if (absl::IsNotFound(cached.status())) {
      return absl::DataLossError(
          absl::StrCat("the audit subtree cache lacks subtree ", index,
                       " at level ", level));
    }
    RETURN_IF_ERROR(cached.status());
    return StoredHash(*cached);
  }
  // Fold the 2^level leaves pairwise, level by level.
  const uint64_t begin = index << level;
  ASSIGN_OR_RETURN(std::vector<std::string> leaves,
                   log_.LeafHashes(begin, begin + (uint64_t{1} << level)));
  if (leaves.size() != (size_t{1} << level)) {
    return absl::DataLossError("the audit log returned a short leaf range");
  }
  std::vector<audit::Hash> row;
  for (const std::string& bytes : leaves) {
    ASSIGN_OR_RETURN(audit::Hash hash, StoredHash(bytes));
    row.push_back(hash);
  }
  while (row.size() > 1) {
    std::vector<audit::Hash> up;
    for (size_t i = 0; i + 1 < row.size(); i += 2) {
      up.push_back(audit::NodeHash(row[i], row[i + 1]));
    }
    row = std::move(up);
  }
  return row.front();
}

}  // namespace casevault::domain
