// Invariant G12 of storage/sqlcipher_store.cc and C1-C3 of
// storage/wal_checkpointer.h: the WAL is copied into the main file by the
// checkpointer thread once it holds wal_checkpoint_frames frames, the
// committer's catch-up lets it start over (at once when it is cheap, else
// after more passes, at the latest at wal_limit_frames), and a failed fsync
// in a checkpoint stops writes (G9) without losing anything acknowledged.
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fault_store_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/keyed_connection.h"
#include "storage/wal_checkpointer.h"

namespace casevault::storage::testing {
namespace {

// A WAL frame: a 4096-byte page and its 24-byte header.
constexpr uintmax_t kFrameBytes = 4096 + 24;

// Waits (up to 10 s) until `done()`; its last answer.
template <typename Done>
bool WaitUntil(Done done) {
  for (int i = 0; i < 1000 && !done(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class WalCheckpointTest : public FaultStoreTest {
 protected:
  uintmax_t WalBytes() const {
    std::error_code error;
    const uintmax_t bytes = std::filesystem::file_size(path() + "-wal", error);
    return error ? 0 : bytes;
  }
};

TEST_F(WalCheckpointTest, NothingIsCopiedBelowTheThreshold) {
  for (int i = 0; i < 30; ++i) {
    ASSERT_OK(InsertAccount("few-" + std::to_string(i)));
  }
  EXPECT_EQ(store_->stats().wal_passes, 0u);
  EXPECT_EQ(store_->stats().wal_catch_ups, 0u);
}

TEST_F(WalCheckpointTest, TheCheckpointerCopiesTheWalAndItStartsOver) {
  OpenFaulty(/*retry_ms=*/0, /*wal_frames=*/32);
  // About three frames per insert: without the WAL starting over it would
  // grow past 1000 frames.
  constexpr int kAccounts = 400;
  for (int i = 0; i < kAccounts; ++i) {
    ASSERT_OK(InsertAccount("many-" + std::to_string(i)));
  }
  const StoreStats stats = store_->stats();
  EXPECT_GE(stats.wal_passes, 3u);
  EXPECT_GE(stats.wal_catch_ups, 3u);
  EXPECT_EQ(stats.commits, static_cast<uint64_t>(kAccounts));
  // The -wal never shrinks while open (journal_size_limit = -1), so its
  // size is the most it ever held: here about 75 frames, the reserve's
  // room; the bound leaves room for a slow pass (sanitizers, a loaded
  // machine) and is still well under the 1200 frames of a WAL that never
  // started over.
  EXPECT_LT(WalBytes(), 512 * kFrameBytes)
      << WalBytes() / kFrameBytes << " frames";
  ExpectIntact();

  OpenFaulty(/*retry_ms=*/0, /*wal_frames=*/32);
  for (int i = 0; i < kAccounts; ++i) {
    EXPECT_OK(FindAccount("many-" + std::to_string(i))) << i;
  }
}

// Writers that never pause: every pass ends with frames committed after it
// began. With wal_catch_up_frames 0 each such pass is followed by another
// rather than by a catch-up, until the WAL holds wal_limit_frames; then the
// catch-up runs whatever it costs and the WAL starts over.
TEST_F(WalCheckpointTest, ACostlyCatchUpWaitsForMorePassesUpToTheLimit) {
  StoreOptions options;
  options.vfs = FaultVfs::kName;
  options.disk_full_retry_ms = 0;
  options.wal_checkpoint_frames = 32;
  options.wal_catch_up_frames = 0;
  options.wal_limit_frames = 256;
  OpenStore(options);
  constexpr int kThreads = 8;
  constexpr int kEach = 100;
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([this, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_OK(InsertAccount("busy-" + std::to_string(t) + "-" +
                                std::to_string(i)));
      }
    });
  }
  for (std::thread& writer : writers) writer.join();
  const StoreStats stats = store_->stats();
  EXPECT_GE(stats.wal_deferrals, 1u);
  EXPECT_GE(stats.wal_catch_ups, 1u);
  // Without the limit the WAL would keep every frame (three or so a
  // write, 2400 in all); the bound leaves room for the batches committed
  // while the last pass ran.
  EXPECT_LT(WalBytes(), 1024 * kFrameBytes)
      << WalBytes() / kFrameBytes << " frames";
  ExpectIntact();
  OpenStore(options);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      const std::string name =
          "busy-" + std::to_string(t) + "-" + std::to_string(i);
      EXPECT_OK(FindAccount(name)) << name;
    }
  }
}

TEST_F(WalCheckpointTest, AFailedSyncInACheckpointStopsWrites) {
  OpenFaulty(/*retry_ms=*/0, /*wal_frames=*/32);
  // In WAL mode only a checkpoint syncs the main file.
  FaultVfs::main_sync_error() = SQLITE_IOERR_FSYNC;
  std::vector<std::string> acknowledged;
  absl::Status refused;
  for (int i = 0; i < 1000 && refused.ok(); ++i) {
    const std::string name = "ckpt-" + std::to_string(i);
    refused = InsertAccount(name);
    if (refused.ok()) acknowledged.push_back(name);
  }
  EXPECT_THAT(refused,
              StatusIs(absl::StatusCode::kUnavailable, kWritesStoppedMessage));
  EXPECT_TRUE(store_->stats().writes_stopped);
  // It is the pass's own sync that fails (C4), and the pass stops writes
  // a moment before it counts as ended (C3): wait for the count.
  EXPECT_TRUE(WaitUntil([&] { return store_->stats().wal_passes >= 1; }));
  EXPECT_GE(acknowledged.size(), 1u);
  FaultVfs::Clear();
  // Nothing after a failed fsync is trusted, even with the disk fine again.
  EXPECT_THAT(InsertAccount("later"),
              StatusIs(absl::StatusCode::kUnavailable, kWritesStoppedMessage));
  EXPECT_OK(FindAccount(acknowledged.front()));  // reads keep working
  ExpectIntact();

  OpenFaulty(/*retry_ms=*/0, /*wal_frames=*/32);  // restart
  EXPECT_FALSE(store_->stats().writes_stopped);
  for (const std::string& name : acknowledged) {
    EXPECT_OK(FindAccount(name)) << name;
  }
  EXPECT_OK(InsertAccount("after"));
  ExpectIntact();
}

// The checkpointer on its own, over a WAL that nothing writes meanwhile.
class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NE(FaultVfs::Register(), nullptr);
    FaultVfs::Clear();
    auto writer = OpenKeyedConnection(path(), key_, AccessMode::kReadWriteCreate,
                                      5000, FaultVfs::kName);
    ASSERT_OK(writer.status());
    writer_ = *std::move(writer);
    ASSERT_OK(writer_->QueryText("PRAGMA journal_mode = WAL", "wal").status());
    ASSERT_OK(writer_->Exec("PRAGMA wal_autocheckpoint = 0", "no auto"));
    ASSERT_OK(writer_->Exec("CREATE TABLE t (v BLOB)", "create"));
    for (int i = 0; i < 20; ++i) {
      ASSERT_OK(writer_->Exec("INSERT INTO t VALUES (zeroblob(3000))", "fill"));
    }
  }
  void TearDown() override { FaultVfs::Clear(); }

  std::string path() const { return dir_.File("wal.db"); }
  std::unique_ptr<Connection> CheckpointerConnection() {
    auto c = OpenKeyedConnection(path(), key_, AccessMode::kReadWrite, 5000,
                                 FaultVfs::kName);
    EXPECT_OK(c.status());
    return c.ok() ? *std::move(c) : nullptr;
  }
  // Waits (up to 10 s) until `checkpointer` ended `passes` passes.
  static bool WaitForPasses(const WalCheckpointer& checkpointer,
                            uint64_t passes) {
    return WaitUntil([&] { return checkpointer.passes() >= passes; });
  }
  // One pass with every sync of the main file failing: the code reported
  // to `on_failed_sync` (0 if none) and copied_frames() after the pass.
  std::pair<int, int64_t> PassWithFailingSync() {
    int failed_code = 0;
    WalCheckpointer checkpointer(CheckpointerConnection(),
                                 [&](int code) { failed_code = code; });
    FaultVfs::main_sync_error() = SQLITE_IOERR_FSYNC;
    checkpointer.Request();
    EXPECT_TRUE(WaitForPasses(checkpointer, 1));
    return {failed_code, checkpointer.copied_frames()};
  }

  ::casevault::testing::TempDir dir_;
  crypto::SecretBytes key_ = TestKey(7);
  std::unique_ptr<Connection> writer_;
};

