// Checkpoints (invariants A4-A6 of audit_trail.cc), the start-up integrity
// check, restarts, and the checkpoint timer.
#include <chrono>
#include <thread>

#include "audit/proof.h"
#include "audit_fixture.h"
#include "domain/checkpoint_timer.h"
#include "domain/stored_tree.h"
#include "gmock/gmock.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;
using testing::AuditFault;
using ::testing::ElementsAre;
using ::testing::MatchesRegex;

class CheckpointTest : public AuditTest {
 protected:
  std::vector<uint64_t> CheckpointSizes() {
    std::vector<uint64_t> sizes;
    for (const auto& c : Checkpoints()) sizes.push_back(c.size);
    return sizes;
  }
  // Each kept checkpoint is this log's, validly signed, over the stored
  // entries.
  void ExpectCheckpointsMatchTheEntries() {
    const audit::InMemoryTree tree = Rebuilt();
    for (const auto& record : Checkpoints()) {
      const audit::Checkpoint c = Open(record.signed_note);
      EXPECT_EQ(c.origin, trail_->origin());
      EXPECT_EQ(c.size, record.size);
      EXPECT_EQ(c.root, audit::TreeRoot(tree, c.size).value()) << c.size;
    }
  }
  // Signs `root` as the checkpoint of the current size with the real key:
  // what a tampered database would hold.
  void ForgeCheckpoint(const audit::Hash& root) {
    auto signer = audit::NoteSigner::New(trail_->origin(), keyring_.audit_signing_seed);
    ASSERT_OK(signer.status());
    audit::Checkpoint forged{trail_->origin(), EntryCount(), root, {}};
    storage::AuditCheckpointRecord record{forged.size,
                                          audit::SignCheckpoint(forged, **signer).value(),
                                          clock_.Now()};
    ASSERT_OK(store_->Write([&](storage::Transaction& tx) {
      return tx.audit().InsertCheckpoint(record);
    }));
  }
};

class EveryFiveTest : public CheckpointTest {
 protected:
  void SetUp() override {
    audit_options_.checkpoint_every_entries = 5;
    CheckpointTest::SetUp();
  }
};

TEST_F(CheckpointTest, OriginAndKeyNameComeFromTheSigningKey) {
  EXPECT_THAT(trail_->origin(), MatchesRegex("casevault\\.audit/[0-9a-f]{16}"));
  const audit::NoteVerifierKey key = VerifierKey();
  EXPECT_EQ(key.name, trail_->origin());
  const crypto::Sha256Digest digest = crypto::Sha256(key.public_key);
  EXPECT_EQ(trail_->origin().substr(16),
            crypto::HexEncode(std::string(digest.begin(), digest.end())).substr(0, 16));
}

TEST_F(EveryFiveTest, SignsEveryNEntriesInTheSameTransaction) {
  EXPECT_THAT(CheckpointSizes(), ElementsAre(5u));  // the fixture's 6 accounts
  while (EntryCount() < 17) ASSERT_OK(desk_->List(counselor_, {}).status());
  EXPECT_THAT(CheckpointSizes(), ElementsAre(5u, 10u, 15u));
  ExpectCheckpointsMatchTheEntries();
  // On request as well, between the multiples.
  ASSERT_OK_AND_ASSIGN(CheckpointView v, audit_desk_->GetCheckpoint(auditor_, true));
  EXPECT_EQ(v.size, 18u);  // includes its own entry
  EXPECT_THAT(CheckpointSizes(), ElementsAre(5u, 10u, 15u, 18u));
  while (EntryCount() < 23) ASSERT_OK(desk_->List(counselor_, {}).status());
  EXPECT_THAT(CheckpointSizes(), ElementsAre(5u, 10u, 15u, 18u, 23u));
  ExpectCheckpointsMatchTheEntries();
}

