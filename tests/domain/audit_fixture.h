// Domain objects wired to one audit trail over a store that can fail on
// demand (faulty_store.h), with helpers that read the log back.
#ifndef CASEVAULT_TESTS_DOMAIN_AUDIT_FIXTURE_H_
#define CASEVAULT_TESTS_DOMAIN_AUDIT_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "audit/checkpoint.h"
#include "audit/entry.h"
#include "audit/hash_reader.h"
#include "audit/note.h"
#include "common/status_macros.h"
#include "domain/audit_desk.h"
#include "domain/authenticator.h"
#include "domain/case_desk.h"
#include "domain_fixture.h"
#include "faulty_store.h"

namespace casevault::domain {

class AuditTest : public DomainTest {
 protected:
  void SetUp() override {
    DomainTest::SetUp();
    faulty_ = std::make_unique<testing::FaultyStore>(*store_);
    RebuildDesks();
    counselor_ = AddAccount("co.lan", Role::kCounselor);
    counselor2_ = AddAccount("co.mai", Role::kCounselor);
    principal_ = AddAccount("hieu.truong", Role::kPrincipal);
    other_principal_ = AddAccount("hieu.pho", Role::kPrincipal, "school-b");
    auditor_ = AddAccount("kiem.toan", Role::kAuditor);
    admin_ = AddAccount("quan.tri", Role::kAdmin);
  }

  // (Re)creates the domain objects over faulty_ and trail_.
  void RebuildDesks() {
    auth_ = std::make_unique<Authenticator>(*faulty_, *trail_, hasher_, clock_,
                                            random_, sign_in_);
    accounts_ = std::make_unique<AccountRegistry>(*faulty_, *trail_, hasher_,
                                                  clock_);
    desk_ = std::make_unique<CaseDesk>(*faulty_, *trail_, *case_keys_, clock_,
                                       random_);
    audit_desk_ = std::make_unique<AuditDesk>(*faulty_, *trail_, desk_options_);
  }

  // Closes and reopens the database file with a new trail, as a restart.
  void Restart() {
    audit_desk_.reset();
    desk_.reset();
    accounts_.reset();
    auth_.reset();
    faulty_.reset();
    registry_.reset();
    trail_.reset();
    store_.reset();
    OpenStore(storage::OpenMode::kOpenExisting);
    faulty_ = std::make_unique<testing::FaultyStore>(*store_);
    RebuildDesks();
  }

  // Entries as stored, checked: canonical, dense, seq == position.
  std::vector<std::string> RawEntries() {
    std::vector<std::string> raw;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(uint64_t n, tx.audit().EntryCount());
      return tx.audit().ScanEntries(
          0, n, [&](const storage::AuditEntryRecord& r) {
            raw.push_back(r.entry);
            return absl::OkStatus();
          });
    }));
    return raw;
  }
  std::vector<audit::AuditEntry> Entries() {
    std::vector<audit::AuditEntry> entries;
    for (const std::string& bytes : RawEntries()) {
      absl::StatusOr<audit::AuditEntry> e = audit::ParseEntry(bytes);
      EXPECT_OK(e.status()) << bytes;
      if (!e.ok()) continue;
      EXPECT_EQ(e->seq, entries.size()) << bytes;
      EXPECT_EQ(audit::EncodeEntry(*e).value_or(""), bytes);
      entries.push_back(*e);
    }
    return entries;
  }
  audit::AuditEntry Last() {
    std::vector<audit::AuditEntry> entries = Entries();
    return entries.empty() ? audit::AuditEntry{} : entries.back();
  }
  uint64_t EntryCount() {
    uint64_t n = 0;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(n, tx.audit().EntryCount());
      return absl::OkStatus();
    }));
    return n;
  }
  // Every kept checkpoint, smallest first.
  std::vector<storage::AuditCheckpointRecord> Checkpoints() {
    std::vector<storage::AuditCheckpointRecord> out;
    const uint64_t n = EntryCount();
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      for (uint64_t size = 0; size <= n; ++size) {
        auto c = tx.audit().CheckpointAt(size);
        if (c.ok()) out.push_back(*c);
      }
      return absl::OkStatus();
    }));
    return out;
  }
  // The tree of every stored entry, rebuilt from their bytes.
  audit::InMemoryTree Rebuilt() {
    audit::InMemoryTree tree;
    for (const std::string& bytes : RawEntries()) tree.Append(audit::LeafHash(bytes));
    return tree;
  }
  audit::NoteVerifierKey VerifierKey() {
    return audit::ParseVerifierKey(trail_->VerifierKey()).value();
  }
  audit::Checkpoint Open(const std::string& note) {
    absl::StatusOr<audit::Checkpoint> c = audit::OpenCheckpoint(note, VerifierKey());
    EXPECT_OK(c.status());
    return c.value_or(audit::Checkpoint{});
  }
  int64_t CaseCount() {
    int64_t n = -1;
    EXPECT_OK(store_->Read([&](storage::Transaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(n, tx.cases().Count());
      return absl::OkStatus();
    }));
    return n;
  }

  // A case whose content is full of strings that must never reach the log.
  static NewCase DistinctiveCase(const std::string& marker, int32_t severity = 2) {
    NewCase c;
    c.incident_type = 6;
    c.context = 1;
    c.severity = severity;
    c.incident_date = "2026-11-20";
    c.place = "Phòng thí nghiệm Hóa " + marker;
    c.reporter_type = 2;
    c.victim.name = "Lê Thị Xuân Quỳnh " + marker;
    c.victim.gender = 1;
    c.victim.birth_year = 2011;
    c.victim.class_or_job = "Lớp 9C" + marker;
    c.perpetrator.relation = 1;
    c.perpetrator.name = "Đoàn Văn Khải " + marker;
    c.narrative = "Em bị chụp ảnh trong phòng thay đồ " + marker;
    return c;
  }
  static std::vector<std::string> DistinctiveStrings(const std::string& marker) {
    return {"Phòng thí nghiệm", "Lê Thị Xuân Quỳnh", "Đoàn Văn Khải",
            "Lớp 9C", "phòng thay đồ", marker};
  }

  SignInOptions sign_in_;
  AuditDeskOptions desk_options_;
  std::unique_ptr<testing::FaultyStore> faulty_;
  std::unique_ptr<Authenticator> auth_;
  std::unique_ptr<AccountRegistry> accounts_;
  std::unique_ptr<CaseDesk> desk_;
  std::unique_ptr<AuditDesk> audit_desk_;
  Caller counselor_, counselor2_, principal_, other_principal_, auditor_, admin_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_TESTS_DOMAIN_AUDIT_FIXTURE_H_
