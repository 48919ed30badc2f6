// audit export, proof, checkpoint and case-ref against a fake server that
// streams a real (synthetic) log.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "audit/hash_reader.h"
#include "audit/proof.h"
#include "client/audit_test_log.h"
#include "client/cli_test_fixture.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using casevault::testing::ReadFileBytes;
using testing::CliTest;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestEntry;
using testing::TestLog;

constexpr uint64_t kSize = 25;

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

class AuditCommandsTest : public CliTest {
 protected:
  // The stream ExportLog(from) sends for a log of kSize entries: the header
  // chunk, entries in chunks of `per_chunk`, the note.
  void StreamExport(uint64_t from, uint64_t per_chunk = 10) {
    std::vector<v1::ExportLogChunk>& chunks = state_.export_chunks;
    chunks.clear();
    v1::ExportLogChunk& first = chunks.emplace_back();
    first.set_from_index(from);
    const audit::Frontier frontier = TestLog::FrontierAt(from);
    for (const audit::Hash& hash : frontier.hashes()) {
      first.add_frontier(audit::HashBytes(hash));
    }
    first.set_total_entries(kSize - from);
    for (uint64_t i = from; i < kSize; ++i) {
      if ((i - from) % per_chunk == 0) chunks.emplace_back();
      chunks.back().add_entries(TestEntry(i));
    }
    chunks.emplace_back().set_signed_note(log_.Note(kSize));
  }

  void ExpectNoFile() {
    EXPECT_FALSE(Exists(out_path_));
    EXPECT_FALSE(Exists(out_path_ + ".tmp"));
  }

  // The server's answer to GetInclusionProof(index) at size kSize.
  void AnswerProof(uint64_t index) {
    audit::InMemoryTree tree;
    for (uint64_t i = 0; i < kSize; ++i) tree.Append(audit::LeafHash(TestEntry(i)));
    absl::StatusOr<audit::InclusionProof> proof = audit::ProveInclusion(tree, index, kSize);
    ASSERT_TRUE(proof.ok());
    state_.proof.set_index(index);
    state_.proof.set_tree_size(kSize);
    state_.proof.set_entry(TestEntry(index));
    for (const audit::Hash& hash : proof->hashes) state_.proof.add_hashes(audit::HashBytes(hash));
    v1::SignedCheckpoint* checkpoint = state_.proof.mutable_checkpoint();
    checkpoint->set_size(kSize);
    checkpoint->set_root_hash(audit::HashBytes(tree.Root()));
    checkpoint->set_signed_note(log_.Note(kSize));
    checkpoint->set_verifier_key(log_.key_text());
  }

  TestLog log_;
  std::string out_path_ = dir_.File("audit.export");
};

