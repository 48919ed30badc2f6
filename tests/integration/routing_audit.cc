#include "routing_audit.h"

#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace casevault::testing {
namespace {

bool Matches(const AuditRow& row, const ExpectedEntry& e) {
  return row.actor == e.actor && row.action == e.action &&
         row.outcome == e.outcome && (!e.reason || row.reason == *e.reason) &&
         (!e.case_ref || row.case_ref == *e.case_ref) &&
         (!e.target || row.target == *e.target);
}

std::string Describe(const ExpectedEntry& e) {
  std::ostringstream out;
  out << e.actor << " " << e.action << " " << e.outcome;
  if (e.reason) out << " reason=\"" << *e.reason << "\"";
  if (e.case_ref) out << " case=" << (e.case_ref->empty() ? "-" : e.case_ref->substr(0, 8));
  if (e.target) out << " target=" << *e.target;
  return out.str();
}

}  // namespace

ExpectedEntry OnCase(const std::string& case_ref, const std::string& actor,
                     const std::string& action, const std::string& outcome,
                     std::optional<std::string> reason) {
  ExpectedEntry e;
  e.actor = actor;
  e.action = action;
  e.outcome = outcome;
  e.reason = std::move(reason);
  e.case_ref = case_ref;
  return e;
}

std::vector<AuditRow> ParseExportEntries(const std::string& export_text) {
  std::vector<AuditRow> rows;
  std::istringstream in(export_text);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {  // line 1: the export header
      header = false;
      continue;
    }
    if (line.empty() || line[0] != '{') break;  // the signed note begins
    const nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) {
      ADD_FAILURE() << "an entry line that is not a JSON object";
      continue;
    }
    AuditRow r;
    r.seq = j.value("seq", int64_t{-1});
    r.actor = j.value("actor", "");
    r.role = j.value("role", "");
    r.action = j.value("action", "");
    r.outcome = j.value("outcome", "");
    r.case_ref = j.value("case", "");
    r.target = j.value("target", "");
    r.reason = j.value("reason", "");
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string Describe(const AuditRow& r) {
  std::ostringstream out;
  out << "#" << r.seq << " " << r.actor << " (" << r.role << ") " << r.action << " "
      << r.outcome << " reason=\"" << r.reason << "\" case="
      << (r.case_ref.empty() ? "-" : r.case_ref.substr(0, 8));
  if (!r.target.empty()) out << " target=" << r.target;
  return out.str();
}

::testing::AssertionResult HasEntriesInOrder(
    const std::vector<AuditRow>& rows,
    const std::vector<ExpectedEntry>& expected) {
  size_t at = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    size_t found = at;
    while (found < rows.size() && !Matches(rows[found], expected[i])) ++found;
    if (found == rows.size()) {
      // Earliest-match is optimal for a subsequence: nothing later fits.
      auto failure = ::testing::AssertionFailure();
      failure << "expected entry " << i << " (" << Describe(expected[i])
              << ") not found after entry #"
              << (at == 0 ? -1 : rows[at - 1].seq) << "; the log's entries";
      std::set<std::string> refs;
      for (const auto& e : expected) {
        if (e.case_ref && !e.case_ref->empty()) refs.insert(*e.case_ref);
      }
      if (!refs.empty()) failure << " of these cases";
      failure << ":\n";
      for (const auto& r : rows) {
        if (refs.empty() || refs.count(r.case_ref) > 0) {
          failure << "  " << Describe(r) << "\n";
        }
      }
      return failure;
    }
    at = found + 1;
  }
  return ::testing::AssertionSuccess();
}

std::vector<AuditRow> RowsOf(const std::vector<AuditRow>& rows,
                             const std::string& actor,
                             const std::string& case_ref) {
  std::vector<AuditRow> out;
  for (const auto& r : rows) {
    if (r.actor == actor && (case_ref.empty() || r.case_ref == case_ref)) {
      out.push_back(r);
    }
  }
  return out;
}

}  // namespace casevault::testing
