#include "client/output.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "common/utf8.h"

namespace casevault::client {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kMinLabelWidth = 16;

// Label-value lines, the values lined up after the widest label (at least
// kMinLabelWidth code points), with headings and indented text blocks in
// between.
class Fields {
 public:
  void Add(std::string label, std::string value) {
    lines_.push_back({Line::kField, std::move(label), PrintableText(value, false)});
  }
  void Heading(std::string text) { lines_.push_back({Line::kHeading, std::move(text), ""}); }
  // Multi-line text, each line after `indent`; "(empty)" for none.
  void Block(std::string_view text, std::string indent, Language language) {
    if (text.empty()) {
      lines_.push_back({Line::kRaw, absl::StrCat(indent, Tr(language, "(empty)", "(trống)")), ""});
      return;
    }
    for (absl::string_view line : absl::StrSplit(PrintableText(text, true), '\n')) {
      lines_.push_back({Line::kRaw, absl::StrCat(indent, line), ""});
    }
  }
  // Lines laid out already (a table).
  void Raw(absl::string_view text) {
    for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
      lines_.push_back({Line::kRaw, std::string(line), ""});
    }
  }

  std::string Render() const {
    size_t width = kMinLabelWidth;
    for (const Line& line : lines_) {
      if (line.kind == Line::kField) width = std::max(width, CodePointCount(line.label) + 2);
    }
    std::string out;
    for (const Line& line : lines_) {
      if (line.kind != Line::kField) {
        absl::StrAppend(&out, line.label, "\n");
        continue;
      }
      std::string padded = line.label;
      padded.append(width - CodePointCount(line.label), ' ');
      absl::StrAppend(&out, padded, line.value, "\n");
    }
    return out;
  }

 private:
  struct Line {
    enum Kind { kField, kHeading, kRaw } kind;
    std::string label;
    std::string value;
  };
  std::vector<Line> lines_;
};

std::string OrNotGiven(const std::string& value, Language language) {
  return value.empty() ? Tr(language, "(not given)", "(không có)") : value;
}

std::string OrNone(const std::string& value, Language language) {
  return value.empty() ? Tr(language, "(none)", "(không)") : value;
}

const char* YesNo(bool value, Language language) {
  return value ? Tr(language, "yes", "có") : Tr(language, "no", "không");
}

std::string Names(const google::protobuf::RepeatedPtrField<std::string>& names,
                  Language language) {
  return OrNone(absl::StrJoin(names, ", "), language);
}

Json StringArray(const google::protobuf::RepeatedPtrField<std::string>& values) {
  Json out = Json::array();
  for (const std::string& value : values) out.push_back(value);
  return out;
}

// A table indented by `indent`, without trailing blanks.
std::string IndentedTable(const std::vector<std::vector<std::string>>& rows,
                          absl::string_view indent) {
  std::string out;
  for (absl::string_view line : absl::StrSplit(TableText(rows), '\n', absl::SkipEmpty())) {
    absl::StrAppend(&out, indent, absl::StripTrailingAsciiWhitespace(line), "\n");
  }
  return out;
}

// "counselor-a", or "external: <party>" (`with_party`) / "external".
std::string StepOwnerCell(const v1::Step& step, bool with_party, Language language) {
  if (!step.owner().empty()) return step.owner();
  if (!with_party) return Tr(language, "external", "bên ngoài");
  return absl::StrCat(Tr(language, "external: ", "bên ngoài: "), step.external_party());
}

// "TIME by USER", or whichever of the two is known.
std::string AtBy(const std::string& at, const std::string& by, Language language) {
  if (by.empty()) return at;
  if (at.empty()) return by;
  return absl::StrCat(at, Tr(language, " by ", " - "), by);
}

const char* OverdueMark(const v1::Step& step, Language language) {
  return step.overdue() ? Tr(language, "OVERDUE", "QUÁ HẠN") : "";
}

std::string ServiceCell(v1::StepKind kind, Language language) {
  return kind == v1::STEP_KIND_UNSPECIFIED ? "-" : EnumLabel(kind, language);
}

std::string ConsentStanding(const v1::Consent& consent, Language language) {
  if (consent.in_force()) return Tr(language, "in force", "còn hiệu lực");
  if (!consent.withdrawn_at().empty()) {
    return absl::StrCat(Tr(language, "withdrawn ", "đã rút lại "), consent.withdrawn_at());
  }
  return Tr(language, "not in force", "không còn hiệu lực");
}

