// The audit log end to end over TLS: operations by several roles, then the
// auditor's checkpoints, proofs and export, checked with src/audit alone.
#include <sys/stat.h>

#include <grpcpp/grpcpp.h>

#include "audit/checkpoint.h"
#include "audit/entry.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "audit/proof.h"
#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/audit.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

std::vector<audit::Hash> Hashes(const google::protobuf::RepeatedPtrField<std::string>& in) {
  std::vector<audit::Hash> out;
  for (const std::string& h : in) out.push_back(audit::HashFromBytes(h).value());
  return out;
}

struct Exported {
  grpc::Status status;
  uint64_t from = 0, total = 0;
  std::vector<audit::Hash> frontier;
  std::vector<std::string> entries;
  std::string note;
  int chunks = 0;
};

class AuditFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    deployment_.Start();
    cases_ = v1::CaseService::NewStub(deployment_.Channel());
    log_ = v1::AuditService::NewStub(deployment_.Channel());
    accounts_ = v1::AccountService::NewStub(deployment_.Channel());
    for (const char* user : {"counselor", "counselor2", "principal", "admin", "auditor"}) {
      tokens_[user] = deployment_.Login(user);
    }
    // The key the operator hands to auditors, as `casevaultd init` wrote it.
    std::string text = ReadFileBytes(deployment_.paths().audit_verifier_key());
    ASSERT_FALSE(text.empty());
    ASSERT_EQ(text.back(), '\n');
    text.pop_back();
    auto key = audit::ParseVerifierKey(text);
    ASSERT_TRUE(key.ok()) << key.status();
    key_ = *key;
    key_text_ = text;
  }

  // Files a case as `user`, shows it, adds a note; returns its id.
  std::string Work(const std::string& user, const std::string& marker) {
    v1::FileCaseRequest req = SampleCase(marker);
    req.set_severity(v1::SEVERITY_HIGH);
    v1::Case filed;
    EXPECT_TRUE(cases_->FileCase(Authed(tokens_[user]).get(), req, &filed).ok());
    v1::GetCaseRequest get;
    get.set_case_id(filed.id());
    v1::Case shown;
    EXPECT_TRUE(cases_->GetCase(Authed(tokens_[user]).get(), get, &shown).ok());
    v1::AddNoteRequest note;
    note.set_case_id(filed.id());
    note.set_text("Ghi chú riêng " + marker);
    v1::Note added;
    EXPECT_TRUE(cases_->AddNote(Authed(tokens_[user]).get(), note, &added).ok());
    return filed.id();
  }

  v1::SignedCheckpoint Checkpoint(bool sign_now) {
    v1::GetCheckpointRequest req;
    req.set_sign_now(sign_now);
    v1::SignedCheckpoint cp;
    const grpc::Status s = log_->GetCheckpoint(Authed(tokens_["auditor"]).get(), req, &cp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return cp;
  }
  audit::Checkpoint Open(const v1::SignedCheckpoint& cp) {
    auto opened = audit::OpenCheckpoint(cp.signed_note(), key_);
    EXPECT_TRUE(opened.ok()) << opened.status();
    EXPECT_EQ(opened->size, cp.size());
    EXPECT_EQ(audit::HashBytes(opened->root), cp.root_hash());
    EXPECT_EQ(opened->origin, key_.name);
    return opened.value_or(audit::Checkpoint{});
  }

  Exported Export(const std::string& user, uint64_t from) {
    Exported out;
    v1::ExportLogRequest req;
    req.set_from_index(from);
    auto ctx = Authed(tokens_[user]);
    auto reader = log_->ExportLog(ctx.get(), req);
    v1::ExportLogChunk chunk;
    while (reader->Read(&chunk)) {
      if (out.chunks++ == 0) {
        out.from = chunk.from_index();
        out.total = chunk.total_entries();
        out.frontier = Hashes(chunk.frontier());
      }
      for (const std::string& e : chunk.entries()) out.entries.push_back(e);
      if (!chunk.signed_note().empty()) out.note = chunk.signed_note();
    }
    out.status = reader->Finish();
    return out;
  }

  Deployment deployment_;
  std::unique_ptr<v1::CaseService::Stub> cases_;
  std::unique_ptr<v1::AuditService::Stub> log_;
  std::unique_ptr<v1::AccountService::Stub> accounts_;
  std::map<std::string, std::string> tokens_;
  audit::NoteVerifierKey key_;
  std::string key_text_;
};

