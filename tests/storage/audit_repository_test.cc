// AuditRepository: dense appends, tree state, streaming scans, leaf-hash
// ranges, the subtree cache and checkpoints. Durability, rollback and
// encryption of the audit tables are in audit_durability_test.cc.
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/sql_repositories.h"
#include "storage_test_util.h"

namespace casevault::storage::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

// A distinct 32-byte "hash" per seq.
std::string Leaf(uint64_t seq) {
  std::string hash(32, '\0');
  for (size_t i = 0; i < hash.size(); ++i) {
    hash[i] = static_cast<char>((seq * 131 + i * 7) & 0xff);
  }
  return hash;
}

std::string Entry(uint64_t seq) {
  return absl::StrCat("{\"seq\":", seq, ",\"action\":\"case.view\"}");
}

class AuditRepositoryTest : public StoreTest {
 protected:
  // Appends entries [count, count + n) in one Write().
  void AppendEntries(uint64_t n) {
    MustWrite([&](Transaction& txn) -> absl::Status {
      auto count = txn.audit().EntryCount();
      if (!count.ok()) return count.status();
      for (uint64_t seq = *count; seq < *count + n; ++seq) {
        absl::Status s = txn.audit().Append(seq, Entry(seq), Leaf(seq));
        if (!s.ok()) return s;
      }
      return absl::OkStatus();
    });
  }

  uint64_t Count() {
    uint64_t count = 0;
    EXPECT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
      auto n = txn.audit().EntryCount();
      if (n.ok()) count = *n;
      return n.status();
    }));
    return count;
  }

  // The seqs and entries ScanEntries(begin, end) yields in a Read().
  absl::Status Scan(uint64_t begin, uint64_t end,
                    std::vector<AuditEntryRecord>* out) {
    return store_->Read([&](Transaction& txn) {
      return txn.audit().ScanEntries(begin, end,
                                     [&](const AuditEntryRecord& record) {
                                       out->push_back(record);
                                       return absl::OkStatus();
                                     });
    });
  }
};

TEST_F(AuditRepositoryTest, EmptyLog) {
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.audit().EntryCount(), IsOkAndHolds(uint64_t{0}));
    EXPECT_THAT(txn.audit().LeafHash(0), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(txn.audit().LeafHashes(0, 0), IsOkAndHolds(IsEmpty()));
    return absl::OkStatus();
  }));
}