std::string EscalationValue(v1::Escalation escalation, v1::EscalationReason reason,
                            Language language) {
  std::string out = EnumLabel(escalation, language);
  if (reason != v1::ESCALATION_REASON_UNSPECIFIED) {
    absl::StrAppend(&out, " (", EnumLabel(reason, language), ")");
  }
  return out;
}

std::string ClosureValue(const v1::CaseState& state, Language language) {
  if (state.closure_pending()) {
    return absl::StrCat(Tr(language, "waiting for approval: ", "chờ phê duyệt: "),
                        EnumLabel(state.closure_reason(), language));
  }
  if (state.closure_reason() == v1::CLOSURE_REASON_UNSPECIFIED) {
    return Tr(language, "(none)", "(không)");
  }
  return EnumLabel(state.closure_reason(), language);
}

// The state lines shared by `case show` and the lifecycle commands.
void AddStateFields(Fields* f, const v1::CaseState& state, const std::string& owner,
                    Language language) {
  f->Add(Tr(language, "Escalation", "Cấp xử lý"),
         EscalationValue(state.escalation(), state.escalation_reason(), language));
  f->Add(Tr(language, "Owner", "Người phụ trách"), owner);
  f->Add(Tr(language, "Hand-over to", "Chờ bàn giao cho"), OrNone(state.pending_owner(), language));
  f->Add(Tr(language, "Closure", "Đóng hồ sơ"), ClosureValue(state, language));
  f->Add(Tr(language, "Participants", "Người tham gia"), Names(state.participants(), language));
  f->Add(Tr(language, "Implicated", "Người bị liên đới"), Names(state.implicated(), language));
  f->Add(Tr(language, "Staff involved", "Có cán bộ liên quan"),
         YesNo(state.staff_involved(), language));
}

std::vector<std::string> StepHeader(Language language, bool with_case) {
  std::vector<std::string> header = {Tr(language, "DUE", "HẠN")};
  if (with_case) header.push_back(Tr(language, "CASE", "HỒ SƠ"));
  for (const char* cell :
       {Tr(language, "ENVIRONMENT", "MÔI TRƯỜNG"), Tr(language, "KIND", "LOẠI"),
        Tr(language, "STATUS", "TRẠNG THÁI"), Tr(language, "OWNER", "NGƯỜI THỰC HIỆN"),
        Tr(language, "STEP", "MÃ BƯỚC"), Tr(language, "VERSION", "PHIÊN BẢN"), ""}) {
    header.push_back(cell);
  }
  return header;
}

std::vector<std::string> StepRow(const v1::Step& s, Language language, bool with_case,
                                 bool with_party) {
  std::vector<std::string> row = {s.due_date()};
  if (with_case) row.push_back(s.case_id());
  for (std::string cell :
       {EnumLabel(s.environment(), language), EnumLabel(s.kind(), language),
        EnumLabel(s.status(), language), StepOwnerCell(s, with_party, language), s.id(),
        absl::StrCat(s.version()), std::string(OverdueMark(s, language))}) {
    row.push_back(std::move(cell));
  }
  return row;
}

}  // namespace

