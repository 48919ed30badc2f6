#include "audit/proof.h"

#include <string>
#include <vector>

#include "audit/hash_reader.h"
#include "audit/merkle.h"
#include "audit/reference_tree.h"
#include "audit/test_readers.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::audit {
namespace {

using ::casevault::testing::StatusIs;
using testing::FailingReader;
using testing::LeafOnlyReader;
using testing::ReferenceTree;
using testing::TestEntries;

constexpr uint64_t kMaxSize = 300;
// Up to this tree size every bit of every proof hash is flipped; above it,
// one bit per hash position (a different bit for each proof).
constexpr uint64_t kAllBitsUpTo = 16;

Hash FromHex(const char* hex) {
  std::string bytes;
  EXPECT_TRUE(crypto::HexDecode(hex, &bytes));
  auto hash = HashFromBytes(bytes);
  EXPECT_TRUE(hash.ok());
  return hash.value_or(Hash{});
}

Hash FlipBit(Hash h, size_t bit) {
  h[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  return h;
}

std::vector<size_t> BitsToFlip(uint64_t m, uint64_t n, size_t position) {
  if (n <= kAllBitsUpTo) {
    std::vector<size_t> all(256);
    for (size_t b = 0; b < 256; ++b) all[b] = b;
    return all;
  }
  return {static_cast<size_t>((m * 31 + n * 7 + position * 13) % 256)};
}

// The proof hashes with `extra` added, and with one hash removed. Which end
// alternates with `front`, so that across all proofs both ends are covered
// at half the cost.
std::vector<std::vector<Hash>> LengthMutations(const std::vector<Hash>& hashes,
                                               const Hash& extra, bool front) {
  std::vector<std::vector<Hash>> out;
  out.push_back(hashes);
  out.back().insert(front ? out.back().begin() : out.back().end(), extra);
  if (!hashes.empty()) {
    out.emplace_back(hashes.begin() + (front ? 1 : 0),
                     hashes.end() - (front ? 0 : 1));
  }
  return out;
}

// Collects mutations that verified although they must not.
class Failures {
 public:
  void Expect(const absl::Status& status, const std::string& what) {
    ++checked_;
    if (status.ok() && failures_.size() < 20) failures_.push_back(what);
  }
  void Report() const {
    EXPECT_TRUE(failures_.empty())
        << failures_.size()
        << " mutations verified, first: " << failures_.front();
    EXPECT_GT(checked_, 0u);
  }

 private:
  std::vector<std::string> failures_;
  size_t checked_ = 0;
};

std::vector<Hash> ToHashes(const std::vector<testing::RefHash>& ref) {
  return std::vector<Hash>(ref.begin(), ref.end());
}

class ProofTest : public ::testing::Test {
 protected:
  ProofTest() : ref_(TestEntries(kMaxSize)) {
    for (const std::string& e : ref_.entries()) tree_.Append(LeafHash(e));
  }
  ReferenceTree ref_;
  InMemoryTree tree_;
};

TEST_F(ProofTest, KnownInclusionProofOfLeaf5InTreeOf8) {
  ASSERT_OK_AND_ASSIGN(InclusionProof proof, ProveInclusion(tree_, 5, 8));
  const std::vector<Hash> expected = {
      FromHex(
          "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
      FromHex(
          "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
      FromHex(
          "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")};
  EXPECT_EQ(proof.hashes, expected);
  const Hash root = FromHex(
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
  EXPECT_OK(VerifyInclusion(proof, LeafHash(ref_.entries()[5]), root));
}

TEST_F(ProofTest, KnownConsistencyProofs) {
  ASSERT_OK_AND_ASSIGN(ConsistencyProof six_to_eight,
                       ProveConsistency(tree_, 6, 8));
  EXPECT_EQ(six_to_eight.hashes,
            (std::vector<Hash>{FromHex("0ebc5d3437fbe2db158b9f126a1d118e3081810"
                                       "31d0a949f8dededebc558ef6a"),
                               FromHex("ca854ea128ed050b41b35ffc1b87b8eb2bde461"
                                       "e9e3b5596ece6b9d5975a0ae0"),
                               FromHex("d37ee418976dd95753c1c73862b9398fa2a2cf9"
                                       "b4ff0fdfe8b30cd95209614b7")}));
  EXPECT_OK(VerifyConsistency(
      six_to_eight,
      FromHex(
          "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
      FromHex(
          "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")));

  ASSERT_OK_AND_ASSIGN(ConsistencyProof two_to_five,
                       ProveConsistency(tree_, 2, 5));
  EXPECT_EQ(two_to_five.hashes,
            (std::vector<Hash>{FromHex("5f083f0a1a33ca076a95279832580db3e0ef458"
                                       "4bdff1f54c8a360f50de3031e"),
                               FromHex("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6"
                                       "cf9ec5b5c283e1f4d88599e6b")}));
  EXPECT_OK(VerifyConsistency(
      two_to_five,
      FromHex(
          "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
      FromHex(
          "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4")));
}

TEST_F(ProofTest, InclusionMatchesReferenceAndEveryMutationFails) {
  Failures failures;
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    const Hash root = ref_.Mth(0, n);
    for (uint64_t m = 0; m < n; ++m) {
      ASSERT_OK_AND_ASSIGN(InclusionProof proof, ProveInclusion(tree_, m, n));
      ASSERT_EQ(proof.hashes, ToHashes(ref_.Path(m, 0, n))) << m << "/" << n;
      const Hash leaf = testing::RefLeafHash(ref_.entries()[m]);
      ASSERT_OK(VerifyInclusion(proof, leaf, root)) << m << "/" << n;

      const std::string at =
          " at " + std::to_string(m) + "/" + std::to_string(n);
      auto expect_fail = [&](const InclusionProof& p, const Hash& l,
                             const Hash& r, const std::string& what) {
        failures.Expect(VerifyInclusion(p, l, r), what + at);
      };
      InclusionProof p = proof;
      p.leaf_index = m + 1;
      expect_fail(p, leaf, root, "index+1");
      p.leaf_index = m - 1;  // wraps for m == 0: out of range, also refused
      expect_fail(p, leaf, root, "index-1");
      p = proof;
      p.tree_size = n * 2;
      expect_fail(p, leaf, root, "size*2");
      p.tree_size = n / 2;
      expect_fail(p, leaf, root, "size/2");
      // Kinds of wrong leaf and root alternate between proofs, for speed.
      const bool even = (m + n) % 2 == 0;
      if (even) {
        const Hash other = LeafHash(ref_.entries()[(m + 1) % kMaxSize]);
        expect_fail(proof, other, root, "other leaf");
      } else {
        expect_fail(proof, FlipBit(leaf, (m + n) % 256), root, "flipped leaf");
      }
      if (even || n == 1) {
        expect_fail(proof, leaf, FlipBit(root, (m * n) % 256), "flipped root");
      } else {
        expect_fail(proof, leaf, ref_.Mth(0, n - 1), "older root");
      }
      for (size_t i = 0; i < proof.hashes.size(); ++i) {
        for (size_t bit : BitsToFlip(m, n, i)) {
          p = proof;
          p.hashes[i] = FlipBit(p.hashes[i], bit);
          expect_fail(p, leaf, root, "flip hash " + std::to_string(i));
        }
      }
      for (std::vector<Hash>& hashes :
           LengthMutations(proof.hashes, leaf, even)) {
        p = proof;
        p.hashes = std::move(hashes);
        expect_fail(p, leaf, root, "length " + std::to_string(p.hashes.size()));
      }
    }
  }
  failures.Report();
}

TEST_F(ProofTest, ConsistencyMatchesReferenceAndEveryMutationFails) {
  Failures failures;
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    const Hash new_root = ref_.Mth(0, n);
    for (uint64_t m = 1; m <= n; ++m) {
      ASSERT_OK_AND_ASSIGN(ConsistencyProof proof,
                           ProveConsistency(tree_, m, n));
      ASSERT_EQ(proof.hashes, ToHashes(ref_.Proof(m, n))) << m << "->" << n;
      const Hash old_root = ref_.Mth(0, m);
      ASSERT_OK(VerifyConsistency(proof, old_root, new_root)) << m << "->" << n;

      const std::string at =
          " at " + std::to_string(m) + "->" + std::to_string(n);
      auto expect_fail = [&](const ConsistencyProof& p, const Hash& o,
                             const Hash& r, const std::string& what) {
        failures.Expect(VerifyConsistency(p, o, r), what + at);
      };
      ConsistencyProof p = proof;
      p.old_size = m + 1;
      expect_fail(p, old_root, new_root, "old size+1");
      p.old_size = m - 1;
      expect_fail(p, old_root, new_root, "old size-1");
      p = proof;
      p.new_size = n * 2;
      expect_fail(p, old_root, new_root, "new size*2");
      p.new_size = n / 2;
      expect_fail(p, old_root, new_root, "new size/2");
      // Kinds of wrong root alternate between proofs, for speed.
      const bool even = (m + n) % 2 == 0;
      if (even || m == 1) {
        expect_fail(proof, FlipBit(old_root, (m + n) % 256), new_root,
                    "flipped old root");
      } else {
        expect_fail(proof, ref_.Mth(0, m - 1), new_root, "older old root");
      }
      if (even || m == n) {
        expect_fail(proof, old_root, FlipBit(new_root, (m * n) % 256),
                    "flipped new root");
      } else {
        expect_fail(proof, new_root, old_root, "swapped roots");
      }
      for (size_t i = 0; i < proof.hashes.size(); ++i) {
        for (size_t bit : BitsToFlip(m, n, i)) {
          p = proof;
          p.hashes[i] = FlipBit(p.hashes[i], bit);
          expect_fail(p, old_root, new_root, "flip hash " + std::to_string(i));
        }
      }
      for (std::vector<Hash>& hashes :
           LengthMutations(proof.hashes, old_root, even)) {
        p = proof;
        p.hashes = std::move(hashes);
        expect_fail(p, old_root, new_root,
                    "length " + std::to_string(p.hashes.size()));
      }
    }
  }
  failures.Report();
}

TEST_F(ProofTest, LeafOnlyReaderGivesTheSameProofs) {
  LeafOnlyReader leaves(ref_.entries());
  for (uint64_t n = 1; n <= 70; ++n) {
    for (uint64_t m = 0; m < n; ++m) {
      ASSERT_OK_AND_ASSIGN(InclusionProof a, ProveInclusion(tree_, m, n));
      ASSERT_OK_AND_ASSIGN(InclusionProof b, ProveInclusion(leaves, m, n));
      ASSERT_EQ(a.hashes, b.hashes);
      ASSERT_OK_AND_ASSIGN(ConsistencyProof c,
                           ProveConsistency(tree_, m + 1, n));
      ASSERT_OK_AND_ASSIGN(ConsistencyProof d,
                           ProveConsistency(leaves, m + 1, n));
      ASSERT_EQ(c.hashes, d.hashes);
    }
  }
}

TEST_F(ProofTest, GenerationRefusesQuestionsOutsideTheDomain) {
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(ProveInclusion(tree_, 5, 5), StatusIs(kInvalid));
  EXPECT_THAT(ProveInclusion(tree_, 0, 0), StatusIs(kInvalid));
  EXPECT_THAT(ProveInclusion(tree_, 0, kMaxSize + 1), StatusIs(kInvalid));
  EXPECT_THAT(ProveConsistency(tree_, 0, 5), StatusIs(kInvalid));
  EXPECT_THAT(ProveConsistency(tree_, 6, 5), StatusIs(kInvalid));
  EXPECT_THAT(ProveConsistency(tree_, 1, kMaxSize + 1), StatusIs(kInvalid));
}

TEST_F(ProofTest, GenerationPassesOnReaderErrors) {
  FailingReader broken(10);
  EXPECT_THAT(ProveInclusion(broken, 3, 10),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_THAT(ProveConsistency(broken, 3, 10),
              StatusIs(absl::StatusCode::kUnavailable));
  // A one-leaf tree needs no hash, so nothing is read.
  EXPECT_OK(ProveInclusion(broken, 0, 1).status());
}

TEST_F(ProofTest, VerificationRefusesQuestionsOutsideTheDomain) {
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  const Hash root = ref_.Mth(0, 8);
  const Hash leaf = LeafHash(ref_.entries()[3]);
  EXPECT_THAT(VerifyInclusion({8, 8, {}}, leaf, root), StatusIs(kInvalid));
  EXPECT_THAT(VerifyInclusion({0, 0, {}}, leaf, root), StatusIs(kInvalid));
  EXPECT_THAT(VerifyInclusion({3, 8, std::vector<Hash>(65, root)}, leaf, root),
              StatusIs(kInvalid));
  EXPECT_THAT(VerifyConsistency({0, 8, {root}}, root, root),
              StatusIs(kInvalid));
  EXPECT_THAT(VerifyConsistency({9, 8, {root}}, root, root),
              StatusIs(kInvalid));
  EXPECT_THAT(
      VerifyConsistency({3, 8, std::vector<Hash>(65, root)}, root, root),
      StatusIs(kInvalid));
}

TEST_F(ProofTest, EqualSizesNeedEqualRootsAndAnEmptyProof) {
  const Hash root = ref_.Mth(0, 8);
  EXPECT_OK(VerifyConsistency({8, 8, {}}, root, root));
  EXPECT_THAT(VerifyConsistency({8, 8, {root}}, root, root),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(VerifyConsistency({8, 8, {}}, root, ref_.Mth(0, 7)),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(ProofTest, BrokenProofsAreDataLoss) {
  ASSERT_OK_AND_ASSIGN(InclusionProof inclusion, ProveInclusion(tree_, 5, 8));
  inclusion.hashes[1] = FlipBit(inclusion.hashes[1], 0);
  EXPECT_THAT(
      VerifyInclusion(inclusion, LeafHash(ref_.entries()[5]), ref_.Mth(0, 8)),
      StatusIs(absl::StatusCode::kDataLoss));
  ASSERT_OK_AND_ASSIGN(ConsistencyProof consistency,
                       ProveConsistency(tree_, 6, 8));
  consistency.hashes.pop_back();
  EXPECT_THAT(VerifyConsistency(consistency, ref_.Mth(0, 6), ref_.Mth(0, 8)),
              StatusIs(absl::StatusCode::kDataLoss));
}

// The tree of 2^64 - 1 identical leaves, served without storing it.
class HugeUniformTree final : public HashReader {
 public:
  HugeUniformTree() {
    levels_[0] = audit::LeafHash("same");
    for (int l = 1; l < 64; ++l)
      levels_[l] = NodeHash(levels_[l - 1], levels_[l - 1]);
  }
  uint64_t size() const override { return ~uint64_t{0}; }
  absl::StatusOr<Hash> LeafHash(uint64_t index) const override {
    return PerfectSubtreeHash(0, index);
  }
  absl::StatusOr<Hash> PerfectSubtreeHash(int level,
                                          uint64_t index) const override {
    if (level < 0 || level > 63 || index >= (size() >> level)) {
      return absl::InvalidArgumentError("beyond the tree");
    }
    return levels_[level];
  }

 private:
  Hash levels_[64];
};

TEST(HugeTreeProofTest, SixtyFourHashesAtTheLimitAndNoMore) {
  HugeUniformTree tree;
  const uint64_t n = ~uint64_t{0};
  ASSERT_OK_AND_ASSIGN(Hash root, TreeRoot(tree, n));
  ASSERT_OK_AND_ASSIGN(InclusionProof inclusion, ProveInclusion(tree, 1, n));
  EXPECT_EQ(inclusion.hashes.size(), 64u);
  EXPECT_OK(VerifyInclusion(inclusion, LeafHash("same"), root));
  ASSERT_OK_AND_ASSIGN(InclusionProof last, ProveInclusion(tree, n - 1, n));
  EXPECT_OK(VerifyInclusion(last, LeafHash("same"), root));

  ASSERT_OK_AND_ASSIGN(ConsistencyProof one, ProveConsistency(tree, 1, n));
  EXPECT_EQ(one.hashes.size(), 64u);
  EXPECT_OK(VerifyConsistency(one, LeafHash("same"), root));
  const uint64_t m = (uint64_t{1} << 62) + (uint64_t{1} << 40);
  ASSERT_OK_AND_ASSIGN(Hash old_root, TreeRoot(tree, m));
  ASSERT_OK_AND_ASSIGN(ConsistencyProof big, ProveConsistency(tree, m, n));
  EXPECT_OK(VerifyConsistency(big, old_root, root));
  // Above 2^63 leaves some consistency proofs would need 65 hashes; they are
  // refused rather than produced unverifiable.
  EXPECT_THAT(ProveConsistency(tree, (uint64_t{1} << 63) + 1, n),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace casevault::audit