TEST_F(AuditFlowTest, ProofsFromTheServerVerifyOffline) {
  const v1::SignedCheckpoint first = Checkpoint(true);
  Work("counselor", "PROOF1");
  Work("principal", "PROOF2");
  v1::ListAccountsRequest list;
  v1::ListAccountsResponse listed;
  ASSERT_TRUE(accounts_->ListAccounts(Authed(tokens_["admin"]).get(), list, &listed).ok());
  const v1::SignedCheckpoint cp = Checkpoint(true);
  EXPECT_EQ(cp.verifier_key(), key_text_);
  const audit::Checkpoint opened = Open(cp);
  ASSERT_GT(cp.size(), first.size() + 7);

  for (uint64_t i = 0; i < cp.size(); ++i) {
    v1::GetInclusionProofRequest req;
    req.set_index(i);
    v1::InclusionProof proof;
    ASSERT_TRUE(log_->GetInclusionProof(Authed(tokens_["auditor"]).get(), req, &proof).ok());
    ASSERT_EQ(proof.tree_size(), cp.size());  // 0 meant the latest checkpoint
    EXPECT_EQ(proof.checkpoint().signed_note(), cp.signed_note());
    auto entry = audit::ParseEntry(proof.entry());
    ASSERT_TRUE(entry.ok()) << entry.status();
    EXPECT_EQ(entry->seq, i);
    EXPECT_TRUE(audit::VerifyInclusion({i, cp.size(), Hashes(proof.hashes())},
                                       audit::LeafHash(proof.entry()), opened.root)
                    .ok()) << i;
  }
  v1::GetConsistencyProofRequest req;
  req.set_old_size(first.size());
  v1::ConsistencyProof proof;
  ASSERT_TRUE(log_->GetConsistencyProof(Authed(tokens_["auditor"]).get(), req, &proof).ok());
  EXPECT_EQ(proof.new_size(), cp.size());
  EXPECT_TRUE(audit::VerifyConsistency({first.size(), cp.size(), Hashes(proof.hashes())},
                                       Open(first).root, opened.root)
                  .ok());
}