std::string JsonText(const nlohmann::ordered_json& doc) {
  return doc.dump(2, ' ', /*ensure_ascii=*/false, nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
}

nlohmann::ordered_json CaseStateJson(const v1::CaseState& s) {
  return {
      {"case_id", s.case_id()},
      {"status", EnumNameOf(s.status())},
      {"version", s.version()},
      {"owner", s.owner()},
      {"pending_owner", s.pending_owner()},
      {"escalation", EnumNameOf(s.escalation())},
      {"escalation_reason", EnumNameOf(s.escalation_reason())},
      {"staff_involved", s.staff_involved()},
      {"closure_pending", s.closure_pending()},
      {"closure_reason", EnumNameOf(s.closure_reason())},
      {"participants", StringArray(s.participants())},
      {"implicated", StringArray(s.implicated())},
      {"updated_at", s.updated_at()},
  };
}

nlohmann::ordered_json StepJson(const v1::Step& s) {
  return {
      {"id", s.id()},
      {"case_id", s.case_id()},
      {"environment", EnumNameOf(s.environment())},
      {"kind", EnumNameOf(s.kind())},
      {"status", EnumNameOf(s.status())},
      {"owner", s.owner()},
      {"external_party", s.external_party()},
      {"due_date", s.due_date()},
      {"outcome", s.outcome()},
      {"created_by", s.created_by()},
      {"created_at", s.created_at()},
      {"updated_at", s.updated_at()},
      {"version", s.version()},
      {"overdue", s.overdue()},
  };
}

nlohmann::ordered_json ConsentJson(const v1::Consent& c) {
  return {
      {"id", c.id()},
      {"case_id", c.case_id()},
      {"purpose", EnumNameOf(c.purpose())},
      {"service_kind", EnumNameOf(c.service_kind())},
      {"given_by", EnumNameOf(c.given_by())},
      {"child_assent", EnumNameOf(c.child_assent())},
      {"given_on", c.given_on()},
      {"recorded_by", c.recorded_by()},
      {"recorded_at", c.recorded_at()},
      {"withdrawn_at", c.withdrawn_at()},
      {"withdrawn_by", c.withdrawn_by()},
      {"in_force", c.in_force()},
  };
}

nlohmann::ordered_json ConsentOverrideJson(const v1::ConsentOverride& o) {
  return {
      {"id", o.id()},
      {"case_id", o.case_id()},
      {"purpose", EnumNameOf(o.purpose())},
      {"service_kind", EnumNameOf(o.service_kind())},
      {"reason", EnumNameOf(o.reason())},
      {"recorded_by", o.recorded_by()},
      {"recorded_at", o.recorded_at()},
  };
}

nlohmann::ordered_json CaseJson(const v1::Case& c) {
  Json notes = Json::array();
  for (const v1::Note& note : c.notes()) {
    notes.push_back({{"id", note.id()},
                     {"author", note.author()},
                     {"created_at", note.created_at()},
                     {"text", note.text()}});
  }
  Json steps = Json::array();
  for (const v1::Step& step : c.steps()) steps.push_back(StepJson(step));
  Json consents = Json::array();
  for (const v1::Consent& consent : c.consents()) consents.push_back(ConsentJson(consent));
  Json overrides = Json::array();
  for (const v1::ConsentOverride& o : c.overrides()) overrides.push_back(ConsentOverrideJson(o));
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
      {"state", CaseStateJson(c.state())},
      {"steps", std::move(steps)},
      {"consents", std::move(consents)},
      {"overrides", std::move(overrides)},
      {"closure_note", c.closure_note()},
  };
}

nlohmann::ordered_json CaseListJson(const v1::ListCasesResponse& list) {
  Json cases = Json::array();
  for (const v1::CaseSummary& s : list.cases()) {
    cases.push_back({{"id", s.id()},
                     {"incident_type", EnumNameOf(s.incident_type())},
                     {"context", EnumNameOf(s.context())},
                     {"severity", EnumNameOf(s.severity())},
                     {"status", EnumNameOf(s.status())},
                     {"incident_date", s.incident_date()},
                     {"owner", s.owner()},
                     {"created_at", s.created_at()},
                     {"updated_at", s.updated_at()},
                     {"escalation", EnumNameOf(s.escalation())}});
  }
  return {{"cases", std::move(cases)}, {"next_page_token", list.next_page_token()}};
}

nlohmann::ordered_json StepListJson(const v1::ListStepsResponse& list) {
  Json steps = Json::array();
  for (const v1::Step& step : list.steps()) steps.push_back(StepJson(step));
  return {{"steps", std::move(steps)}, {"next_page_token", list.next_page_token()}};
}

nlohmann::ordered_json AccountJson(const v1::Account& a) {
  return {{"username", a.username()},   {"role", EnumNameOf(a.role())},
          {"unit_id", a.unit_id()},     {"disabled", a.disabled()},
          {"locked_until", a.locked_until()}, {"created_at", a.created_at()}};
}

nlohmann::ordered_json AccountListJson(const v1::ListAccountsResponse& list) {
  Json accounts = Json::array();
  for (const v1::Account& a : list.accounts()) accounts.push_back(AccountJson(a));
  return {{"accounts", std::move(accounts)}, {"next_page_token", list.next_page_token()}};
}

nlohmann::ordered_json FailureJson(const absl::Status& failure) {
  return {{"error",
           {{"exit_code", ToInt(ExitCodeOf(failure))},
            {"message", std::string(failure.message())},
            {"reason", ReasonOf(failure)}}}};
}

