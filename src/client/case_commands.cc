// case file | show | list | note (the lifecycle changes are in
// lifecycle_commands.cc).
#include <set>

#include "absl/strings/str_cat.h"
#include "client/case_input.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"

namespace casevault::client {
namespace {

constexpr size_t kMaxNoteBytes = 1024 * 1024;
// --all stops here rather than loop forever on a misbehaving server.
constexpr int kMaxPages = 10000;

absl::Status RequireCaseId(const std::string& case_id) {
  if (case_id.empty()) return ClientError(ExitCode::kUsage, "the case ID must not be empty");
  return absl::OkStatus();
}

absl::Status CaseNotFound(const absl::Status& status, const std::string& case_id) {
  if (ExitCodeOf(status) != ExitCode::kNotFound) return status;
  return ClientError(ExitCode::kNotFound,
                     absl::StrCat("case ", PrintableText(case_id, false),
                                  " not found (or not yours to see)"));
}

absl::StatusOr<std::string> NoteText(const CaseNoteOptions& options, CommandContext& context) {
  if (!options.text_file.empty()) {
    absl::StatusOr<std::string> text =
        ReadInputFile(options.text_file, "note file", kMaxNoteBytes, context.in());
    if (!text.ok()) return text.status();
    return WithoutTrailingNewline(std::move(*text));
  }
  if (!context.terminal().IsInteractive()) {
    return ClientError(ExitCode::kUsage,
                       "no note text and no terminal to ask on; use --text-file PATH or "
                       "--text-file - (standard input)");
  }
  return PromptMultiline(context.terminal(), "Note");
}

}  // namespace

absl::Status RunCaseFile(const CaseFlags& flags, CommandContext& context) {
  // Sign-in problems first, before anyone types a narrative.
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<v1::FileCaseRequest> request =
      BuildFileCaseRequest(flags, context.terminal(), context.in());
  if (!request.ok()) return request.status();
  absl::StatusOr<v1::Case> filed = (*api)->FileCase(*request);
  if (!filed.ok()) return filed.status();
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"id", filed->id()}});
  } else {
    context.out() << PrintableText(filed->id(), false) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunCaseShow(const std::string& case_id, CommandContext& context) {
  if (absl::Status s = RequireCaseId(case_id); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  absl::StatusOr<v1::Case> found = (*api)->GetCase(request);
  if (!found.ok()) return CaseNotFound(found.status(), case_id);
  context.out() << (context.format() == OutputFormat::kJson
                        ? JsonText(CaseJson(*found))
                        : CaseText(*found, context.language()));
  return absl::OkStatus();
}

absl::Status RunCaseList(const CaseListOptions& options, CommandContext& context) {
  v1::ListCasesRequest request;
  if (!options.status.empty()) {
    std::optional<v1::CaseStatus> status = ParseEnumName<v1::CaseStatus>(options.status);
    if (!status.has_value()) {
      return ClientError(ExitCode::kUsage, absl::StrCat("--status must be one of ",
                                                        EnumChoices<v1::CaseStatus>()));
    }
    request.set_status(*status);
  }
  if (!options.severity.empty()) {
    std::optional<v1::Severity> severity = ParseEnumName<v1::Severity>(options.severity);
    if (!severity.has_value()) {
      return ClientError(ExitCode::kUsage,
                         absl::StrCat("--severity must be one of ", EnumChoices<v1::Severity>()));
    }
    request.set_severity(*severity);
  }
  if (!options.environment.empty()) {
    std::optional<v1::Environment> environment =
        ParseEnumName<v1::Environment>(options.environment);
    if (!environment.has_value()) {
      return ClientError(ExitCode::kUsage, absl::StrCat("--environment must be one of ",
                                                        EnumChoices<v1::Environment>()));
    }
    request.set_environment(*environment);
  }
  request.set_overdue(options.overdue);
  if (options.page_size < 0) {
    return ClientError(ExitCode::kUsage, "--page-size must not be negative");
  }
  if (options.all && !options.page_token.empty()) {
    return ClientError(ExitCode::kUsage, "--all and --page-token exclude each other");
  }
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::ListCasesResponse all;
  std::set<std::string> tokens_seen;
  for (int page = 0;; ++page) {
    absl::StatusOr<v1::ListCasesResponse> response = (*api)->ListCases(request);
    if (!response.ok()) return response.status();
    if (!options.all) {
      all = std::move(*response);
      break;
    }
    for (v1::CaseSummary& summary : *response->mutable_cases()) {
      *all.add_cases() = std::move(summary);
    }
    const std::string& next = response->next_page_token();
    if (next.empty()) break;
    if (page + 1 >= kMaxPages || !tokens_seen.insert(next).second) {
      return ClientError(ExitCode::kInternal, "the server's pages do not come to an end");
    }
    request.set_page_token(next);
  }
  context.out() << (context.format() == OutputFormat::kJson
                        ? JsonText(CaseListJson(all))
                        : CaseListText(all, context.language()));
  return absl::OkStatus();
}

absl::Status RunCaseNote(const CaseNoteOptions& options, CommandContext& context) {
  if (absl::Status s = RequireCaseId(options.case_id); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<std::string> text = NoteText(options, context);
  if (!text.ok()) return text.status();
  v1::AddNoteRequest request;
  request.set_case_id(options.case_id);
  request.set_text(std::move(*text));
  absl::StatusOr<v1::Note> note = (*api)->AddNote(request);
  if (!note.ok()) return CaseNotFound(note.status(), options.case_id);
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"case_id", options.case_id},
                               {"note_id", note->id()},
                               {"author", note->author()},
                               {"created_at", note->created_at()}});
  } else {
    context.out() << "added note " << PrintableText(note->id(), false) << " to case "
                  << PrintableText(options.case_id, false) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