TEST_F(AuditCommandsTest, ExportWritesTheFileAsSpecifiedAndItVerifies) {
  SignIn();
  StreamExport(0);
  ASSERT_EQ(Run({"audit", "export", "--out", out_path_}), 0) << err_.str();
  EXPECT_EQ(state_.export_request.from_index(), 0u);
  EXPECT_EQ(state_.tokens_seen, std::vector<std::string>{testing::kToken});
  EXPECT_EQ(ReadFileBytes(out_path_), log_.Export(0, kSize));
  struct stat st;
  ASSERT_EQ(stat(out_path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_FALSE(Exists(out_path_ + ".tmp"));
  EXPECT_EQ(out_.str(), "exported 25 entries (seq 0 to 24) and the checkpoint of size 25 to " +
                            out_path_ + "\n");
  EXPECT_EQ(err_.str(), "");  // not a terminal: no progress

  ASSERT_EQ(Run({"audit", "verify", out_path_, "--key", log_.key_text()}), 0) << err_.str();
  EXPECT_EQ(out_.str(), absl::StrCat("verified: 25 entries, checkpoint size 25, origin ",
                                     testing::kTestLogName, "\n"));
}

TEST_F(AuditCommandsTest, ExportFromTheMiddleWithProgressOnATerminal) {
  SignIn();
  StreamExport(10, 4);
  err_is_terminal_ = true;
  ASSERT_EQ(Run({"--output", "json", "audit", "export", "--out", out_path_, "--from", "10"}), 0)
      << err_.str();
  EXPECT_EQ(state_.export_request.from_index(), 10u);
  EXPECT_EQ(ReadFileBytes(out_path_), log_.Export(10, kSize));
  EXPECT_THAT(err_.str(), StartsWith("\rexported 0/15 entries"));
  EXPECT_THAT(err_.str(), HasSubstr("\rexported 15/15 entries\n"));
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["entries"], 15);
  EXPECT_EQ(doc["checkpoint_size"], kSize);
}

TEST_F(AuditCommandsTest, ABrokenStreamLeavesNoFile) {
  SignIn();
  // No note.
  StreamExport(0);
  state_.export_chunks.pop_back();
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("without the signed checkpoint); no file was written"));
  ExpectOneErrorLine();
  ExpectNoFile();
  // An entry short.
  StreamExport(0);
  state_.export_chunks[1].mutable_entries()->RemoveLast();
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 1);
  EXPECT_THAT(err_.str(), HasSubstr("after 24 of the 25 entries announced"));
  ExpectNoFile();
  // An entry too many.
  StreamExport(0);
  state_.export_chunks[1].add_entries(TestEntry(99));
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 1);
  ExpectNoFile();
  // A frontier that does not fit `from`.
  StreamExport(6);
  state_.export_chunks[0].add_frontier(std::string(32, 'x'));
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_, "--from", "6"}), 1);
  ExpectNoFile();
  // The server fails half way.
  StreamExport(0);
  state_.export_end = absl::UnavailableError("gone");
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 8);
  ExpectNoFile();
}

TEST_F(AuditCommandsTest, AFailedExportKeepsTheOldFileAndAStaleTempFileIsNotTouched) {
  SignIn();
  std::ofstream(out_path_) << "old export";
  StreamExport(0);
  state_.export_chunks.pop_back();
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 1);
  EXPECT_EQ(ReadFileBytes(out_path_), "old export");

  std::ofstream(out_path_ + ".tmp") << "someone else's";
  StreamExport(0);
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 10);
  EXPECT_THAT(err_.str(), HasSubstr(".tmp already exists"));
  EXPECT_EQ(ReadFileBytes(out_path_ + ".tmp"), "someone else's");
  EXPECT_EQ(state_.export_request.ByteSizeLong(), 0u);  // never asked the server
  EXPECT_EQ(ReadFileBytes(out_path_), "old export");
}

TEST_F(AuditCommandsTest, ExportUsageErrors) {
  SignIn();
  EXPECT_EQ(Run({"audit", "export"}), 2);
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_, "--from", "-1"}), 2);
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_, "--from", "x"}), 2);
  ExpectNoFile();
}

TEST_F(AuditCommandsTest, ProofIsCheckedAgainstTheSignedCheckpoint) {
  SignIn();
  AnswerProof(13);
  std::ofstream(dir_.File("verifier.key")) << log_.key_text() << "\n";
  ASSERT_EQ(Run({"audit", "proof", "--index", "13", "--key", dir_.File("verifier.key")}), 0)
      << err_.str();
  EXPECT_EQ(state_.proof_request.index(), 13u);
  EXPECT_EQ(state_.proof_request.tree_size(), 0u);
  EXPECT_EQ(out_.str(), TestEntry(13) + "\nincluded in checkpoint of size 25 of " +
                            testing::kTestLogName +
                            ", signature checked with the key given with --key\n");

  ASSERT_EQ(Run({"audit", "proof", "--index", "13", "--size", "25"}), 0) << err_.str();
  EXPECT_EQ(state_.proof_request.tree_size(), 25u);
  EXPECT_THAT(out_.str(), HasSubstr("the key the server sent (not an independent check"));

  ASSERT_EQ(Run({"--output", "json", "audit", "proof", "--index", "13"}), 0) << err_.str();
  const nlohmann::json doc = nlohmann::json::parse(out_.str());
  EXPECT_EQ(doc["entry"]["seq"], 13);
  EXPECT_EQ(doc["checkpoint_size"], kSize);
  EXPECT_EQ(doc["key_source"], "server");
}