std::string CaseText(const v1::Case& c, Language lang) {
  Fields f;
  f.Add(Tr(lang, "Case", "Hồ sơ"), c.id());
  f.Add(Tr(lang, "Status", "Trạng thái"), EnumLabel(c.status(), lang));
  AddStateFields(&f, c.state(), c.owner().empty() ? c.state().owner() : c.owner(), lang);
  f.Add(Tr(lang, "Incident type", "Loại vụ việc"), EnumLabel(c.incident_type(), lang));
  f.Add(Tr(lang, "Context", "Bối cảnh"), EnumLabel(c.context(), lang));
  f.Add(Tr(lang, "Severity", "Mức độ"), EnumLabel(c.severity(), lang));
  f.Add(Tr(lang, "Incident date", "Ngày xảy ra"), OrNotGiven(c.incident_date(), lang));
  f.Add(Tr(lang, "Place", "Địa điểm"), OrNotGiven(c.place(), lang));
  f.Add(Tr(lang, "Reporter", "Người báo tin"), EnumLabel(c.reporter_type(), lang));
  f.Heading(Tr(lang, "Victim", "Người bị hại"));
  f.Add(Tr(lang, "  Name", "  Họ tên"), OrNotGiven(c.victim().name(), lang));
  f.Add(Tr(lang, "  Gender", "  Giới tính"), EnumLabel(c.victim().gender(), lang));
  f.Add(Tr(lang, "  Birth year", "  Năm sinh"),
        c.victim().birth_year() == 0 ? OrNotGiven("", lang) : absl::StrCat(c.victim().birth_year()));
  f.Add(Tr(lang, "  Class or job", "  Lớp/công việc"), OrNotGiven(c.victim().class_or_job(), lang));
  f.Add(Tr(lang, "  Staff member", "  Là cán bộ"), YesNo(c.victim().is_staff(), lang));
  f.Heading(Tr(lang, "Alleged perpetrator", "Người bị tố cáo"));
  f.Add(Tr(lang, "  Relation", "  Quan hệ"), EnumLabel(c.perpetrator().relation(), lang));
  f.Add(Tr(lang, "  Name", "  Họ tên"), OrNotGiven(c.perpetrator().name(), lang));
  f.Add(Tr(lang, "School", "Trường"), c.school_id());
  f.Add(Tr(lang, "Created", "Ngày tạo"), c.created_at());
  f.Add(Tr(lang, "Updated", "Cập nhật"), c.updated_at());
  f.Add(Tr(lang, "Version", "Phiên bản"), absl::StrCat(c.version()));
  f.Heading(Tr(lang, "Narrative", "Tường trình"));
  f.Block(c.narrative(), "  ", lang);
  if (!c.closure_note().empty()) {
    f.Heading(Tr(lang, "Closure note", "Ghi chú khi đóng hồ sơ"));
    f.Block(c.closure_note(), "  ", lang);
  }
  f.Heading(absl::StrCat(Tr(lang, "Notes (", "Ghi chú ("), c.notes_size(), ")"));
  for (const v1::Note& note : c.notes()) {
    f.Heading(absl::StrCat("  ", PrintableText(note.created_at(), false), Tr(lang, " by ", " - "),
                           PrintableText(note.author(), false), " [",
                           PrintableText(note.id(), false), "]"));
    f.Block(note.text(), "    ", lang);
  }

  f.Heading(absl::StrCat(Tr(lang, "Steps (", "Các bước hỗ trợ ("), c.steps_size(), ")"));
  if (c.steps_size() > 0) {
    std::vector<std::vector<std::string>> rows = {StepHeader(lang, false)};
    for (const v1::Step& step : c.steps()) rows.push_back(StepRow(step, lang, false, true));
    const std::vector<std::string> lines =
        absl::StrSplit(IndentedTable(rows, "  "), '\n', absl::SkipEmpty());
    f.Raw(lines[0]);
    for (int i = 0; i < c.steps_size(); ++i) {
      f.Raw(lines[i + 1]);
      if (!c.steps(i).outcome().empty()) {
        f.Heading(Tr(lang, "    Outcome", "    Kết quả"));
        f.Block(c.steps(i).outcome(), "      ", lang);
      }
    }
  }

  f.Heading(absl::StrCat(Tr(lang, "Consents (", "Sự đồng ý ("), c.consents_size(), ")"));
  if (c.consents_size() > 0) {
    std::vector<std::vector<std::string>> rows = {
        {Tr(lang, "PURPOSE", "MỤC ĐÍCH"), Tr(lang, "SERVICE", "DỊCH VỤ"),
         Tr(lang, "GIVEN BY", "NGƯỜI ĐỒNG Ý"), Tr(lang, "CHILD ASSENT", "Ý KIẾN CỦA TRẺ"),
         Tr(lang, "GIVEN ON", "NGÀY"), Tr(lang, "STANDING", "HIỆU LỰC"),
         Tr(lang, "CONSENT", "MÃ")}};
    for (const v1::Consent& k : c.consents()) {
      rows.push_back({EnumLabel(k.purpose(), lang), ServiceCell(k.service_kind(), lang),
                      EnumLabel(k.given_by(), lang), EnumLabel(k.child_assent(), lang),
                      k.given_on(), ConsentStanding(k, lang), k.id()});
    }
    f.Raw(IndentedTable(rows, "  "));
  }

  f.Heading(absl::StrCat(Tr(lang, "Consent overrides (", "Quyết định thay cho sự đồng ý ("),
                         c.overrides_size(), ")"));
  if (c.overrides_size() > 0) {
    std::vector<std::vector<std::string>> rows = {
        {Tr(lang, "PURPOSE", "MỤC ĐÍCH"), Tr(lang, "SERVICE", "DỊCH VỤ"),
         Tr(lang, "REASON", "LÝ DO"), Tr(lang, "BY", "NGƯỜI QUYẾT ĐỊNH"),
         Tr(lang, "AT", "THỜI ĐIỂM"), Tr(lang, "OVERRIDE", "MÃ")}};
    for (const v1::ConsentOverride& o : c.overrides()) {
      rows.push_back({EnumLabel(o.purpose(), lang), ServiceCell(o.service_kind(), lang),
                      EnumLabel(o.reason(), lang), o.recorded_by(), o.recorded_at(), o.id()});
    }
    f.Raw(IndentedTable(rows, "  "));
  }
  return f.Render();
}

