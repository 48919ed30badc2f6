// The offline export verifier against real exports built in memory: a good
// export passes; every kind of tampering fails, naming what is wrong.
#include "client/export_verifier.h"

#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/audit_test_log.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault::client {
namespace {

using casevault::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestEntry;
using testing::TestLog;

constexpr uint64_t kSize = 37;

class ExportVerifierTest : public ::testing::Test {
 protected:
  absl::StatusOr<VerifiedExport> Verify(const std::string& file,
                                        const audit::Checkpoint* previous = nullptr) {
    std::istringstream in(file);
    return VerifyExport(in, log_.key(), previous);
  }
  absl::StatusOr<PreviousCheckpoint> Previous(const std::string& file) {
    std::istringstream in(file);
    return ReadPreviousCheckpoint(in, log_.key());
  }
  audit::Checkpoint CheckpointOf(uint64_t size) {
    absl::StatusOr<audit::Checkpoint> checkpoint =
        audit::OpenCheckpoint(log_.Note(size), log_.key());
    EXPECT_TRUE(checkpoint.ok());
    return *checkpoint;
  }
  // The export with entry line `seq` replaced by `line`.
  std::string WithEntry(uint64_t seq, const std::string& line) {
    std::string file = log_.Export(0, kSize);
    return absl::StrReplaceAll(file, {{TestEntry(seq) + "\n", line}});
  }
  void ExpectFailure(const std::string& file, const std::string& message,
                     const audit::Checkpoint* previous = nullptr) {
    absl::StatusOr<VerifiedExport> verified = Verify(file, previous);
    EXPECT_THAT(verified, StatusIs(absl::StatusCode::kDataLoss, HasSubstr(message)));
  }

  TestLog log_;
};

TEST_F(ExportVerifierTest, AGoodExportPasses) {
  absl::StatusOr<VerifiedExport> verified = Verify(log_.Export(0, kSize));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->from, 0u);
  EXPECT_EQ(verified->entries, kSize);
  EXPECT_EQ(verified->checkpoint.size, kSize);
  EXPECT_EQ(verified->checkpoint.origin, testing::kTestLogName);
  EXPECT_EQ(verified->checkpoint.root, TestLog::FrontierAt(kSize).Root());
  EXPECT_FALSE(verified->previous.has_value());
}

TEST_F(ExportVerifierTest, EverySizeUpToSeventeenPasses) {
  for (uint64_t size = 0; size <= 17; ++size) {
    EXPECT_TRUE(Verify(log_.Export(0, size)).ok()) << size;
  }
}

TEST_F(ExportVerifierTest, OneByteChangedInAnEntry) {
  // Still a valid entry: only the root can tell.
  std::string altered = TestEntry(20);
  altered[altered.find("user-") + 5] = 'X';
  ExpectFailure(WithEntry(20, altered + "\n"), "does not match the root the checkpoint");
  // No longer a valid entry: the line is named.
  std::string broken = TestEntry(20);
  broken[broken.find("\"time\"") + 1] = 'T';
  ExpectFailure(WithEntry(20, broken + "\n"), "line 22 (entry seq 20): malformed audit entry");
}

TEST_F(ExportVerifierTest, ANonCanonicalEntryIsRefused) {
  std::string spelled = absl::StrReplaceAll(TestEntry(4), {{"school-test", "\\u0073chool-test"}});
  ExpectFailure(WithEntry(4, spelled + "\n"), "line 6 (entry seq 4)");
  ExpectFailure(WithEntry(4, TestEntry(4) + "\r\n"), "line 6 (entry seq 4)");
}

TEST_F(ExportVerifierTest, AnEntryDeleted) {
  ExpectFailure(WithEntry(9, ""),
                "line 11 (entry seq 9): it has seq 10, expected 9: entry seq 9 is missing");
  // The last entry: the checkpoint signs more than the file holds.
  ExpectFailure(WithEntry(kSize - 1, ""),
                "signs 37 entries, but the file ends before entry seq 36");
}

TEST_F(ExportVerifierTest, TwoEntriesSwapped) {
  std::string file = log_.Export(0, kSize);
  file = absl::StrReplaceAll(file, {{TestEntry(5) + "\n" + TestEntry(6) + "\n",
                                     TestEntry(6) + "\n" + TestEntry(5) + "\n"}});
  ExpectFailure(file, "line 7 (entry seq 5): it has seq 6, expected 5");
}

TEST_F(ExportVerifierTest, AForgedEntryAppended) {
  std::string file = log_.Export(0, kSize);
  const size_t note = file.find(testing::kTestLogName);
  file.insert(note, TestEntry(kSize) + "\n");
  ExpectFailure(file,
                "signs 37 entries, but the file holds entries up to seq 37: line 39 are "
                "not covered by the signature");
}

