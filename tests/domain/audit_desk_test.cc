// The auditor's desk: proofs verify, exports rebuild the signed root, and
// only the roles the policy names get anything.
#include "domain/audit_desk.h"

#include "audit/proof.h"
#include "audit_fixture.h"
#include "gmock/gmock.h"

namespace casevault::domain {
namespace {

using ::casevault::testing::StatusIs;

struct Export {
  std::vector<ExportChunk::Kind> kinds;
  uint64_t from = 0, total = 0;
  std::vector<audit::Hash> frontier;
  std::vector<std::string> entries;
  std::string note;
};

class AuditDeskTest : public AuditTest {
 protected:
  void SetUp() override {
    desk_options_.export_chunk_bytes = 2048;  // several chunks per export
    AuditTest::SetUp();
    for (int i = 0; i < 30; ++i) ASSERT_OK(desk_->List(counselor_, {}).status());
  }

  absl::StatusOr<Export> RunExport(const Caller& caller, uint64_t from) {
    Export out;
    absl::Status s = audit_desk_->ExportLog(caller, from, [&](const ExportChunk& c) {
      out.kinds.push_back(c.kind);
      switch (c.kind) {
        case ExportChunk::Kind::kStart:
          out.from = c.from;
          out.total = c.total_entries;
          out.frontier = c.frontier;
          break;
        case ExportChunk::Kind::kEntries:
          EXPECT_FALSE(c.entries.empty());
          for (const auto& e : c.entries) out.entries.push_back(e);
          break;
        case ExportChunk::Kind::kEnd:
          out.note = c.signed_note;
          break;
      }
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return out;
  }
};

TEST_F(AuditDeskTest, InclusionProofsVerifyAgainstTheSignedCheckpoint) {
  ASSERT_OK_AND_ASSIGN(CheckpointView cp, audit_desk_->GetCheckpoint(auditor_, true));
  EXPECT_EQ(cp.verifier_key, trail_->VerifierKey());
  const audit::Checkpoint opened = Open(cp.signed_note);
  EXPECT_EQ(opened.root, cp.root);
  for (uint64_t i = 0; i < cp.size; ++i) {
    ASSERT_OK_AND_ASSIGN(InclusionView proof, audit_desk_->GetInclusionProof(auditor_, i, 0));
    EXPECT_EQ(proof.tree_size, cp.size);
    ASSERT_TRUE(proof.checkpoint.has_value());
    EXPECT_EQ(proof.checkpoint->signed_note, cp.signed_note);
    ASSERT_OK_AND_ASSIGN(audit::AuditEntry entry, audit::ParseEntry(proof.entry));
    EXPECT_EQ(entry.seq, i);
    EXPECT_OK(audit::VerifyInclusion({proof.index, proof.tree_size, proof.hashes},
                                     audit::LeafHash(proof.entry), opened.root))
        << i;
  }
  // A size nobody signed: a proof, without a checkpoint.
  ASSERT_OK_AND_ASSIGN(InclusionView unsigned_size,
                       audit_desk_->GetInclusionProof(auditor_, 3, 7));
  EXPECT_FALSE(unsigned_size.checkpoint.has_value());
  EXPECT_OK(audit::VerifyInclusion({3, 7, unsigned_size.hashes},
                                   audit::LeafHash(unsigned_size.entry),
                                   audit::TreeRoot(Rebuilt(), 7).value()));
}

TEST_F(AuditDeskTest, ConsistencyProofsVerify) {
  ASSERT_OK_AND_ASSIGN(CheckpointView old_cp, audit_desk_->GetCheckpoint(auditor_, true));
  for (int i = 0; i < 21; ++i) ASSERT_OK(desk_->List(counselor_, {}).status());
  ASSERT_OK_AND_ASSIGN(CheckpointView new_cp, audit_desk_->GetCheckpoint(auditor_, true));
  ASSERT_OK_AND_ASSIGN(ConsistencyView proof,
                       audit_desk_->GetConsistencyProof(auditor_, old_cp.size, 0));
  EXPECT_EQ(proof.new_size, new_cp.size);
  EXPECT_OK(audit::VerifyConsistency({proof.old_size, proof.new_size, proof.hashes},
                                     old_cp.root, new_cp.root));
}

TEST_F(AuditDeskTest, ProofQuestionsOutsideTheLogAreInvalid) {
  ASSERT_OK_AND_ASSIGN(CheckpointView cp, audit_desk_->GetCheckpoint(auditor_, true));
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  EXPECT_THAT(audit_desk_->GetInclusionProof(auditor_, cp.size, cp.size), StatusIs(kInvalid));
  EXPECT_THAT(audit_desk_->GetInclusionProof(auditor_, 0, 1000000), StatusIs(kInvalid));
  EXPECT_THAT(audit_desk_->GetConsistencyProof(auditor_, 0, cp.size), StatusIs(kInvalid));
  EXPECT_THAT(audit_desk_->GetConsistencyProof(auditor_, 5, 4), StatusIs(kInvalid));
  EXPECT_THAT(audit_desk_->GetConsistencyProof(auditor_, 5, 1000000), StatusIs(kInvalid));
  EXPECT_EQ(Last().outcome, "invalid_argument");
}

TEST_F(AuditDeskTest, ExportRebuildsTheSignedRootWithItsOwnEntry) {
  for (uint64_t from : {uint64_t{0}, uint64_t{1}, uint64_t{17}, uint64_t{32}}) {
    const uint64_t before = EntryCount();
    ASSERT_OK_AND_ASSIGN(Export e, RunExport(auditor_, from));
    ASSERT_GE(e.kinds.size(), 2u);
    EXPECT_EQ(e.kinds.front(), ExportChunk::Kind::kStart);
    EXPECT_EQ(e.kinds.back(), ExportChunk::Kind::kEnd);
    if (from == 0) {
      EXPECT_GT(e.kinds.size(), 3u) << "expected several entry chunks";
    }
    EXPECT_EQ(e.from, from);
    EXPECT_EQ(e.total, before + 1 - from);
    ASSERT_EQ(e.entries.size(), e.total);

    // Rebuild as the offline verifier does: frontier, then the entries.
    ASSERT_OK_AND_ASSIGN(audit::Frontier tree, audit::Frontier::FromHashes(from, e.frontier));
    for (uint64_t i = 0; i < e.entries.size(); ++i) {
      ASSERT_OK_AND_ASSIGN(audit::AuditEntry parsed, audit::ParseEntry(e.entries[i]));
      EXPECT_EQ(parsed.seq, from + i);
      tree.Append(audit::LeafHash(e.entries[i]));
    }
    const audit::Checkpoint cp = Open(e.note);
    EXPECT_EQ(cp.size, tree.size());
    EXPECT_EQ(cp.root, tree.Root());
    ASSERT_OK_AND_ASSIGN(audit::AuditEntry own, audit::ParseEntry(e.entries.back()));
    EXPECT_EQ(own.action, "audit.export");
    EXPECT_EQ(own.actor, "kiem.toan");
  }
}

TEST_F(AuditDeskTest, ExportStopsAtTheSinksError) {
  int calls = 0;
  EXPECT_THAT(audit_desk_->ExportLog(auditor_, 0, [&](const ExportChunk&) {
    ++calls;
    return calls == 2 ? absl::CancelledError("gone") : absl::OkStatus();
  }), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(Last().action, "audit.export");  // the export was still logged
}

TEST_F(AuditDeskTest, ExportFromBeyondTheLogIsInvalid) {
  const uint64_t n = EntryCount();
  EXPECT_THAT(RunExport(auditor_, n + 1), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(Last().outcome, "invalid_argument");
  ASSERT_OK_AND_ASSIGN(Export at_end, RunExport(auditor_, n + 1));  // n + 1 exists now
  EXPECT_EQ(at_end.total, 1u);
}

TEST_F(AuditDeskTest, OnlyAuditorsReadTheLog) {
  for (const Caller& c : {counselor_, principal_, admin_}) {
    const auto kDenied = absl::StatusCode::kPermissionDenied;
    EXPECT_THAT(audit_desk_->GetCheckpoint(c, true), StatusIs(kDenied));
    EXPECT_THAT(audit_desk_->GetInclusionProof(c, 0, 1), StatusIs(kDenied));
    EXPECT_THAT(audit_desk_->GetConsistencyProof(c, 1, 2), StatusIs(kDenied));
    EXPECT_THAT(RunExport(c, 0), StatusIs(kDenied));
    EXPECT_EQ(Last().outcome, "permission_denied");
    EXPECT_EQ(Last().actor, c.username);
  }
}

TEST_F(AuditDeskTest, CaseReferenceLookup) {
  ASSERT_OK_AND_ASSIGN(CaseView a, desk_->File(counselor_, DistinctiveCase("A")));
  const std::string ref = trail_->CaseRef(a.id);
  EXPECT_EQ(audit_desk_->LookupCaseRef(admin_, a.id).value_or(""), ref);
  EXPECT_EQ(audit_desk_->LookupCaseRef(principal_, a.id).value_or(""), ref);
  EXPECT_EQ(Last().case_ref, ref);
  EXPECT_EQ(Last().outcome, "ok");
  // Another school's principal cannot tell it from a missing case.
  const auto other = audit_desk_->LookupCaseRef(other_principal_, a.id);
  const auto missing = audit_desk_->LookupCaseRef(other_principal_, "0123456789abcdef01234567");
  EXPECT_THAT(other, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(other.status().message(), missing.status().message());
  EXPECT_THAT(audit_desk_->LookupCaseRef(admin_, "0123456789abcdef01234567"),
              StatusIs(absl::StatusCode::kNotFound));
  // Roles that may never look up are denied whether or not the case exists.
  for (const Caller& c : {counselor_, auditor_}) {
    EXPECT_THAT(audit_desk_->LookupCaseRef(c, a.id),
                StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_THAT(audit_desk_->LookupCaseRef(c, "0123456789abcdef01234567"),
                StatusIs(absl::StatusCode::kPermissionDenied));
  }
  EXPECT_THAT(audit_desk_->LookupCaseRef(admin_, "not-an-id"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(AuditDeskTest, AuditorsNeverReachACase) {
  ASSERT_OK_AND_ASSIGN(CaseView a, desk_->File(counselor_, DistinctiveCase("A", 3)));
  EXPECT_THAT(desk_->Get(auditor_, a.id), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(desk_->AddNote(auditor_, a.id, "x"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(desk_->List(auditor_, {}), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(desk_->File(auditor_, DistinctiveCase("B")),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace casevault::domain