TEST_F(EveryFiveTest, FailsClosedWhenTheCheckpointCannotBeStored) {
  while (EntryCount() % 5 != 4) ASSERT_OK(desk_->List(counselor_, {}).status());
  const uint64_t entries = EntryCount();
  faulty_->Inject(AuditFault::kInsertCheckpoint);
  EXPECT_THAT(desk_->File(counselor_, DistinctiveCase("A")),
              StatusIs(absl::StatusCode::kUnavailable));
  faulty_->Inject(AuditFault::kNone);
  EXPECT_EQ(EntryCount(), entries);
  EXPECT_EQ(CaseCount(), 0);
  EXPECT_THAT(CheckpointSizes(), ElementsAre(5u));
}

TEST_F(EveryFiveTest, RefusesToSignWhatIsNotConsistentWithTheLatest) {
  ASSERT_OK(desk_->List(counselor_, {}).status());
  ForgeCheckpoint(audit::LeafHash("not the root"));
  EXPECT_THAT(trail_->CheckIntegrity(*store_), StatusIs(absl::StatusCode::kDataLoss));
  for (int i = 0; i < 4; ++i) ASSERT_OK(desk_->List(counselor_, {}).status());
  const uint64_t entries = EntryCount();
  const size_t checkpoints = Checkpoints().size();
  // The append that reaches N must sign, cannot, and is refused.
  EXPECT_THAT(desk_->File(counselor_, DistinctiveCase("A")),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_THAT(audit_desk_->GetCheckpoint(auditor_, true),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(EntryCount(), entries);
  EXPECT_EQ(CaseCount(), 0);
  EXPECT_EQ(Checkpoints().size(), checkpoints);
}

TEST_F(CheckpointTest, StartUpRefusesATamperedTreeState) {
  ASSERT_OK(audit_desk_->GetCheckpoint(auditor_, true).status());
  ASSERT_OK(desk_->List(counselor_, {}).status());
  EXPECT_OK(trail_->CheckIntegrity(*store_));
  // A frontier of the right size but the wrong hashes.
  audit::InMemoryTree other;
  for (uint64_t i = 0; i < EntryCount(); ++i) other.Append(audit::LeafHash("x"));
  ASSERT_OK_AND_ASSIGN(audit::Frontier wrong, audit::FrontierAt(other, other.size()));
  ASSERT_OK(store_->Write([&](storage::Transaction& tx) {
    return tx.audit().StoreTreeState({wrong.size(), wrong.Serialize()});
  }));
  EXPECT_THAT(trail_->CheckIntegrity(*store_), StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(CheckpointTest, StartUpRefusesEntriesTheTreeStateDoesNotCover) {
  ASSERT_OK(store_->Write([&](storage::Transaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(uint64_t n, tx.audit().EntryCount());
    return tx.audit().Append(n, "{}", audit::HashBytes(audit::LeafHash("{}")));
  }));
  EXPECT_THAT(trail_->CheckIntegrity(*store_),
              StatusIs(absl::StatusCode::kDataLoss, ::testing::HasSubstr("covers")));
}

// A4: every perfect subtree of level >= 4 is cached, with the right hash.
TEST_F(CheckpointTest, CachesEveryCompletedSubtree) {
  while (EntryCount() < 70) ASSERT_OK(desk_->List(counselor_, {}).status());
  const audit::InMemoryTree tree = Rebuilt();
  ASSERT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
    for (int level = 0; level <= 7; ++level) {
      for (uint64_t i = 0; i < 80; ++i) {
        absl::StatusOr<std::string> cached = tx.audit().SubtreeHash(level, i);
        const bool complete = ((i + 1) << level) <= tree.size();
        if (level >= storage::kAuditSubtreeMinLevel && complete) {
          EXPECT_OK(cached.status()) << level << " " << i;
          if (cached.ok()) {
            EXPECT_EQ(*cached, audit::HashBytes(tree.PerfectSubtreeHash(level, i).value()));
          }
        } else {
          EXPECT_THAT(cached, StatusIs(absl::StatusCode::kNotFound)) << level << " " << i;
        }
      }
    }
    // And the stored tree serves every root like the rebuilt one.
    const StoredTree stored(tx.audit(), tree.size());
    for (uint64_t size = 0; size <= tree.size(); ++size) {
      EXPECT_EQ(audit::TreeRoot(stored, size).value(), audit::TreeRoot(tree, size).value());
    }
    return absl::OkStatus();
  }));
}

TEST_F(CheckpointTest, TheLogKeepsGrowingConsistentlyAcrossRestarts) {
  ASSERT_OK(desk_->File(counselor_, DistinctiveCase("A")).status());
  ASSERT_OK_AND_ASSIGN(CheckpointView before, audit_desk_->GetCheckpoint(auditor_, true));
  const std::string key = trail_->VerifierKey();
  for (int restart = 0; restart < 2; ++restart) {
    Restart();
    EXPECT_OK(trail_->CheckIntegrity(*store_));
    EXPECT_EQ(trail_->VerifierKey(), key);
    for (int i = 0; i < 20; ++i) ASSERT_OK(desk_->List(counselor_, {}).status());
  }
  ASSERT_OK_AND_ASSIGN(CheckpointView after, audit_desk_->GetCheckpoint(auditor_, true));
  ASSERT_OK_AND_ASSIGN(ConsistencyView proof,
                       audit_desk_->GetConsistencyProof(auditor_, before.size, after.size));
  const audit::NoteVerifierKey verifier = audit::ParseVerifierKey(key).value();
  ASSERT_OK_AND_ASSIGN(audit::Checkpoint old_cp,
                       audit::OpenCheckpoint(before.signed_note, verifier));
  ASSERT_OK_AND_ASSIGN(audit::Checkpoint new_cp,
                       audit::OpenCheckpoint(after.signed_note, verifier));
  EXPECT_EQ(old_cp.size, before.size);
  EXPECT_EQ(new_cp.size, after.size);
  EXPECT_GT(new_cp.size, old_cp.size + 40);
  EXPECT_OK(audit::VerifyConsistency({proof.old_size, proof.new_size, proof.hashes},
                                     old_cp.root, new_cp.root));
  EXPECT_EQ(new_cp.root, audit::TreeRoot(Rebuilt(), new_cp.size).value());
  ExpectCheckpointsMatchTheEntries();
}

TEST_F(CheckpointTest, TimerSignsWhenTheLogGrewAndTheLatestIsOldEnough) {
  CheckpointTimer timer(*store_, *trail_, TimerThread::kManual);
  ASSERT_OK_AND_ASSIGN(bool first, timer.Tick());  // entries, no checkpoint yet
  EXPECT_TRUE(first);
  EXPECT_EQ(Checkpoints().back().size, EntryCount());
  EXPECT_FALSE(timer.Tick().value());  // nothing new
  ASSERT_OK(desk_->List(counselor_, {}).status());
  clock_.Advance(trail_->options().checkpoint_every - 1);
  EXPECT_FALSE(timer.Tick().value());  // too soon
  clock_.Advance(1);
  EXPECT_TRUE(timer.Tick().value());
  EXPECT_EQ(Checkpoints().back().size, EntryCount());
  clock_.Advance(10 * trail_->options().checkpoint_every);
  EXPECT_FALSE(timer.Tick().value());  // old, but the log did not grow
  ExpectCheckpointsMatchTheEntries();
}

TEST_F(CheckpointTest, TimerThreadSignsAndStopsCleanly) {
  auto timer = std::make_unique<CheckpointTimer>(*store_, *trail_, TimerThread::kStart);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (Checkpoints().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(Checkpoints().empty()) << "the timer never signed";
  const auto stop_started = std::chrono::steady_clock::now();
  timer->Stop();
  timer->Stop();  // idempotent
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, std::chrono::seconds(3));
  ASSERT_OK(desk_->List(counselor_, {}).status());
  clock_.Advance(10 * trail_->options().checkpoint_every);
  const size_t kept = Checkpoints().size();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(Checkpoints().size(), kept);  // stopped: no more ticks
  timer.reset();
}

}  // namespace
}  // namespace casevault::domain