TEST_F(AuditRepositoryTest, AppendsDenseSeqsAndReadsThemBack) {
  AppendEntries(3);
  AppendEntries(7);
  EXPECT_EQ(Count(), 10u);
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    for (uint64_t seq = 0; seq < 10; ++seq) {
      EXPECT_THAT(txn.audit().LeafHash(seq), IsOkAndHolds(Leaf(seq)));
    }
    EXPECT_THAT(txn.audit().LeafHash(10),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(txn.audit().LeafHash(UINT64_MAX),
                StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

TEST_F(AuditRepositoryTest, EntryBytesAreKeptExactly) {
  const std::vector<std::string> entries = {
      "", std::string("a\0b", 3), "\xff\xfe not UTF-8", "{\"k\": \"v\"} "};
  MustWrite([&](Transaction& txn) -> absl::Status {
    for (size_t i = 0; i < entries.size(); ++i) {
      absl::Status s = txn.audit().Append(i, entries[i], Leaf(i));
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  });
  std::vector<AuditEntryRecord> scanned;
  ASSERT_OK(Scan(0, entries.size(), &scanned));
  ASSERT_EQ(scanned.size(), entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(scanned[i].seq, i);
    EXPECT_TRUE(scanned[i].entry == entries[i]) << i;
    EXPECT_EQ(scanned[i].leaf_hash, Leaf(i));
  }
}

TEST_F(AuditRepositoryTest, RefusesGapsDuplicatesAndBadHashes) {
  AppendEntries(3);
  auto append = [&](uint64_t seq, const std::string& leaf) {
    return store_->Write([&](Transaction& txn) {
      return txn.audit().Append(seq, Entry(seq), leaf);
    });
  };
  EXPECT_THAT(append(4, Leaf(4)),
              StatusIs(absl::StatusCode::kFailedPrecondition));  // gap
  EXPECT_THAT(append(2, Leaf(2)),
              StatusIs(absl::StatusCode::kFailedPrecondition));  // duplicate
  EXPECT_THAT(append(0, Leaf(0)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(append(UINT64_MAX, Leaf(0)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(append(3, std::string(31, 'h')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(append(3, ""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Count(), 3u);
  EXPECT_OK(append(3, Leaf(3)));
  EXPECT_EQ(Count(), 4u);
}

TEST_F(AuditRepositoryTest, TreeStateRoundTrip) {
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    auto state = txn.audit().LoadTreeState();
    EXPECT_OK(state);
    if (state.ok()) {
      EXPECT_EQ(state->size, 0u);
      EXPECT_EQ(state->frontier, "");
    }
    return absl::OkStatus();
  }));
  // The empty tree's state can be stored too.
  MustWrite([](Transaction& txn) {
    return txn.audit().StoreTreeState({0, "\x01"});
  });
  AppendEntries(2);
  const std::string frontier("\x01\0\0\0\0\0\0\0\x02frontier", 17);
  MustWrite([&](Transaction& txn) {
    return txn.audit().StoreTreeState({2, frontier});
  });
  for (uint64_t wrong : {uint64_t{1}, uint64_t{3}}) {
    EXPECT_THAT(store_->Write([&](Transaction& txn) {
      return txn.audit().StoreTreeState({wrong, "x"});
    }),
                StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    auto state = txn.audit().LoadTreeState();
    EXPECT_OK(state);
    if (state.ok()) {
      EXPECT_EQ(state->size, 2u);
      EXPECT_TRUE(state->frontier == frontier);
    }
    return absl::OkStatus();
  }));
}

TEST_F(AuditRepositoryTest, ScanStreamsInOrder) {
  AppendEntries(100);
  std::vector<AuditEntryRecord> scanned;
  ASSERT_OK(Scan(10, 60, &scanned));
  ASSERT_EQ(scanned.size(), 50u);
  for (size_t i = 0; i < scanned.size(); ++i) {
    EXPECT_EQ(scanned[i].seq, 10 + i);
    EXPECT_EQ(scanned[i].entry, Entry(10 + i));
    EXPECT_EQ(scanned[i].leaf_hash, Leaf(10 + i));
  }
  scanned.clear();
  ASSERT_OK(Scan(0, 100, &scanned));
  EXPECT_EQ(scanned.size(), 100u);
  scanned.clear();
  ASSERT_OK(Scan(100, 100, &scanned));
  EXPECT_THAT(scanned, IsEmpty());
}

TEST_F(AuditRepositoryTest, ScanStopsAtTheSinksFirstError) {
  AppendEntries(30);
  std::vector<uint64_t> seen;
  absl::Status status = store_->Read([&](Transaction& txn) {
    return txn.audit().ScanEntries(5, 30, [&](const AuditEntryRecord& r) {
      seen.push_back(r.seq);
      if (r.seq == 7) return absl::CancelledError("enough");
      return absl::OkStatus();
    });
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kCancelled));
  EXPECT_THAT(seen, ElementsAre(5, 6, 7));
}

TEST_F(AuditRepositoryTest, ScanRangeErrorsComeBeforeTheSink) {
  AppendEntries(5);
  std::vector<AuditEntryRecord> scanned;
  EXPECT_THAT(Scan(3, 2, &scanned),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Scan(0, 6, &scanned), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Scan(6, 6, &scanned), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(scanned, IsEmpty());
}

TEST_F(AuditRepositoryTest, ScanSinkMayReadButNotNestAScan) {
  AppendEntries(4);
  absl::Status nested;
  std::vector<std::string> hashes;
  ASSERT_OK(store_->Write([&](Transaction& txn) {
    return txn.audit().ScanEntries(0, 4, [&](const AuditEntryRecord& r) {
      auto hash = txn.audit().LeafHash(r.seq);
      if (!hash.ok()) return hash.status();
      hashes.push_back(*hash);
      if (r.seq == 0) {
        nested = txn.audit().ScanEntries(
            0, 1, [](const AuditEntryRecord&) { return absl::OkStatus(); });
      }
      return absl::OkStatus();
    });
  }));
  EXPECT_THAT(nested, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(hashes, ElementsAre(Leaf(0), Leaf(1), Leaf(2), Leaf(3)));
}

// A Read() scan sees one snapshot, even while the writer appends.
TEST_F(AuditRepositoryTest, ReadScanSeesOneSnapshot) {
  AppendEntries(10);
  uint64_t calls = 0;
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    absl::Status s =
        txn.audit().ScanEntries(0, 10, [&](const AuditEntryRecord&) {
          if (calls++ == 0) AppendEntries(5);  // commits on the writer
          return absl::OkStatus();
        });
    EXPECT_THAT(txn.audit().EntryCount(), IsOkAndHolds(uint64_t{10}));
    EXPECT_THAT(txn.audit().LeafHash(10),
                StatusIs(absl::StatusCode::kNotFound));
    return s;
  }));
  EXPECT_EQ(calls, 10u);
  EXPECT_EQ(Count(), 15u);
}

TEST_F(AuditRepositoryTest, LeafHashRanges) {
  AppendEntries(20);
  std::vector<std::string> all;
  for (uint64_t seq = 0; seq < 20; ++seq) all.push_back(Leaf(seq));
  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    AuditRepository& audit = txn.audit();
    EXPECT_THAT(audit.LeafHashes(0, 20), IsOkAndHolds(ElementsAreArray(all)));
    EXPECT_THAT(audit.LeafHashes(3, 7),
                IsOkAndHolds(ElementsAre(Leaf(3), Leaf(4), Leaf(5), Leaf(6))));
    EXPECT_THAT(audit.LeafHashes(19, 20), IsOkAndHolds(ElementsAre(Leaf(19))));
    EXPECT_THAT(audit.LeafHashes(20, 20), IsOkAndHolds(IsEmpty()));
    EXPECT_THAT(audit.LeafHashes(7, 3),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(audit.LeafHashes(0, 21), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(audit.LeafHashes(0, kMaxLeafHashRange + 1),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(audit.LeafHashes(0, UINT64_MAX),
                StatusIs(absl::StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

TEST_F(AuditRepositoryTest, SubtreeCache) {
  AppendEntries(40);  // level 4: subtrees 0 and 1; level 5: subtree 0
  const std::string h0(32, 'a'), h1(32, 'b'), h5(32, 'c');
  auto put = [&](int level, uint64_t index, const std::string& hash) {
    return store_->Write([&](Transaction& txn) {
      return txn.audit().PutSubtreeHash(level, index, hash);
    });
  };
  EXPECT_OK(put(4, 0, h0));
  EXPECT_OK(put(4, 1, h1));
  EXPECT_OK(put(5, 0, h5));
  EXPECT_THAT(put(4, 0, h1), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(put(4, 2, h0), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(put(5, 1, h0), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(put(63, 0, h0), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(put(kAuditSubtreeMinLevel - 1, 0, h0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(put(64, 0, h0), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(put(4, 1, std::string(31, 'x')),
              StatusIs(absl::StatusCode::kInvalidArgument));

  ASSERT_OK(store_->Read([&](Transaction& txn) -> absl::Status {
    AuditRepository& audit = txn.audit();
    EXPECT_THAT(audit.SubtreeHash(4, 0), IsOkAndHolds(h0));
    EXPECT_THAT(audit.SubtreeHash(4, 1), IsOkAndHolds(h1));
    EXPECT_THAT(audit.SubtreeHash(5, 0), IsOkAndHolds(h5));
    EXPECT_THAT(audit.SubtreeHash(4, 2), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(audit.SubtreeHash(6, 0), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(audit.SubtreeHash(0, 0), StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(audit.SubtreeHash(4, UINT64_MAX),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(audit.SubtreeHash(-1, 0),
                StatusIs(absl::StatusCode::kInvalidArgument));
    EXPECT_THAT(audit.SubtreeHash(64, 0),
                StatusIs(absl::StatusCode::kInvalidArgument));
    return absl::OkStatus();
  }));
}

TEST_F(AuditRepositoryTest, Checkpoints) {
  auto insert = [&](uint64_t size, const std::string& note) {
    return store_->Write([&](Transaction& txn) {
      return txn.audit().InsertCheckpoint({size, note, 1000 + static_cast<int64_t>(size)});
    });
  };
  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    EXPECT_THAT(txn.audit().LatestCheckpoint(),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(txn.audit().CheckpointAt(0),
                StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
  EXPECT_OK(insert(0, "note-0"));  // the empty tree may be signed
  AppendEntries(5);
  EXPECT_OK(insert(2, "note-2"));
  EXPECT_OK(insert(5, "note-5"));
  EXPECT_THAT(insert(5, "other"), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(insert(2, "other"), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(insert(6, "ahead"),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(insert(3, "behind"),
              StatusIs(absl::StatusCode::kFailedPrecondition));

  ASSERT_OK(store_->Read([](Transaction& txn) -> absl::Status {
    auto latest = txn.audit().LatestCheckpoint();
    EXPECT_OK(latest);
    if (latest.ok()) {
      EXPECT_EQ(latest->size, 5u);
      EXPECT_EQ(latest->signed_note, "note-5");
      EXPECT_EQ(latest->created_at, 1005);
    }
    auto at2 = txn.audit().CheckpointAt(2);
    EXPECT_OK(at2);
    if (at2.ok()) {
      EXPECT_EQ(at2->size, 2u);
      EXPECT_EQ(at2->signed_note, "note-2");
    }
    EXPECT_OK(txn.audit().CheckpointAt(0));
    EXPECT_THAT(txn.audit().CheckpointAt(3),
                StatusIs(absl::StatusCode::kNotFound));
    EXPECT_THAT(txn.audit().CheckpointAt(UINT64_MAX),
                StatusIs(absl::StatusCode::kNotFound));
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace casevault::storage::testing
