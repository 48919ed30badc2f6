#include "audit/proof.h"

#include <algorithm>
#include <string>
#include <utility>

#include "common/status_macros.h"

namespace casevault::audit {
namespace {

std::string Num(uint64_t n) { return std::to_string(n); }

absl::Status CheckProofLength(size_t length) {
  if (length > kMaxProofHashes) {
    return absl::InvalidArgumentError(
        "proof has " + std::to_string(length) + " hashes; at most " +
        std::to_string(kMaxProofHashes) + " are accepted");
  }
  return absl::OkStatus();
}

bool IsPowerOfTwo(uint64_t n) { return n != 0 && (n & (n - 1)) == 0; }

// Shifts fn and sn right together until fn's lowest bit is set or fn is 0
// (RFC 9162 §2.1.3.2 step 4.b.ii, §2.1.4.2 step 6.b.ii).
void ShiftUntilOddOrZero(uint64_t& fn, uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

absl::StatusOr<InclusionProof> ProveInclusion(const HashReader& reader,
                                              uint64_t leaf_index,
                                              uint64_t tree_size) {
  if (tree_size > reader.size()) {
    return absl::InvalidArgumentError("tree size " + Num(tree_size) +
                                      " exceeds the log size " +
                                      Num(reader.size()));
  }
  if (leaf_index >= tree_size) {
    return absl::InvalidArgumentError("leaf index " + Num(leaf_index) +
                                      " is not below tree size " +
                                      Num(tree_size));
  }
  // PATH(m, D[n]) unrolled: walk from the root down to the leaf, taking the
  // sibling of each subtree the leaf is in; the proof lists them bottom-up.
  InclusionProof proof{leaf_index, tree_size, {}};
  uint64_t begin = 0;
  uint64_t end = tree_size;
  while (end - begin > 1) {
    const uint64_t k = SplitPoint(end - begin);
    if (leaf_index < begin + k) {
      ASSIGN_OR_RETURN(Hash right, SubtreeHash(reader, begin + k, end));
      proof.hashes.push_back(right);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Hash left, SubtreeHash(reader, begin, begin + k));
      proof.hashes.push_back(left);
      begin += k;
    }
  }
  std::reverse(proof.hashes.begin(), proof.hashes.end());
  RETURN_IF_ERROR(CheckProofLength(proof.hashes.size()));
  return proof;
}

absl::StatusOr<ConsistencyProof> ProveConsistency(const HashReader& reader,
                                                  uint64_t old_size,
                                                  uint64_t new_size) {
  if (new_size > reader.size()) {
    return absl::InvalidArgumentError("tree size " + Num(new_size) +
                                      " exceeds the log size " +
                                      Num(reader.size()));
  }
  if (old_size == 0 || old_size > new_size) {
    return absl::InvalidArgumentError("no consistency proof from size " +
                                      Num(old_size) + " to size " +
                                      Num(new_size));
  }
  // SUBPROOF(m, D[n], b) unrolled. `m` is old_size relative to `begin`;
  // `whole` is b: false once the walk has gone right, after which the
  // subtree equal to the old tree's part must be sent as well.
  ConsistencyProof proof{old_size, new_size, {}};
  uint64_t begin = 0;
  uint64_t end = new_size;
  uint64_t m = old_size;
  bool whole = true;
  while (m != end - begin) {
    const uint64_t k = SplitPoint(end - begin);
    if (m <= k) {
      ASSIGN_OR_RETURN(Hash right, SubtreeHash(reader, begin + k, end));
      proof.hashes.push_back(right);
      end = begin + k;
    } else {
      ASSIGN_OR_RETURN(Hash left, SubtreeHash(reader, begin, begin + k));
      proof.hashes.push_back(left);
      begin += k;
      m -= k;
      whole = false;
    }
  }
  if (!whole) {
    ASSIGN_OR_RETURN(Hash old_part, SubtreeHash(reader, begin, end));
    proof.hashes.push_back(old_part);
  }
  std::reverse(proof.hashes.begin(), proof.hashes.end());
  RETURN_IF_ERROR(CheckProofLength(proof.hashes.size()));
  return proof;
}

absl::Status VerifyInclusion(const InclusionProof& proof, const Hash& leaf_hash,
                             const Hash& root) {
  RETURN_IF_ERROR(CheckProofLength(proof.hashes.size()));
  if (proof.leaf_index >= proof.tree_size) {
    return absl::InvalidArgumentError("leaf index " + Num(proof.leaf_index) +
                                      " is not below tree size " +
                                      Num(proof.tree_size));
  }
  // RFC 9162 §2.1.3.2.
  uint64_t fn = proof.leaf_index;
  uint64_t sn = proof.tree_size - 1;
  Hash r = leaf_hash;
  for (const Hash& p : proof.hashes) {
    if (sn == 0) {
      return absl::DataLossError("inclusion proof has too many hashes");
    }
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      ShiftUntilOddOrZero(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::DataLossError("inclusion proof has too few hashes");
  }
  if (r != root) {
    return absl::DataLossError(
        "inclusion proof of leaf " + Num(proof.leaf_index) + " in tree size " +
        Num(proof.tree_size) + " does not lead to the root");
  }
  return absl::OkStatus();
}

absl::Status VerifyConsistency(const ConsistencyProof& proof,
                               const Hash& old_root, const Hash& new_root) {
  RETURN_IF_ERROR(CheckProofLength(proof.hashes.size()));
  const uint64_t first = proof.old_size;
  const uint64_t second = proof.new_size;
  if (first == 0 || first > second) {
    return absl::InvalidArgumentError("no consistency proof from size " +
                                      Num(first) + " to size " + Num(second));
  }
  if (first == second) {
    if (!proof.hashes.empty()) {
      return absl::DataLossError(
          "consistency proof between equal sizes "
          "must be empty");
    }
    if (old_root != new_root) {
      return absl::DataLossError("two different roots for tree size " +
                                 Num(first));
    }
    return absl::OkStatus();
  }
  // RFC 9162 §2.1.4.2.
  if (proof.hashes.empty()) {
    return absl::DataLossError("consistency proof is empty");
  }
  std::vector<Hash> path;
  path.reserve(proof.hashes.size() + 1);
  if (IsPowerOfTwo(first)) path.push_back(old_root);
  path.insert(path.end(), proof.hashes.begin(), proof.hashes.end());
  uint64_t fn = first - 1;
  uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = path[0];
  Hash sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Hash& c = path[i];
    if (sn == 0) {
      return absl::DataLossError("consistency proof has too many hashes");
    }
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      ShiftUntilOddOrZero(fn, sn);
    } else {
      sr = NodeHash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) {
    return absl::DataLossError("consistency proof has too few hashes");
  }
  if (fr != old_root) {
    return absl::DataLossError("consistency proof from size " + Num(first) +
                               " does not lead to the old root");
  }
  if (sr != new_root) {
    return absl::DataLossError("consistency proof to size " + Num(second) +
                               " does not lead to the new root");
  }
  return absl::OkStatus();
}

}  // namespace casevault::audit
