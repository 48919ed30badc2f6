#include "client/case_input.h"

#include <functional>
#include <limits>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "common/clock.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using nlohmann::json;

constexpr size_t kMaxCaseFileBytes = 1024 * 1024;

// Keys of a --from-file document; aliases map to the canonical key.
const std::map<std::string, std::string>& KeyAliases() {
  static const auto* aliases = new std::map<std::string, std::string>{
      {"type", "type"},
      {"incident_type", "type"},
      {"context", "context"},
      {"severity", "severity"},
      {"incident_date", "incident_date"},
      {"place", "place"},
      {"reporter", "reporter"},
      {"reporter_type", "reporter"},
      {"victim_name", "victim_name"},
      {"victim_gender", "victim_gender"},
      {"victim_birth_year", "victim_birth_year"},
      {"victim_class", "victim_class"},
      {"victim_class_or_job", "victim_class"},
      {"victim_staff", "victim_staff"},
      {"victim_is_staff", "victim_staff"},
      {"perpetrator_relation", "perpetrator_relation"},
      {"perpetrator_name", "perpetrator_name"},
      {"narrative", "narrative"},
  };
  return *aliases;
}

// Parses an enum name into `out`; the problem as text otherwise.
template <typename E, typename Setter>
std::optional<std::string> SetEnum(const std::string& text, Setter set) {
  std::optional<E> value = ParseEnumName<E>(text);
  if (!value.has_value()) return absl::StrCat("must be one of ", EnumChoices<E>());
  set(*value);
  return std::nullopt;
}

// Applies the value of one canonical key; the problem as text, or nullopt.
std::optional<std::string> ApplyKey(const std::string& key, const json& value,
                                    v1::FileCaseRequest* r, SensitiveFieldsGiven* given) {
  if (key == "victim_birth_year") {
    if (!value.is_number_integer()) return "must be a whole number";
    const auto year = value.get<int64_t>();
    if (year < 0 || year > std::numeric_limits<int32_t>::max()) return "is out of range";
    r->mutable_victim()->set_birth_year(static_cast<int32_t>(year));
    return std::nullopt;
  }
  if (key == "victim_staff") {
    if (!value.is_boolean()) return "must be true or false";
    r->mutable_victim()->set_is_staff(value.get<bool>());
    return std::nullopt;
  }
  if (!value.is_string()) return "must be a string";
  const std::string text = value.get<std::string>();
  if (key == "type") {
    return SetEnum<v1::IncidentType>(text, [&](auto v) { r->set_incident_type(v); });
  }
  if (key == "context") {
    return SetEnum<v1::IncidentContext>(text, [&](auto v) { r->set_context(v); });
  }
  if (key == "severity") {
    return SetEnum<v1::Severity>(text, [&](auto v) { r->set_severity(v); });
  }
  if (key == "reporter") {
    return SetEnum<v1::ReporterType>(text, [&](auto v) { r->set_reporter_type(v); });
  }
  if (key == "victim_gender") {
    return SetEnum<v1::Gender>(text, [&](auto v) { r->mutable_victim()->set_gender(v); });
  }
  if (key == "perpetrator_relation") {
    return SetEnum<v1::PerpetratorRelation>(
        text, [&](auto v) { r->mutable_perpetrator()->set_relation(v); });
  }
  if (key == "incident_date") {
    if (!ParseIsoDate(text).ok()) return "must be a date written YYYY-MM-DD";
    r->set_incident_date(text);
  } else if (key == "place") {
    r->set_place(text);
    given->place = true;
  } else if (key == "victim_name") {
    r->mutable_victim()->set_name(text);
    given->victim_name = true;
  } else if (key == "victim_class") {
    r->mutable_victim()->set_class_or_job(text);
  } else if (key == "perpetrator_name") {
    r->mutable_perpetrator()->set_name(text);
    given->perpetrator_name = true;
  } else if (key == "narrative") {
    r->set_narrative(text);
    given->narrative = true;
  }
  return std::nullopt;
}

absl::Status BadFlag(absl::string_view flag, absl::string_view why) {
  return ClientError(ExitCode::kUsage, absl::StrCat(flag, " ", why));
}

template <typename E>
absl::Status ParseFlag(const std::optional<std::string>& text, absl::string_view flag,
                       const std::function<void(E)>& set) {
  if (!text.has_value()) return absl::OkStatus();
  std::optional<E> value = ParseEnumName<E>(*text);
  if (!value.has_value()) return BadFlag(flag, absl::StrCat("must be one of ", EnumChoices<E>()));
  set(*value);
  return absl::OkStatus();
}

// One line from the terminal ("" when input ends).
absl::StatusOr<std::string> PromptLine(Terminal& terminal, std::string_view prompt) {
  absl::StatusOr<std::optional<std::string>> line = terminal.ReadLine(prompt);
  if (!line.ok()) return line.status();
  return line->value_or("");
}

}  // namespace

std::string WithoutTrailingNewline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