std::string CaseStateText(const v1::CaseState& state, Language lang) {
  Fields f;
  f.Add(Tr(lang, "Case", "Hồ sơ"), state.case_id());
  f.Add(Tr(lang, "Version", "Phiên bản"), absl::StrCat(state.version()));
  f.Add(Tr(lang, "Status", "Trạng thái"), EnumLabel(state.status(), lang));
  AddStateFields(&f, state, state.owner(), lang);
  f.Add(Tr(lang, "Updated", "Cập nhật"), state.updated_at());
  return f.Render();
}

std::string StepText(const v1::Step& s, Language lang) {
  Fields f;
  f.Add(Tr(lang, "Step", "Bước"), s.id());
  f.Add(Tr(lang, "Case", "Hồ sơ"), s.case_id());
  f.Add(Tr(lang, "Version", "Phiên bản"), absl::StrCat(s.version()));
  f.Add(Tr(lang, "Environment", "Môi trường"), EnumLabel(s.environment(), lang));
  f.Add(Tr(lang, "Kind", "Loại"), EnumLabel(s.kind(), lang));
  f.Add(Tr(lang, "Status", "Trạng thái"), EnumLabel(s.status(), lang));
  if (!s.owner().empty() || s.external_party().empty()) {
    f.Add(Tr(lang, "Owner", "Người thực hiện"), s.owner());
  } else {
    f.Add(Tr(lang, "External party", "Bên ngoài"), s.external_party());
  }
  f.Add(Tr(lang, "Due", "Hạn"),
        s.overdue() ? absl::StrCat(s.due_date(), "  ", OverdueMark(s, lang)) : s.due_date());
  f.Add(Tr(lang, "Created", "Ngày tạo"), AtBy(s.created_at(), s.created_by(), lang));
  f.Add(Tr(lang, "Updated", "Cập nhật"), s.updated_at());
  if (!s.outcome().empty()) {
    f.Heading(Tr(lang, "Outcome", "Kết quả"));
    f.Block(s.outcome(), "  ", lang);
  }
  return f.Render();
}