TEST_F(WalCheckpointerTest, APassCopiesTheWholeWalOnlyWhenAsked) {
  int failed_code = 0;
  WalCheckpointer checkpointer(CheckpointerConnection(),
                               [&](int code) { failed_code = code; });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(checkpointer.passes(), 0u);  // never on its own
  checkpointer.Request();
  ASSERT_TRUE(WaitForPasses(checkpointer, 1));
  EXPECT_EQ(failed_code, 0);
  // The writer's own checkpoint finds nothing left to copy.
  int log = -1;
  int copied = -1;
  ASSERT_EQ(sqlite3_wal_checkpoint_v2(writer_->db(), "main",
                                      SQLITE_CHECKPOINT_PASSIVE, &log, &copied),
            SQLITE_OK);
  EXPECT_GT(log, 20);
  EXPECT_EQ(copied, log);
}

TEST_F(WalCheckpointerTest, AFailedSyncIsReported) {
  // C3: the store stops writes.
  EXPECT_EQ(PassWithFailingSync().first, SQLITE_IOERR_FSYNC);
}

// C4: a pass that stops short of the WAL's end (here a reader holds an
// older snapshot, as a busy writer's next batch would) copies pages that
// SQLite does not sync; the pass syncs them itself before it ends.
class WalCheckpointerShortPassTest : public WalCheckpointerTest {
 protected:
  void SetUp() override {
    WalCheckpointerTest::SetUp();
    auto reader = OpenKeyedConnection(path(), key_, AccessMode::kReadOnly,
                                      5000, FaultVfs::kName);
    ASSERT_OK(reader.status());
    reader_ = *std::move(reader);
    ASSERT_OK(reader_->Exec("BEGIN", "begin read"));
    ASSERT_OK(reader_->QueryInt64("SELECT count(*) FROM t", "snapshot")
                  .status());
    for (int i = 0; i < 5; ++i) {
      ASSERT_OK(writer_->Exec("INSERT INTO t VALUES (zeroblob(3000))", "more"));
    }
  }
  void TearDown() override {
    if (reader_ != nullptr) reader_->Exec("ROLLBACK", "end read").IgnoreError();
    WalCheckpointerTest::TearDown();
  }
  // Frames in the WAL, and how many of them are copied, by a checkpoint of
  // the writer that copies nothing more while the reader holds its snapshot.
  std::pair<int, int> WalState() {
    int log = -1;
    int copied = -1;
    EXPECT_EQ(sqlite3_wal_checkpoint_v2(writer_->db(), "main",
                                        SQLITE_CHECKPOINT_PASSIVE, &log,
                                        &copied),
              SQLITE_OK);
    return {log, copied};
  }

  std::unique_ptr<Connection> reader_;
};

TEST_F(WalCheckpointerShortPassTest, APassSyncsWhatItCopiedShortOfTheEnd) {
  int failed_code = 0;
  WalCheckpointer checkpointer(CheckpointerConnection(),
                               [&](int code) { failed_code = code; });
  const int64_t syncs_before = FaultVfs::main_syncs();
  checkpointer.Request();
  ASSERT_TRUE(WaitForPasses(checkpointer, 1));
  EXPECT_EQ(failed_code, 0);
  const auto [log, copied] = WalState();
  ASSERT_GT(copied, 0);
  ASSERT_LT(copied, log);  // stopped short: SQLite synced nothing itself
  EXPECT_EQ(checkpointer.copied_frames(), copied);
  EXPECT_EQ(FaultVfs::main_syncs() - syncs_before, 1);
}

TEST_F(WalCheckpointerShortPassTest, AFailedSyncOfAShortPassIsReported) {
  const auto [failed_code, copied] = PassWithFailingSync();
  EXPECT_EQ(failed_code, SQLITE_IOERR_FSYNC);  // C3, C4: writes stop
  EXPECT_EQ(copied, -1);  // nothing counts as copied
}

}  // namespace
}  // namespace casevault::storage::testing
