// Reading an audit export for the routing scenarios: the entries of a
// `casevault audit export` file as (actor, action, outcome, reason, case,
// target) rows, and a check that a scenario's expected entries appear in
// the log in order (as a subsequence: other entries may come between).
#ifndef CASEVAULT_TESTS_INTEGRATION_ROUTING_AUDIT_H_
#define CASEVAULT_TESTS_INTEGRATION_ROUTING_AUDIT_H_

#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace casevault::testing {

// One entry of the log, the fields the scenarios check.
struct AuditRow {
  int64_t seq = -1;
  std::string actor, role, action, outcome, case_ref, target, reason;
};

// What a scenario expects of one entry. Unset optionals match anything.
struct ExpectedEntry {
  std::string actor, action, outcome;
  std::optional<std::string> reason;
  std::optional<std::string> case_ref;  // "" means: no case
  std::optional<std::string> target;
};

// Shorthand: an expected entry of `case_ref` (reason checked when given).
ExpectedEntry OnCase(const std::string& case_ref, const std::string& actor,
                     const std::string& action, const std::string& outcome,
                     std::optional<std::string> reason = std::nullopt);

// The entry lines of an export file (between the header and the signed
// note), parsed. Fails the test on a line that is not a JSON object.
std::vector<AuditRow> ParseExportEntries(const std::string& export_text);

// Whether `expected` occurs in `rows` in this order, each matched by a later
// row than the one before. On failure, says which expectation was not met
// and lists the rows of the cases involved.
::testing::AssertionResult HasEntriesInOrder(
    const std::vector<AuditRow>& rows,
    const std::vector<ExpectedEntry>& expected);

// The rows matching `actor` (and `case_ref` when not empty).
std::vector<AuditRow> RowsOf(const std::vector<AuditRow>& rows,
                             const std::string& actor,
                             const std::string& case_ref = "");

std::string Describe(const AuditRow& row);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_ROUTING_AUDIT_H_