absl::Status ApplyCaseJson(const std::string& json_text, const std::string& path,
                           v1::FileCaseRequest* request, SensitiveFieldsGiven* given) {
  const std::string where = absl::StrCat("case file ", path);
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::parse_error& e) {
    // e.what() quotes the text near the error: it may hold case content.
    return ClientError(ExitCode::kLocalFile,
                       absl::StrCat(where, " is not valid JSON (near byte ", e.byte, ")"));
  }
  if (!doc.is_object()) {
    return ClientError(ExitCode::kLocalFile, absl::StrCat(where, " must hold one JSON object"));
  }
  std::set<std::string> seen;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    auto alias = KeyAliases().find(it.key());
    if (alias == KeyAliases().end()) {
      return ClientError(ExitCode::kLocalFile,
                         absl::StrCat(where, ": unknown key \"",
                                      PrintableText(it.key(), false).substr(0, 64), "\""));
    }
    const std::string& key = alias->second;
    if (!seen.insert(key).second) {
      return ClientError(ExitCode::kLocalFile,
                         absl::StrCat(where, ": ", key, " is given twice (under two names)"));
    }
    if (std::optional<std::string> problem = ApplyKey(key, it.value(), request, given)) {
      return ClientError(ExitCode::kLocalFile, absl::StrCat(where, ": ", it.key(), " ", *problem));
    }
  }
  return absl::OkStatus();
}

absl::Status ApplyCaseFlags(const CaseFlags& f, v1::FileCaseRequest* r) {
  absl::Status s = ParseFlag<v1::IncidentType>(f.type, "--type",
                                               [&](auto v) { r->set_incident_type(v); });
  if (s.ok()) {
    s = ParseFlag<v1::IncidentContext>(f.context, "--context", [&](auto v) { r->set_context(v); });
  }
  if (s.ok()) {
    s = ParseFlag<v1::Severity>(f.severity, "--severity", [&](auto v) { r->set_severity(v); });
  }
  if (s.ok()) {
    s = ParseFlag<v1::ReporterType>(f.reporter, "--reporter",
                                    [&](auto v) { r->set_reporter_type(v); });
  }
  if (s.ok()) {
    s = ParseFlag<v1::Gender>(f.victim_gender, "--victim-gender",
                              [&](auto v) { r->mutable_victim()->set_gender(v); });
  }
  if (s.ok()) {
    s = ParseFlag<v1::PerpetratorRelation>(
        f.perpetrator_relation, "--perpetrator-relation",
        [&](auto v) { r->mutable_perpetrator()->set_relation(v); });
  }
  if (!s.ok()) return s;
  if (f.incident_date.has_value()) {
    if (!ParseIsoDate(*f.incident_date).ok()) {
      return BadFlag("--incident-date", "must be a date written YYYY-MM-DD");
    }
    r->set_incident_date(*f.incident_date);
  }
  if (f.victim_birth_year.has_value()) {
    if (*f.victim_birth_year < 0) return BadFlag("--victim-birth-year", "must not be negative");
    r->mutable_victim()->set_birth_year(*f.victim_birth_year);
  }
  if (f.victim_class.has_value()) r->mutable_victim()->set_class_or_job(*f.victim_class);
  if (f.victim_staff.has_value()) r->mutable_victim()->set_is_staff(*f.victim_staff);
  return absl::OkStatus();
}

absl::StatusOr<std::string> PromptMultiline(Terminal& terminal, std::string_view heading) {
  absl::StatusOr<std::optional<std::string>> line =
      terminal.ReadLine(absl::StrCat(std::string(heading), " (end with a line holding only \".\"):\n"));
  std::string text;
  bool first = true;
  for (;;) {
    if (!line.ok()) return line.status();
    if (!line->has_value() || **line == ".") break;
    if (!first) text += '\n';
    text += **line;
    first = false;
    line = terminal.ReadLine("");
  }
  return text;
}

absl::StatusOr<v1::FileCaseRequest> BuildFileCaseRequest(const CaseFlags& flags,
                                                         Terminal& terminal,
                                                         std::istream& stdin_stream) {
  v1::FileCaseRequest request;
  SensitiveFieldsGiven given;
  if (!flags.from_file.empty()) {
    absl::StatusOr<std::string> text =
        ReadInputFile(flags.from_file, "case file", kMaxCaseFileBytes, stdin_stream);
    if (!text.ok()) return text.status();
    absl::Status applied = ApplyCaseJson(*text, flags.from_file, &request, &given);
    if (!applied.ok()) return applied;
  }
  absl::Status applied = ApplyCaseFlags(flags, &request);
  if (!applied.ok()) return applied;
  if (!flags.narrative_file.empty()) {
    absl::StatusOr<std::string> text =
        ReadInputFile(flags.narrative_file, "narrative file", kMaxCaseFileBytes, stdin_stream);
    if (!text.ok()) return text.status();
    request.set_narrative(WithoutTrailingNewline(std::move(*text)));
    given.narrative = true;
  }
  if (!flags.from_file.empty() || !terminal.IsInteractive()) return request;

  if (!given.victim_name) {
    absl::StatusOr<std::string> name = PromptLine(terminal, "Victim name: ");
    if (!name.ok()) return name.status();
    request.mutable_victim()->set_name(*name);
  }
  if (!given.perpetrator_name) {
    absl::StatusOr<std::string> name =
        PromptLine(terminal, "Alleged perpetrator name (optional, Enter to skip): ");
    if (!name.ok()) return name.status();
    request.mutable_perpetrator()->set_name(*name);
  }
  if (!given.place) {
    absl::StatusOr<std::string> place = PromptLine(terminal, "Place of the incident: ");
    if (!place.ok()) return place.status();
    request.set_place(*place);
  }
  if (!given.narrative) {
    absl::StatusOr<std::string> narrative = PromptMultiline(terminal, "Narrative");
    if (!narrative.ok()) return narrative.status();
    request.set_narrative(*narrative);
  }
  return request;
}

}  // namespace casevault::client
