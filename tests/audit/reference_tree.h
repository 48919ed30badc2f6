// A plain recursive RFC 6962 / RFC 9162 reference for the audit tests,
// written straight from the RFC's definitions of MTH, PATH and SUBPROOF and
// sharing no code with src/audit (only SHA-256 itself).
#ifndef CASEVAULT_TESTS_AUDIT_REFERENCE_TREE_H_
#define CASEVAULT_TESTS_AUDIT_REFERENCE_TREE_H_

#include <cstdint>
#include <cstring>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "crypto/digest.h"

namespace casevault::audit::testing {

using RefHash = crypto::Sha256Digest;

inline std::string RefBytes(const RefHash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

inline RefHash RefLeafHash(const std::string& entry) {
  return crypto::Sha256(std::string(1, '\x00') + entry);
}

inline RefHash RefNodeHash(const RefHash& l, const RefHash& r) {
  return crypto::Sha256(std::string(1, '\x01') + RefBytes(l) + RefBytes(r));
}

// The largest power of two smaller than n (n >= 2), by counting up.
inline uint64_t RefSplit(uint64_t n) {
  uint64_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// The tree over a fixed list of entries; MTH(D[b:e]) is memoised because the
// tests ask for every prefix and every proof.
class ReferenceTree {
 public:
  explicit ReferenceTree(std::vector<std::string> entries)
      : entries_(std::move(entries)) {}

  const std::vector<std::string>& entries() const { return entries_; }

  // MTH(D[begin:end]).
  RefHash Mth(uint64_t begin, uint64_t end) {
    if (begin == end) return crypto::Sha256("");
    if (end - begin == 1) return RefLeafHash(entries_[begin]);
    const auto key = std::make_pair(begin, end);
    auto it = memo_.find(key);
    if (it != memo_.end()) return it->second;
    const uint64_t k = RefSplit(end - begin);
    const RefHash h = RefNodeHash(Mth(begin, begin + k), Mth(begin + k, end));
    memo_.emplace(key, h);
    return h;
  }

  // PATH(m, D[begin:end]).
  std::vector<RefHash> Path(uint64_t m, uint64_t begin, uint64_t end) {
    if (end - begin == 1) return {};
    const uint64_t k = RefSplit(end - begin);
    std::vector<RefHash> path;
    if (m < k) {
      path = Path(m, begin, begin + k);
      path.push_back(Mth(begin + k, end));
    } else {
      path = Path(m - k, begin + k, end);
      path.push_back(Mth(begin, begin + k));
    }
    return path;
  }

  // SUBPROOF(m, D[begin:end], b).
  std::vector<RefHash> Subproof(uint64_t m, uint64_t begin, uint64_t end,
                                bool b) {
    const uint64_t n = end - begin;
    if (m == n) {
      if (b) return {};
      return {Mth(begin, end)};
    }
    const uint64_t k = RefSplit(n);
    std::vector<RefHash> proof;
    if (m <= k) {
      proof = Subproof(m, begin, begin + k, b);
      proof.push_back(Mth(begin + k, end));
    } else {
      proof = Subproof(m - k, begin + k, end, false);
      proof.push_back(Mth(begin, begin + k));
    }
    return proof;
  }

  // PROOF(m, D[n]).
  std::vector<RefHash> Proof(uint64_t m, uint64_t n) {
    return Subproof(m, 0, n, true);
  }

 private:
  std::vector<std::string> entries_;
  std::map<std::pair<uint64_t, uint64_t>, RefHash> memo_;
};

// The eight leaves of the RFC 6962 test data, then made-up entries.
inline std::vector<std::string> TestEntries(size_t count) {
  static const char* const kHex[] = {"",
                                     "00",
                                     "10",
                                     "2021",
                                     "3031",
                                     "40414243",
                                     "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"};
  std::vector<std::string> entries;
  for (size_t i = 0; i < count; ++i) {
    std::string entry;
    if (i < 8) {
      if (!crypto::HexDecode(kHex[i], &entry)) return {};
    } else {
      entry = "{\"seq\":" + std::to_string(i) + ",\"action\":\"case.view\"}";
    }
    entries.push_back(entry);
  }
  return entries;
}

}  // namespace casevault::audit::testing

#endif  // CASEVAULT_TESTS_AUDIT_REFERENCE_TREE_H_
