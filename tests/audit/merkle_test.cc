#include "audit/merkle.h"

#include <string>
#include <vector>

#include "audit/hash_reader.h"
#include "audit/reference_tree.h"
#include "audit/test_readers.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::audit {
namespace {

using ::casevault::testing::StatusIs;
using testing::LeafOnlyReader;
using testing::ReferenceTree;
using testing::TestEntries;

constexpr uint64_t kMaxSize = 300;

// Roots of the first n RFC 6962 test leaves, n = 1..8.
const char* const kKnownRoots[] = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

TEST(MerkleHashTest, PrefixesAndEmptyRoot) {
  EXPECT_EQ(HashHex(EmptyRoot()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(LeafHash("abc"), crypto::Sha256(std::string("\x00", 1) + "abc"));
  const Hash l = LeafHash("l");
  const Hash r = LeafHash("r");
  EXPECT_EQ(NodeHash(l, r),
            crypto::Sha256("\x01" + HashBytes(l) + HashBytes(r)));
  EXPECT_NE(NodeHash(l, r), NodeHash(r, l));
}

TEST(MerkleHashTest, HashFromBytesNeedsExactly32Bytes) {
  const Hash h = LeafHash("x");
  ASSERT_OK_AND_ASSIGN(Hash back, HashFromBytes(HashBytes(h)));
  EXPECT_EQ(back, h);
  EXPECT_THAT(HashFromBytes(std::string(31, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(HashFromBytes(std::string(33, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MerkleHashTest, SplitPoint) {
  EXPECT_EQ(SplitPoint(2), 1u);
  EXPECT_EQ(SplitPoint(3), 2u);
  EXPECT_EQ(SplitPoint(4), 2u);
  EXPECT_EQ(SplitPoint(5), 4u);
  EXPECT_EQ(SplitPoint(uint64_t{1} << 40), uint64_t{1} << 39);
  EXPECT_EQ(SplitPoint(~uint64_t{0}), uint64_t{1} << 63);
}

TEST(FrontierTest, KnownRootsOfRfc6962TestLeaves) {
  const std::vector<std::string> entries = TestEntries(8);
  Frontier frontier;
  InMemoryTree tree;
  EXPECT_EQ(frontier.Root(), EmptyRoot());
  for (size_t n = 1; n <= 8; ++n) {
    frontier.Append(LeafHash(entries[n - 1]));
    tree.Append(LeafHash(entries[n - 1]));
    EXPECT_EQ(HashHex(frontier.Root()), kKnownRoots[n - 1]) << n;
    EXPECT_EQ(HashHex(tree.Root()), kKnownRoots[n - 1]) << n;
  }
  for (size_t n = 1; n <= 8; ++n) {
    ASSERT_OK_AND_ASSIGN(Hash root, TreeRoot(tree, n));
    EXPECT_EQ(HashHex(root), kKnownRoots[n - 1]) << n;
  }
}

TEST(FrontierTest, MatchesReferenceForEverySize) {
  ReferenceTree ref(TestEntries(kMaxSize));
  Frontier frontier;
  for (uint64_t n = 1; n <= kMaxSize; ++n) {
    frontier.Append(LeafHash(ref.entries()[n - 1]));
    ASSERT_EQ(frontier.size(), n);
    ASSERT_EQ(frontier.hashes().size(),
              static_cast<size_t>(__builtin_popcountll(n)));
    ASSERT_EQ(frontier.Root(), ref.Mth(0, n)) << n;
  }
}

TEST(FrontierTest, SerializeRestoreAndKeepAppending) {
  const std::vector<std::string> entries = TestEntries(kMaxSize);
  ReferenceTree ref(entries);
  Frontier frontier;
  for (uint64_t n = 0; n <= kMaxSize; ++n) {
    const std::string bytes = frontier.Serialize();
    EXPECT_EQ(bytes.size(), 9 + 32 * frontier.hashes().size());
    ASSERT_OK_AND_ASSIGN(Frontier restored, Frontier::Deserialize(bytes));
    EXPECT_EQ(restored.size(), n);
    EXPECT_EQ(restored.hashes(), frontier.hashes());
    EXPECT_EQ(restored.Serialize(), bytes);
    // A restarted log keeps growing to the same roots (checked for up to 16
    // more entries to keep this quadratic walk short).
    for (uint64_t m = n; m < kMaxSize && m < n + 16; ++m) {
      restored.Append(LeafHash(entries[m]));
      ASSERT_EQ(restored.Root(), ref.Mth(0, m + 1)) << n << " -> " << m + 1;
    }
    if (n < kMaxSize) frontier.Append(LeafHash(entries[n]));
  }
}

TEST(FrontierTest, DeserializeRejectsMalformedBytes) {
  Frontier frontier;
  for (int i = 0; i < 5; ++i) frontier.Append(LeafHash(std::to_string(i)));
  const std::string good = frontier.Serialize();  // size 5: two hashes
  ASSERT_OK(Frontier::Deserialize(good).status());
  std::string bad_version = good;
  bad_version[0] = 2;
  const std::string wrong_size =
      good.substr(0, 8) + "\x06" + good.substr(9);  // size 6 also 2 hashes
  const std::string odd_size = good.substr(0, 8) + "\x07" + good.substr(9);
  for (const std::string& bad :
       {std::string(), std::string("\x01", 1), good.substr(0, 8),
        good.substr(0, good.size() - 1), good + "x", bad_version, odd_size}) {
    EXPECT_THAT(Frontier::Deserialize(bad),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << bad.size();
  }
  // Same length, different size: it parses, and even has the same root (the
  // root does not encode the size), which is why the owner must compare
  // size() with its count of stored entries after restoring.
  ASSERT_OK_AND_ASSIGN(Frontier other, Frontier::Deserialize(wrong_size));
  EXPECT_EQ(other.size(), 6u);
  EXPECT_EQ(other.Root(), frontier.Root());
}

TEST(FrontierTest, FromHashesChecksCount) {
  EXPECT_THAT(Frontier::FromHashes(3, {LeafHash("a")}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(Frontier::FromHashes(0, {}).status());
  EXPECT_OK(Frontier::FromHashes(4, {LeafHash("a")}).status());
}

TEST(HashReaderTest, FrontierAtMatchesAppendedFrontier) {
  const std::vector<std::string> entries = TestEntries(kMaxSize);
  InMemoryTree tree;
  for (const std::string& e : entries) tree.Append(LeafHash(e));
  LeafOnlyReader leaves(entries);
  Frontier frontier;
  for (uint64_t n = 0; n <= kMaxSize; ++n) {
    ASSERT_OK_AND_ASSIGN(Frontier at, FrontierAt(tree, n));
    EXPECT_EQ(at.hashes(), frontier.hashes()) << n;
    ASSERT_OK_AND_ASSIGN(Hash root, TreeRoot(leaves, n));
    EXPECT_EQ(root, frontier.Root()) << n;
    if (n < kMaxSize) frontier.Append(LeafHash(entries[n]));
  }
  EXPECT_THAT(FrontierAt(tree, kMaxSize + 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TreeRoot(tree, kMaxSize + 1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(HashReaderTest, CachedSubtreesMatchDefaultRecursion) {
  const std::vector<std::string> entries = TestEntries(100);
  InMemoryTree tree;
  for (const std::string& e : entries) tree.Append(LeafHash(e));
  LeafOnlyReader leaves(entries);
  for (int level = 0; level < 7; ++level) {
    for (uint64_t i = 0; ((i + 1) << level) <= 100; ++i) {
      ASSERT_OK_AND_ASSIGN(Hash cached, tree.PerfectSubtreeHash(level, i));
      ASSERT_OK_AND_ASSIGN(Hash computed, leaves.PerfectSubtreeHash(level, i));
      EXPECT_EQ(cached, computed) << level << " " << i;
    }
  }
  // Beyond the tree, for both.
  for (const HashReader* reader : {static_cast<const HashReader*>(&tree),
                                   static_cast<const HashReader*>(&leaves)}) {
    EXPECT_FALSE(reader->PerfectSubtreeHash(2, 25).ok());  // leaves 100..103
    EXPECT_FALSE(reader->PerfectSubtreeHash(7, 0).ok());
    EXPECT_FALSE(reader->PerfectSubtreeHash(-1, 0).ok());
    EXPECT_FALSE(reader->PerfectSubtreeHash(64, 0).ok());
    EXPECT_FALSE(reader->LeafHash(100).ok());
  }
}

TEST(HashReaderTest, SubtreeHashChecksRanges) {
  ReferenceTree ref(TestEntries(20));
  InMemoryTree tree;
  for (const std::string& e : ref.entries()) tree.Append(LeafHash(e));
  ASSERT_OK_AND_ASSIGN(Hash h, SubtreeHash(tree, 16, 20));
  EXPECT_EQ(h, ref.Mth(16, 20));
  ASSERT_OK_AND_ASSIGN(h, SubtreeHash(tree, 8, 11));
  EXPECT_EQ(h, ref.Mth(8, 11));
  ASSERT_OK_AND_ASSIGN(h, SubtreeHash(tree, 0, 13));
  EXPECT_EQ(h, ref.Mth(0, 13));
  for (auto [begin, end] : std::vector<std::pair<uint64_t, uint64_t>>{
           {3, 3}, {4, 3}, {0, 21}, {16, 21}, {2, 5}, {4, 9}, {12, 20}}) {
    EXPECT_THAT(SubtreeHash(tree, begin, end),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << begin << ", " << end;
  }
}

}  // namespace
}  // namespace casevault::audit
