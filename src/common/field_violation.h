// Structured details carried inside absl::Status, so that domain code can say
// which request field is wrong without knowing about google.rpc protos. The
// server turns them into google.rpc.BadRequest in its one status mapper.
#ifndef CASEVAULT_COMMON_FIELD_VIOLATION_H_
#define CASEVAULT_COMMON_FIELD_VIOLATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace casevault {

struct FieldViolation {
  std::string field;        // request field path, e.g. "victim.birth_year"
  std::string description;  // what is wrong; never echoes the value
};

// Collects violations while a request is validated.
class Violations {
 public:
  void Add(std::string field, std::string description) {
    list_.push_back({std::move(field), std::move(description)});
  }
  bool empty() const { return list_.empty(); }
  const std::vector<FieldViolation>& list() const { return list_; }

  // OK when empty; otherwise INVALID_ARGUMENT naming every field, with the
  // violations attached as a payload.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> list_;
};

// The violations attached by Violations::ToStatus (empty if none).
std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status);

}  // namespace casevault

#endif  // CASEVAULT_COMMON_FIELD_VIOLATION_H_
