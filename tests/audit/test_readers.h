// HashReaders for the audit tests.
#ifndef CASEVAULT_TESTS_AUDIT_TEST_READERS_H_
#define CASEVAULT_TESTS_AUDIT_TEST_READERS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "audit/hash_reader.h"
#include "audit/merkle.h"

namespace casevault::audit::testing {

// Leaf hashes only, so PerfectSubtreeHash takes the default recursive path.
class LeafOnlyReader final : public HashReader {
 public:
  explicit LeafOnlyReader(const std::vector<std::string>& entries) {
    for (const std::string& e : entries) leaves_.push_back(audit::LeafHash(e));
  }
  uint64_t size() const override { return leaves_.size(); }
  absl::StatusOr<Hash> LeafHash(uint64_t index) const override {
    if (index >= leaves_.size()) return absl::OutOfRangeError("no such leaf");
    return leaves_[index];
  }

 private:
  std::vector<Hash> leaves_;
};

// Claims `size` leaves but every read fails, as a broken store would.
class FailingReader final : public HashReader {
 public:
  explicit FailingReader(uint64_t size) : size_(size) {}
  uint64_t size() const override { return size_; }
  absl::StatusOr<Hash> LeafHash(uint64_t) const override {
    return absl::UnavailableError("store is down");
  }

 private:
  uint64_t size_;
};

}  // namespace casevault::audit::testing

#endif  // CASEVAULT_TESTS_AUDIT_TEST_READERS_H_