TEST_F(AuditFlowTest, ExportRebuildsTheSignedRootAndHoldsNoCaseContent) {
  std::vector<std::string> sensitive;
  for (const std::string marker : {"EXPA", "EXPB"}) {
    const std::string id = Work("counselor", marker);
    for (const std::string& s : SensitiveStrings(marker)) sensitive.push_back(s);
    sensitive.push_back("Ghi chú riêng " + marker);
    sensitive.push_back(id);
  }
  for (const auto& [user, token] : tokens_) {
    sensitive.push_back(token);
    sensitive.push_back(deployment_.account(user).password);
  }
  for (uint64_t from : {uint64_t{0}, uint64_t{5}}) {
    const Exported e = Export("auditor", from);
    ASSERT_TRUE(e.status.ok()) << e.status.error_message();
    EXPECT_GE(e.chunks, 3);  // start, entries, checkpoint
    EXPECT_EQ(e.from, from);
    ASSERT_EQ(e.entries.size(), e.total);
    auto tree = audit::Frontier::FromHashes(from, e.frontier);
    ASSERT_TRUE(tree.ok()) << tree.status();
    for (size_t i = 0; i < e.entries.size(); ++i) {
      auto parsed = audit::ParseEntry(e.entries[i]);
      ASSERT_TRUE(parsed.ok()) << parsed.status();
      EXPECT_EQ(parsed->seq, from + i);
      tree->Append(audit::LeafHash(e.entries[i]));
      for (const std::string& s : sensitive) {
        EXPECT_EQ(e.entries[i].find(s), std::string::npos) << s;
      }
    }
    auto cp = audit::OpenCheckpoint(e.note, key_);
    ASSERT_TRUE(cp.ok()) << cp.status();
    EXPECT_EQ(cp->size, tree->size());
    EXPECT_EQ(cp->root, tree->Root());
    EXPECT_EQ(audit::ParseEntry(e.entries.back())->action, "audit.export");
  }
  struct stat st;
  ASSERT_EQ(::stat(deployment_.paths().audit_verifier_key().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST_F(AuditFlowTest, AuditorsCannotReachCases) {
  const std::string id = Work("counselor", "AUD");
  const std::string& auditor = tokens_["auditor"];
  v1::GetCaseRequest get;
  get.set_case_id(id);
  v1::Case c;
  EXPECT_EQ(cases_->GetCase(Authed(auditor).get(), get, &c).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::AddNoteRequest note;
  note.set_case_id(id);
  note.set_text("x");
  v1::Note n;
  EXPECT_EQ(cases_->AddNote(Authed(auditor).get(), note, &n).error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  EXPECT_EQ(cases_->ListCases(Authed(auditor).get(), list, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(cases_->FileCase(Authed(auditor).get(), SampleCase("AUD2"), &c).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An auditor cannot translate case ids either.
  v1::LookupCaseReferenceRequest lookup;
  lookup.set_case_id(id);
  v1::CaseReference ref;
  EXPECT_EQ(log_->LookupCaseReference(Authed(auditor).get(), lookup, &ref).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(AuditFlowTest, OnlyAuditorsReadTheLogAndAdminsLookUpReferences) {
  const std::string id = Work("counselor", "LOOK");
  for (const char* user : {"counselor", "principal", "admin"}) {
    const Exported e = Export(user, 0);
    EXPECT_EQ(e.status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << user;
    EXPECT_TRUE(e.entries.empty());
    v1::GetCheckpointRequest req;
    v1::SignedCheckpoint cp;
    EXPECT_EQ(log_->GetCheckpoint(Authed(tokens_[user]).get(), req, &cp).error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  v1::LookupCaseReferenceRequest lookup;
  lookup.set_case_id(id);
  v1::CaseReference by_admin, by_principal;
  ASSERT_TRUE(log_->LookupCaseReference(Authed(tokens_["admin"]).get(), lookup, &by_admin).ok());
  ASSERT_TRUE(
      log_->LookupCaseReference(Authed(tokens_["principal"]).get(), lookup, &by_principal).ok());
  EXPECT_EQ(by_admin.case_ref(), by_principal.case_ref());
  EXPECT_EQ(by_admin.case_ref().size(), 32u);
  // The reference is how the log names the case: its file entry carries it,
  // as do the denied attempts and the lookups themselves.
  const Exported e = Export("auditor", 0);
  ASSERT_TRUE(e.status.ok());
  int mentions = 0;
  for (const std::string& bytes : e.entries) {
    auto entry = audit::ParseEntry(bytes);
    if (entry->case_ref == by_admin.case_ref()) {
      ++mentions;
      EXPECT_NE(entry->action, "audit.export");
    }
  }
  EXPECT_EQ(mentions, 5);  // file, view, note, two lookups
}

TEST_F(AuditFlowTest, TheLogGrowsConsistentlyAcrossARestart) {
  Work("counselor", "RST1");
  const v1::SignedCheckpoint before = Checkpoint(true);
  deployment_.Stop();
  deployment_.Start();  // a new port: new stubs
  cases_ = v1::CaseService::NewStub(deployment_.Channel());
  log_ = v1::AuditService::NewStub(deployment_.Channel());
  for (const char* user : {"counselor", "auditor"}) tokens_[user] = deployment_.Login(user);
  Work("counselor", "RST2");
  const v1::SignedCheckpoint after = Checkpoint(true);
  ASSERT_GT(after.size(), before.size());
  v1::GetConsistencyProofRequest req;
  req.set_old_size(before.size());
  req.set_new_size(after.size());
  v1::ConsistencyProof proof;
  ASSERT_TRUE(log_->GetConsistencyProof(Authed(tokens_["auditor"]).get(), req, &proof).ok());
  EXPECT_TRUE(audit::VerifyConsistency({before.size(), after.size(), Hashes(proof.hashes())},
                                       Open(before).root, Open(after).root)
                  .ok());
}

TEST_F(AuditFlowTest, TheServerRefusesToStartOnABrokenLog) {
  Work("counselor", "BRK");
  ASSERT_TRUE(Checkpoint(true).size() > 0);
  // Rewrite the tree state behind the server's back: same size, other root.
  ASSERT_TRUE(deployment_.server().store().Write([](storage::Transaction& tx) -> absl::Status {
    auto state = tx.audit().LoadTreeState();
    if (!state.ok()) return state.status();
    audit::Frontier other;
    for (uint64_t i = 0; i < state->size; ++i) other.Append(audit::LeafHash("forged"));
    return tx.audit().StoreTreeState({other.size(), other.Serialize()});
  }).ok());
  deployment_.Stop();
  crypto::SodiumRandom random;
  SystemClock clock;
  auto opened = server::Deployment::Open(deployment_.paths(), random);
  ASSERT_TRUE(opened.ok()) << opened.status();
  server::ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto started = server::CasevaultServer::Start(*std::move(opened), deployment_.paths(),
                                                options, clock, random);
  EXPECT_EQ(started.status().code(), absl::StatusCode::kDataLoss) << started.status();
}

}  // namespace
}  // namespace casevault::testing