std::string ConsentText(const v1::Consent& c, Language lang) {
  Fields f;
  f.Add(Tr(lang, "Consent", "Sự đồng ý"), c.id());
  f.Add(Tr(lang, "Case", "Hồ sơ"), c.case_id());
  f.Add(Tr(lang, "Purpose", "Mục đích"), EnumLabel(c.purpose(), lang));
  f.Add(Tr(lang, "Service", "Dịch vụ"), ServiceCell(c.service_kind(), lang));
  f.Add(Tr(lang, "Given by", "Người đồng ý"), EnumLabel(c.given_by(), lang));
  f.Add(Tr(lang, "Child assent", "Ý kiến của trẻ"), EnumLabel(c.child_assent(), lang));
  f.Add(Tr(lang, "Given on", "Ngày đồng ý"), c.given_on());
  f.Add(Tr(lang, "Recorded", "Ghi nhận"), AtBy(c.recorded_at(), c.recorded_by(), lang));
  f.Add(Tr(lang, "Standing", "Hiệu lực"), ConsentStanding(c, lang));
  if (!c.withdrawn_by().empty()) f.Add(Tr(lang, "Withdrawn by", "Người rút lại"), c.withdrawn_by());
  return f.Render();
}

std::string ConsentOverrideText(const v1::ConsentOverride& o, Language lang) {
  Fields f;
  f.Add(Tr(lang, "Override", "Quyết định"), o.id());
  f.Add(Tr(lang, "Case", "Hồ sơ"), o.case_id());
  f.Add(Tr(lang, "Purpose", "Mục đích"), EnumLabel(o.purpose(), lang));
  f.Add(Tr(lang, "Service", "Dịch vụ"), ServiceCell(o.service_kind(), lang));
  f.Add(Tr(lang, "Reason", "Lý do"), EnumLabel(o.reason(), lang));
  f.Add(Tr(lang, "Recorded", "Ghi nhận"), AtBy(o.recorded_at(), o.recorded_by(), lang));
  return f.Render();
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

std::string CaseListText(const v1::ListCasesResponse& list, Language lang) {
  std::string out;
  if (list.cases().empty()) {
    out = absl::StrCat(Tr(lang, "no cases", "không có hồ sơ nào"), "\n");
  } else {
    std::vector<std::vector<std::string>> rows = {
        {Tr(lang, "ID", "MÃ"), Tr(lang, "STATUS", "TRẠNG THÁI"),
         Tr(lang, "ESCALATION", "CẤP XỬ LÝ"), Tr(lang, "TYPE", "LOẠI"),
         Tr(lang, "CONTEXT", "BỐI CẢNH"), Tr(lang, "SEVERITY", "MỨC ĐỘ"),
         Tr(lang, "INCIDENT", "NGÀY XẢY RA"), Tr(lang, "OWNER", "PHỤ TRÁCH"),
         Tr(lang, "UPDATED", "CẬP NHẬT")}};
    for (const v1::CaseSummary& s : list.cases()) {
      rows.push_back({s.id(), EnumLabel(s.status(), lang), EnumLabel(s.escalation(), lang),
                      EnumLabel(s.incident_type(), lang), EnumLabel(s.context(), lang),
                      EnumLabel(s.severity(), lang), s.incident_date(), s.owner(),
                      s.updated_at()});
    }
    out = IndentedTable(rows, "");
  }
  if (!list.next_page_token().empty()) {
    absl::StrAppend(&out, Tr(lang, "more: ", "trang sau: "), "casevault case list --page-token ",
                    PrintableText(list.next_page_token(), false), "\n");
  }
  return out;
}

std::string StepListText(const v1::ListStepsResponse& list, Language lang) {
  std::string out;
  if (list.steps().empty()) {
    out = absl::StrCat(Tr(lang, "no steps", "không có bước nào"), "\n");
  } else {
    std::vector<std::vector<std::string>> rows = {StepHeader(lang, true)};
    for (const v1::Step& step : list.steps()) rows.push_back(StepRow(step, lang, true, false));
    out = IndentedTable(rows, "");
  }
  if (!list.next_page_token().empty()) {
    absl::StrAppend(&out, Tr(lang, "more: ", "trang sau: "), "casevault step list --page-token ",
                    PrintableText(list.next_page_token(), false), "\n");
  }
  return out;
}

std::string AccountText(const v1::Account& a) {
  Fields f;
  f.Add("Username", a.username());
  f.Add("Role", std::string(EnumNameOf(a.role())));
  f.Add("Unit", a.unit_id());
  f.Add("Disabled", a.disabled() ? "yes" : "no");
  f.Add("Locked until", a.locked_until().empty() ? "(not locked)" : a.locked_until());
  f.Add("Created", a.created_at());
  return f.Render();
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
