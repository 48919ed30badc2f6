#include "client/output.h"

#include <algorithm>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "common/utf8.h"

namespace casevault::client {
namespace {

constexpr size_t kLabelWidth = 16;

void AddField(std::string* out, std::string_view label, std::string_view value) {
  std::string padded(label);
  if (padded.size() < kLabelWidth) padded.resize(kLabelWidth, ' ');
  absl::StrAppend(out, padded, PrintableText(value, false), "\n");
}

std::string OrNotGiven(const std::string& value) {
  return value.empty() ? "(not given)" : value;
}

// Multi-line text indented under a heading.
void AddBlock(std::string* out, std::string_view text, absl::string_view indent) {
  if (text.empty()) {
    absl::StrAppend(out, indent, "(empty)\n");
    return;
  }
  for (absl::string_view line : absl::StrSplit(PrintableText(text, true), '\n')) {
    absl::StrAppend(out, indent, line, "\n");
  }
}

}  // namespace

std::string JsonText(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

nlohmann::ordered_json CaseJson(const v1::Case& c) {
  nlohmann::ordered_json notes = nlohmann::ordered_json::array();
  for (const v1::Note& note : c.notes()) {
    notes.push_back({{"id", note.id()},
                     {"author", note.author()},
                     {"created_at", note.created_at()},
                     {"text", note.text()}});
  }
  return {
      {"id", c.id()},
      {"incident_type", EnumNameOf(c.incident_type())},
      {"context", EnumNameOf(c.context())},
      {"severity", EnumNameOf(c.severity())},
      {"incident_date", c.incident_date()},
      {"place", c.place()},
      {"reporter_type", EnumNameOf(c.reporter_type())},
      {"victim",
       {{"name", c.victim().name()},
        {"gender", EnumNameOf(c.victim().gender())},
        {"birth_year", c.victim().birth_year()},
        {"class_or_job", c.victim().class_or_job()},
        {"is_staff", c.victim().is_staff()}}},
      {"perpetrator",
       {{"relation", EnumNameOf(c.perpetrator().relation())}, {"name", c.perpetrator().name()}}},
      {"narrative", c.narrative()},
      {"status", EnumNameOf(c.status())},
      {"school_id", c.school_id()},
      {"owner", c.owner()},
      {"created_at", c.created_at()},
      {"updated_at", c.updated_at()},
      {"version", c.version()},
      {"notes", std::move(notes)},
  };
}

nlohmann::ordered_json CaseListJson(const v1::ListCasesResponse& list) {
  nlohmann::ordered_json cases = nlohmann::ordered_json::array();
  for (const v1::CaseSummary& s : list.cases()) {
    cases.push_back({{"id", s.id()},
                     {"incident_type", EnumNameOf(s.incident_type())},
                     {"context", EnumNameOf(s.context())},
                     {"severity", EnumNameOf(s.severity())},
                     {"status", EnumNameOf(s.status())},
                     {"incident_date", s.incident_date()},
                     {"owner", s.owner()},
                     {"created_at", s.created_at()},
                     {"updated_at", s.updated_at()}});
  }
  return {{"cases", std::move(cases)}, {"next_page_token", list.next_page_token()}};
}

nlohmann::ordered_json AccountJson(const v1::Account& a) {
  return {{"username", a.username()},   {"role", EnumNameOf(a.role())},
          {"unit_id", a.unit_id()},     {"disabled", a.disabled()},
          {"locked_until", a.locked_until()}, {"created_at", a.created_at()}};
}

nlohmann::ordered_json AccountListJson(const v1::ListAccountsResponse& list) {
  nlohmann::ordered_json accounts = nlohmann::ordered_json::array();
  for (const v1::Account& a : list.accounts()) accounts.push_back(AccountJson(a));
  return {{"accounts", std::move(accounts)}, {"next_page_token", list.next_page_token()}};
}

std::string CaseText(const v1::Case& c) {
  std::string out;
  AddField(&out, "Case", c.id());
  AddField(&out, "Status", EnumNameOf(c.status()));
  AddField(&out, "Incident type", EnumNameOf(c.incident_type()));
  AddField(&out, "Context", EnumNameOf(c.context()));
  AddField(&out, "Severity", EnumNameOf(c.severity()));
  AddField(&out, "Incident date", OrNotGiven(c.incident_date()));
  AddField(&out, "Place", OrNotGiven(c.place()));
  AddField(&out, "Reporter", EnumNameOf(c.reporter_type()));
  out += "Victim\n";
  AddField(&out, "  Name", OrNotGiven(c.victim().name()));
  AddField(&out, "  Gender", EnumNameOf(c.victim().gender()));
  AddField(&out, "  Birth year",
           c.victim().birth_year() == 0 ? "(not given)" : absl::StrCat(c.victim().birth_year()));
  AddField(&out, "  Class or job", OrNotGiven(c.victim().class_or_job()));
  AddField(&out, "  Staff member", c.victim().is_staff() ? "yes" : "no");
  out += "Alleged perpetrator\n";
  AddField(&out, "  Relation", EnumNameOf(c.perpetrator().relation()));
  AddField(&out, "  Name", OrNotGiven(c.perpetrator().name()));
  AddField(&out, "School", c.school_id());
  AddField(&out, "Owner", c.owner());
  AddField(&out, "Created", c.created_at());
  AddField(&out, "Updated", c.updated_at());
  AddField(&out, "Version", absl::StrCat(c.version()));
  out += "Narrative\n";
  AddBlock(&out, c.narrative(), "  ");
  absl::StrAppend(&out, "Notes (", c.notes_size(), ")\n");
  for (const v1::Note& note : c.notes()) {
    absl::StrAppend(&out, "  ", PrintableText(note.created_at(), false), " by ",
                    PrintableText(note.author(), false), " [", PrintableText(note.id(), false),
                    "]\n");
    AddBlock(&out, note.text(), "    ");
  }
  return out;
}

std::string TableText(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    std::vector<std::string> printable;
    for (size_t i = 0; i < row.size(); ++i) {
      printable.push_back(PrintableText(row[i], false));
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], CodePointCount(printable.back()));
    }
    cells.push_back(std::move(printable));
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line.append(widths[i] - CodePointCount(row[i]) + 2, ' ');
    }
    absl::StrAppend(&out, line, "\n");
  }
  return out;
}