TEST_F(AuditCommandsTest, ABadProofFailsVerification) {
  SignIn();
  AnswerProof(13);
  state_.proof.set_entry(TestEntry(14));  // another entry's bytes
  EXPECT_EQ(Run({"audit", "proof", "--index", "13"}), 12);
  ExpectOneErrorLine();
  AnswerProof(13);
  std::string hash = state_.proof.hashes(1);
  hash[0] ^= 1;
  state_.proof.set_hashes(1, hash);
  EXPECT_EQ(Run({"audit", "proof", "--index", "13"}), 12);
  EXPECT_THAT(err_.str(), HasSubstr("does not lead to the root signed for size 25"));
  // Signed by another key than the one given.
  AnswerProof(13);
  const TestLog other(testing::kTestLogName, 0x22);
  EXPECT_EQ(Run({"audit", "proof", "--index", "13", "--key", other.key_text()}), 12);
  EXPECT_THAT(err_.str(), HasSubstr("not signed by"));
  // No checkpoint of that size.
  AnswerProof(13);
  state_.proof.clear_checkpoint();
  EXPECT_EQ(Run({"audit", "proof", "--index", "13", "--size", "20"}), 5);
  EXPECT_EQ(Run({"audit", "proof", "--index", "13", "--key", "nonsense+1+2"}), 2);
}

TEST_F(AuditCommandsTest, CheckpointPrintsTheNoteVerbatim) {
  SignIn();
  AnswerProof(0);
  state_.checkpoint = state_.proof.checkpoint();
  ASSERT_EQ(Run({"audit", "checkpoint", "--sign-now", "--key", log_.key_text()}), 0) << err_.str();
  EXPECT_TRUE(state_.checkpoint_request.sign_now());
  EXPECT_EQ(out_.str(), log_.Note(kSize));
  // Saved, it is a --previous for verify.
  std::ofstream(dir_.File("cp.note")) << out_.str();
  std::ofstream(out_path_) << log_.Export(0, kSize);
  ASSERT_EQ(Run({"audit", "verify", out_path_, "--key", log_.key_text(), "--previous",
                 dir_.File("cp.note")}),
            0)
      << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("consistent with the previous checkpoint of size 25"));

  state_.checkpoint.set_size(24);  // says otherwise than its note
  EXPECT_EQ(Run({"audit", "checkpoint"}), 12);
}

TEST_F(AuditCommandsTest, CaseRef) {
  SignIn();
  state_.case_ref.set_case_ref("0123456789abcdef0123456789abcdef");
  ASSERT_EQ(Run({"audit", "case-ref", "case-0001"}), 0) << err_.str();
  EXPECT_EQ(state_.case_ref_request.case_id(), "case-0001");
  EXPECT_EQ(out_.str(), "0123456789abcdef0123456789abcdef\n");
  state_.failure = FromGrpcStatus(grpc::Status(grpc::StatusCode::NOT_FOUND, "case"), "h:1");
  EXPECT_EQ(Run({"audit", "case-ref", "case-0002"}), 5);
  EXPECT_EQ(err_.str(), "casevault: case case-0002 not found (or not yours to see)\n");
}

TEST_F(AuditCommandsTest, AuditCommandsNeedASession) {
  EXPECT_EQ(Run({"audit", "export", "--out", out_path_}), 3);
  ExpectNoFile();
  EXPECT_EQ(Run({"audit", "proof", "--index", "1"}), 3);
  EXPECT_EQ(Run({"audit", "checkpoint"}), 3);
}

}  // namespace
}  // namespace casevault::client