TEST_F(ExportVerifierTest, TruncatedFiles) {
  const std::string file = log_.Export(0, kSize);
  const size_t note = file.find(testing::kTestLogName);
  // Mid-entry.
  ExpectFailure(file.substr(0, note - 10),
                "line 38 (entry seq 36): the file ends inside this entry");
  // Right before the note.
  ExpectFailure(file.substr(0, note),
                "line 39: the file ends after entry seq 36, without the "
                "signed checkpoint");
  // Mid-note: in the text, and in the signature line.
  ExpectFailure(file.substr(0, note + 20), "line 39: the signed checkpoint: ");
  ExpectFailure(file.substr(0, note + 40), "line 39: the signed checkpoint: ");
  ExpectFailure(file.substr(0, file.size() - 10), "line 39: the signed checkpoint: ");
  // Only the header; nothing at all.
  ExpectFailure(file.substr(0, file.find('\n') + 1), "line 2: the file ends after the header");
  ExpectFailure("", "line 1: the file is empty");
  ExpectFailure(file.substr(0, 20), "line 1: the file ends inside the export header");
}

TEST_F(ExportVerifierTest, ACheckpointSignedByAnotherKey) {
  const TestLog other(testing::kTestLogName, 0x22);
  std::string file = log_.Export(0, kSize);
  file = file.substr(0, file.find(testing::kTestLogName)) + other.Note(kSize);
  ExpectFailure(file, "line 39: the signed checkpoint: ");
  ExpectFailure(file, "not signed by");
  // Another key with another name: the origin is not the key's either.
  const TestLog stranger("someone.else/log", 0x22);
  file = file.substr(0, file.find(testing::kTestLogName)) + stranger.Note(kSize);
  ExpectFailure(file, "line 39: ");
}

TEST_F(ExportVerifierTest, ADamagedLineBeforeMoreEntries) {
  std::string damaged = TestEntry(3);
  damaged[0] = '[';
  ExpectFailure(WithEntry(3, damaged + "\n"),
                "line 5: neither an entry (it does not start with '{') nor the start of the "
                "signed checkpoint");
}

TEST_F(ExportVerifierTest, NonCanonicalHeaders) {
  const std::string body = log_.Export(0, kSize).substr(log_.Export(0, kSize).find('\n'));
  for (const std::string header : {
           R"({"format":"casevault-audit-export/v1", "from":0,"frontier":[]})",
           R"({"from":0,"format":"casevault-audit-export/v1","frontier":[]})",
           R"({"format":"casevault-audit-export/v1","from":00,"frontier":[]})",
           R"({"format":"casevault-audit-export/v2","from":0,"frontier":[]})",
           R"({"format":"casevault-audit-export/v1","from":0,"frontier":[]} )",
           R"({"format":"casevault-audit-export/v1","from":-0,"frontier":[]})",
           R"({"format":"casevault-audit-export/v1","from":0})",
       }) {
    ExpectFailure(header + body, "line 1: not the canonical export header");
  }
}

TEST_F(ExportVerifierTest, FromMiddleNeedsAPreviousCheckpointOfThatSize) {
  const std::string file = log_.Export(20, kSize);
  ExpectFailure(file, "line 1: the export starts at entry 20, and nothing signed vouches");

  const audit::Checkpoint at_20 = CheckpointOf(20);
  absl::StatusOr<VerifiedExport> verified = Verify(file, &at_20);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->from, 20u);
  EXPECT_EQ(verified->entries, kSize - 20);

  const audit::Checkpoint at_10 = CheckpointOf(10);
  ExpectFailure(file, "the previous checkpoint has size 10 but the export starts at entry 20",
                &at_10);
  const audit::Checkpoint at_30 = CheckpointOf(30);
  ExpectFailure(file, "the previous checkpoint has size 30 but the export starts at entry 20",
                &at_30);
}

TEST_F(ExportVerifierTest, AForgedFrontierDoesNotMatchThePreviousCheckpoint) {
  // Entries 20.. of a log whose first 20 entries were different: the header
  // frontier and the checkpoint are consistent with each other, not with
  // the checkpoint of size 20 the auditor holds.
  audit::Frontier forged;
  for (int i = 0; i < 20; ++i) forged.Append(audit::LeafHash(TestEntry(100 + i)));
  const audit::Hash forged_prefix_root = forged.Root();
  std::string file = FormatExportHeader(20, forged.hashes()) + "\n";
  for (uint64_t i = 20; i < kSize; ++i) {
    file += TestEntry(i) + "\n";
    forged.Append(audit::LeafHash(TestEntry(i)));
  }
  file += log_.NoteFor(kSize, forged.Root());
  ASSERT_NE(forged_prefix_root, TestLog::FrontierAt(20).Root());
  EXPECT_TRUE(Verify(file, nullptr).status().message().find("line 1") == 0);
  const audit::Checkpoint at_20 = CheckpointOf(20);
  ExpectFailure(file,
                "line 1: the header's frontier (the log before entry 20) does not lead to "
                "the previous checkpoint's root",
                &at_20);
}