std::string CaseListText(const v1::ListCasesResponse& list) {
  std::string out;
  if (list.cases().empty()) {
    out = "no cases\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"ID", "STATUS", "TYPE", "CONTEXT", "SEVERITY", "INCIDENT", "OWNER", "UPDATED"}};
    for (const v1::CaseSummary& s : list.cases()) {
      rows.push_back({s.id(), std::string(EnumNameOf(s.status())),
                      std::string(EnumNameOf(s.incident_type())),
                      std::string(EnumNameOf(s.context())), std::string(EnumNameOf(s.severity())),
                      s.incident_date(), s.owner(), s.updated_at()});
    }
    out = TableText(rows);
  }
  if (!list.next_page_token().empty()) {
    absl::StrAppend(&out, "more: casevault case list --page-token ",
                    PrintableText(list.next_page_token(), false), "\n");
  }
  return out;
}

std::string AccountText(const v1::Account& a) {
  std::string out;
  AddField(&out, "Username", a.username());
  AddField(&out, "Role", EnumNameOf(a.role()));
  AddField(&out, "Unit", a.unit_id());
  AddField(&out, "Disabled", a.disabled() ? "yes" : "no");
  AddField(&out, "Locked until", a.locked_until().empty() ? "(not locked)" : a.locked_until());
  AddField(&out, "Created", a.created_at());
  return out;
}

std::string AccountListText(const v1::ListAccountsResponse& list) {
  std::string out;
  if (list.accounts().empty()) {
    out = "no accounts\n";
  } else {
    std::vector<std::vector<std::string>> rows = {
        {"USERNAME", "ROLE", "UNIT", "DISABLED", "LOCKED UNTIL", "CREATED"}};
    for (const v1::Account& a : list.accounts()) {
      rows.push_back({a.username(), std::string(EnumNameOf(a.role())), a.unit_id(),
                      a.disabled() ? "yes" : "no", a.locked_until().empty() ? "-" : a.locked_until(),
                      a.created_at()});
    }
    out = TableText(rows);
  }
  if (!list.next_page_token().empty()) {
    absl::StrAppend(&out, "more: casevault user list --page-token ",
                    PrintableText(list.next_page_token(), false), "\n");
  }
  return out;
}

}  // namespace casevault::client
