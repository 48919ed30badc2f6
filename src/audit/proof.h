// Merkle inclusion and consistency proofs, generated and verified exactly as
// RFC 9162 §2.1.3 and §2.1.4 define them (PATH and SUBPROOF; the
// verification algorithms of §2.1.3.2 and §2.1.4.2).
//
// Status codes:
//  - InvalidArgument: the question is outside the proofs' domain (leaf index
//    >= tree size, old size 0 or > new size, a tree size beyond the log when
//    generating) or a proof has more than kMaxProofHashes hashes.
//  - DataLoss: the proof does not prove the claim (wrong number of hashes, a
//    wrong hash, roots that do not match): the log or the proof is broken.
//  - Generation passes on a HashReader's own errors unchanged.
#ifndef CASEVAULT_AUDIT_PROOF_H_
#define CASEVAULT_AUDIT_PROOF_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "audit/hash_reader.h"
#include "audit/merkle.h"

namespace casevault::audit {

// Longer proofs are refused without being looked at.
inline constexpr size_t kMaxProofHashes = 64;

// That leaf `leaf_index` is in the tree of the first `tree_size` leaves:
// hashes is PATH(leaf_index, D[tree_size]), from the leaf's sibling upward.
struct InclusionProof {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<Hash> hashes;
};

// That the tree of `new_size` leaves extends the tree of `old_size` leaves:
// hashes is PROOF(old_size, D[new_size]) = SUBPROOF(old_size, D[new_size],
// true). Domain 0 < old_size <= new_size; for old_size == new_size the proof
// is empty and verification compares the two roots (RFC 9162 leaves that case
// out; we accept it so a caller needs no special case).
struct ConsistencyProof {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<Hash> hashes;
};

// Builds the inclusion proof of leaf `leaf_index` in the tree of `tree_size`
// leaves, reading O(log n) subtree hashes from `reader`. InvalidArgument when
// leaf_index >= tree_size or tree_size > reader.size().
[[nodiscard]] absl::StatusOr<InclusionProof> ProveInclusion(
    const HashReader& reader, uint64_t leaf_index, uint64_t tree_size);

// Builds the consistency proof from `old_size` to `new_size`.
// InvalidArgument unless 0 < old_size <= new_size <= reader.size().
[[nodiscard]] absl::StatusOr<ConsistencyProof> ProveConsistency(
    const HashReader& reader, uint64_t old_size, uint64_t new_size);

// OK when `proof` shows that the leaf with hash `leaf_hash` (LeafHash of the
// entry) is at proof.leaf_index in the tree of proof.tree_size leaves whose
// root is `root`. RFC 9162 §2.1.3.2. Codes as above.
[[nodiscard]] absl::Status VerifyInclusion(const InclusionProof& proof,
                                           const Hash& leaf_hash,
                                           const Hash& root);

// OK when `proof` shows that the tree of proof.new_size leaves with root
// `new_root` extends the tree of proof.old_size leaves with root `old_root`.
// RFC 9162 §2.1.4.2. Codes as above.
[[nodiscard]] absl::Status VerifyConsistency(const ConsistencyProof& proof,
                                             const Hash& old_root,
                                             const Hash& new_root);

}  // namespace casevault::audit

#endif  // CASEVAULT_AUDIT_PROOF_H_