TEST_F(ExportVerifierTest, PreviousCheckpointFromZero) {
  const std::string file = log_.Export(0, kSize);
  for (uint64_t p : {uint64_t{0}, uint64_t{1}, uint64_t{20}, kSize}) {
    const audit::Checkpoint previous = CheckpointOf(p);
    absl::StatusOr<VerifiedExport> verified = Verify(file, &previous);
    ASSERT_TRUE(verified.ok()) << p << ": " << verified.status();
    EXPECT_EQ(verified->previous->size, p);
  }
}

TEST_F(ExportVerifierTest, ThePreviousCheckpointIsLarger) {
  const audit::Checkpoint previous = CheckpointOf(kSize + 5);
  ExpectFailure(log_.Export(0, kSize),
                "the log shrank: the previous checkpoint has size 42, "
                "this export's checkpoint 37",
                &previous);
}

TEST_F(ExportVerifierTest, TheLogWasRewrittenSinceThePreviousCheckpoint) {
  // A checkpoint of size 20 over other entries, validly signed: the server
  // once signed a history it later replaced.
  audit::Frontier other;
  for (int i = 0; i < 20; ++i) other.Append(audit::LeafHash(TestEntry(500 + i)));
  absl::StatusOr<audit::Checkpoint> previous =
      audit::OpenCheckpoint(log_.NoteFor(20, other.Root()), log_.key());
  ASSERT_TRUE(previous.ok());
  ExpectFailure(log_.Export(0, kSize),
                "the tree of the first 20 entries (lines 2-21) does not "
                "have the previous checkpoint's root",
                &*previous);
}

TEST_F(ExportVerifierTest, AnAlteredEntryIsPlacedAgainstThePreviousCheckpoint) {
  std::string early = TestEntry(5);
  early[early.find("user-") + 5] = 'X';
  std::string late = TestEntry(30);
  late[late.find("user-") + 5] = 'X';
  const audit::Checkpoint previous = CheckpointOf(20);
  ExpectFailure(WithEntry(5, early + "\n"),
                "the first 20 entries do not match the previous checkpoint either: a fault is "
                "within lines 2-21",
                &previous);
  ExpectFailure(WithEntry(30, late + "\n"),
                "the first 20 entries match the previous checkpoint, so the fault is after "
                "lines 2-21",
                &previous);
}

TEST_F(ExportVerifierTest, PreviousIsABareNoteOrAnExport) {
  absl::StatusOr<PreviousCheckpoint> note = Previous(log_.Note(12));
  ASSERT_TRUE(note.ok()) << note.status();
  EXPECT_FALSE(note->from_export);
  EXPECT_EQ(note->checkpoint.size, 12u);

  absl::StatusOr<PreviousCheckpoint> exported = Previous(log_.Export(0, 12));
  ASSERT_TRUE(exported.ok()) << exported.status();
  EXPECT_TRUE(exported->from_export);
  EXPECT_EQ(exported->checkpoint, note->checkpoint);
  // An export from the middle is used for its signed checkpoint only.
  ASSERT_TRUE(Previous(log_.Export(8, 12)).ok());

  const TestLog other(testing::kTestLogName, 0x22);
  EXPECT_THAT(Previous(other.Note(12)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not signed by")));
  EXPECT_THAT(Previous(""), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("empty")));
  EXPECT_THAT(Previous("hello\n"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("not a valid signed checkpoint")));
}

TEST_F(ExportVerifierTest, APreviousExportWhoseEntriesWereAlteredFails) {
  std::string older = log_.Export(0, 12);
  std::string altered = TestEntry(7);
  altered[altered.find("user-") + 5] = 'X';
  older = absl::StrReplaceAll(older, {{TestEntry(7), altered}});
  EXPECT_THAT(Previous(older), StatusIs(absl::StatusCode::kDataLoss,
                                        HasSubstr("does not match the root the checkpoint")));
}

TEST_F(ExportVerifierTest, AnEntryLongerThanTheLimit) {
  const std::string file = log_.Export(0, 3);
  std::string huge = "{" + std::string(20000, 'a') + "\n";
  std::string bad = absl::StrReplaceAll(file, {{TestEntry(1) + "\n", huge}});
  ExpectFailure(bad, "line 3 (entry seq 1): longer than 16 KiB");
}

}  // namespace
}  // namespace casevault::client
