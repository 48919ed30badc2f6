// A Store that hands every call to a real one, but can make one kind of
// audit-log write fail, as a full disk or a broken table would: how the
// domain tests show that an operation whose audit entry cannot be written
// is refused and leaves nothing behind (fail closed). It also counts the
// Read() and Write() calls it passes on, so a test can show that something
// did (or did not) reach the database.
#ifndef CASEVAULT_TESTS_DOMAIN_FAULTY_STORE_H_
#define CASEVAULT_TESTS_DOMAIN_FAULTY_STORE_H_

#include <atomic>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "storage/store.h"

namespace casevault::domain::testing {

enum class AuditFault {
  kNone,
  kAppend,            // AuditRepository::Append
  kPutSubtreeHash,    // ... PutSubtreeHash
  kStoreTreeState,    // ... StoreTreeState
  kInsertCheckpoint,  // ... InsertCheckpoint
};

inline absl::Status InjectedFault() {
  return absl::UnavailableError("injected fault: the audit log cannot be written");
}

class FaultyAuditRepository final : public storage::AuditRepository {
 public:
  FaultyAuditRepository(storage::AuditRepository& real,
                        const std::atomic<AuditFault>& fault)
      : real_(real), fault_(fault) {}

  absl::Status Append(uint64_t seq, const std::string& entry,
                      const std::string& leaf_hash) override {
    if (fault_ == AuditFault::kAppend) return InjectedFault();
    return real_.Append(seq, entry, leaf_hash);
  }
  absl::StatusOr<uint64_t> EntryCount() override { return real_.EntryCount(); }
  absl::StatusOr<std::string> LeafHash(uint64_t seq) override {
    return real_.LeafHash(seq);
  }
  absl::StatusOr<std::vector<std::string>> LeafHashes(uint64_t begin,
                                                      uint64_t end) override {
    return real_.LeafHashes(begin, end);
  }
  absl::Status ScanEntries(
      uint64_t begin, uint64_t end,
      absl::FunctionRef<absl::Status(const storage::AuditEntryRecord&)> sink)
      override {
    return real_.ScanEntries(begin, end, sink);
  }
  absl::StatusOr<storage::AuditTreeState> LoadTreeState() override {
    return real_.LoadTreeState();
  }
  absl::Status StoreTreeState(const storage::AuditTreeState& state) override {
    if (fault_ == AuditFault::kStoreTreeState) return InjectedFault();
    return real_.StoreTreeState(state);
  }
  absl::Status PutSubtreeHash(int level, uint64_t index,
                              const std::string& hash) override {
    if (fault_ == AuditFault::kPutSubtreeHash) return InjectedFault();
    return real_.PutSubtreeHash(level, index, hash);
  }
  absl::StatusOr<std::string> SubtreeHash(int level, uint64_t index) override {
    return real_.SubtreeHash(level, index);
  }
  absl::Status InsertCheckpoint(
      const storage::AuditCheckpointRecord& checkpoint) override {
    if (fault_ == AuditFault::kInsertCheckpoint) return InjectedFault();
    return real_.InsertCheckpoint(checkpoint);
  }
  absl::StatusOr<storage::AuditCheckpointRecord> LatestCheckpoint() override {
    return real_.LatestCheckpoint();
  }
  absl::StatusOr<storage::AuditCheckpointRecord> CheckpointAt(
      uint64_t size) override {
    return real_.CheckpointAt(size);
  }

 private:
  storage::AuditRepository& real_;
  const std::atomic<AuditFault>& fault_;
};

class FaultyTransaction final : public storage::Transaction {
 public:
  FaultyTransaction(storage::Transaction& real,
                    const std::atomic<AuditFault>& fault)
      : real_(real), audit_(real.audit(), fault) {}
  storage::AccountRepository& accounts() override { return real_.accounts(); }
  storage::SessionRepository& sessions() override { return real_.sessions(); }
  storage::CaseRepository& cases() override { return real_.cases(); }
  storage::CoordinationRepository& coordination() override {
    return real_.coordination();
  }
  storage::AuditRepository& audit() override { return audit_; }
  absl::StatusOr<storage::WorkOutcome> Savepoint(
      absl::FunctionRef<absl::Status()> work) override {
    return real_.Savepoint(work);
  }

 private:
  storage::Transaction& real_;
  FaultyAuditRepository audit_;
};

class FaultyStore final : public storage::Store {
 public:
  explicit FaultyStore(storage::Store& real) : real_(real) {}
  void Inject(AuditFault fault) { fault_ = fault; }

  // Calls passed on so far, and a way to start counting afresh.
  int reads() const { return reads_.load(); }
  int writes() const { return writes_.load(); }
  void ResetCounts() {
    reads_ = 0;
    writes_ = 0;
  }

  absl::Status Write(
      absl::FunctionRef<absl::Status(storage::Transaction&)> work) override {
    writes_.fetch_add(1);
    return real_.Write([&](storage::Transaction& tx) {
      FaultyTransaction faulty(tx, fault_);
      return work(faulty);
    });
  }
  absl::Status Read(
      absl::FunctionRef<absl::Status(storage::Transaction&)> work) override {
    reads_.fetch_add(1);
    return real_.Read([&](storage::Transaction& tx) {
      FaultyTransaction faulty(tx, fault_);
      return work(faulty);
    });
  }
  storage::StoreStats stats() const override { return real_.stats(); }

 private:
  storage::Store& real_;
  std::atomic<AuditFault> fault_{AuditFault::kNone};
  std::atomic<int> reads_{0};
  std::atomic<int> writes_{0};
};

}  // namespace casevault::domain::testing

#endif  // CASEVAULT_TESTS_DOMAIN_FAULTY_STORE_H_
