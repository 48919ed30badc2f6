// Which cases a viewer may see (records.h, CaseFilter and StepFilter), as
// SQL shared by CaseRepository::List and CoordinationRepository::FindSteps.
//
// Invariants:
//  - Query text is concatenated only from string literals and anonymous
//    "?" placeholders; every value is bound, never spliced. BoundSql::Sql()
//    accepts only character arrays (literals) to keep it that way.
//  - A text is a cached statement on its connection (connection.h), so the
//    number of texts must stay bounded: a text depends only on which route
//    conditions and narrowings are set, and on the number of routes, at
//    most kMaxCaseRoutes.
//  - An implicated viewer never sees the case, whatever else matches.
#ifndef CASEVAULT_STORAGE_CASE_VISIBILITY_H_
#define CASEVAULT_STORAGE_CASE_VISIBILITY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "storage/connection.h"
#include "storage/records.h"

namespace casevault::storage {

// More routes than this is INVALID_ARGUMENT (a role has a handful).
inline constexpr size_t kMaxCaseRoutes = 8;

// SQL text with its values in placeholder order.
class BoundSql {
 public:
  // Appends fixed text that holds no placeholder.
  template <size_t N>
  BoundSql& Sql(const char (&fixed)[N]) {
    text_.append(fixed, N - 1);
    return *this;
  }
  // Appends one placeholder bound to `value`.
  BoundSql& Int(int64_t value) {
    text_ += '?';
    values_.emplace_back(value);
    return *this;
  }
  BoundSql& Text(std::string value) {
    text_ += '?';
    values_.emplace_back(std::move(value));
    return *this;
  }

  const char* text() const { return text_.c_str(); }
  // Binds every value to its placeholder (1-based, in order).
  void BindTo(Statement& stmt) const;

 private:
  std::string text_;
  std::vector<std::variant<int64_t, std::string>> values_;
};

// Appends a condition over the table `cases` (every column qualified, so
// it may sit in a join or a subquery): `viewer_id` is not implicated, and
// is the owner, the pending owner or a participant, or the case matches
// one of `routes` (each clause's set conditions AND-ed; a clause with none
// set matches every case). INVALID_ARGUMENT when `viewer_id` is not a
// positive account id (0 is "nobody" in pending_owner_id and step owners)
// or when there are more than kMaxCaseRoutes routes.
absl::Status AppendVisibleCase(int64_t viewer_id,
                               const std::vector<CaseRoute>& routes,
                               BoundSql& sql);

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_CASE_VISIBILITY_H_
