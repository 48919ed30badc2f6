// step add | update | done | list: the steps that carry a case through
// school, family and society.
#include <set>

#include "absl/strings/str_cat.h"
#include "client/command_flags.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "client/output.h"

namespace casevault::client {
namespace {

// --all stops here rather than loop forever on a misbehaving server.
constexpr int kMaxPages = 10000;
constexpr char kStepReload[] = "casevault step list --case CASE_ID";

absl::StatusOr<std::string> ExternalParty(const std::string& path, CommandContext& context) {
  absl::StatusOr<std::string> text = ReadTextFlagFile(path, "external party file", context);
  if (!text.ok()) return text.status();
  if (text->empty()) {
    return ClientError(ExitCode::kLocalFile,
                       absl::StrCat("external party file ", PrintableText(path, false),
                                    " is empty; it must name the service or person"));
  }
  return text;
}

absl::Status StepFailure(const absl::Status& failure, const std::string& step_id) {
  return ForThing(failure, "step", step_id, kStepReload);
}

void PrintStep(const v1::Step& step, CommandContext& context) {
  PrintResult(context, StepJson(step), StepText(step, context.language()));
}

}  // namespace

absl::Status RunStepAdd(const StepAddOptions& options, CommandContext& context) {
  if (absl::Status s = RequireId(options.case_id, "case"); !s.ok()) return s;
  absl::StatusOr<v1::StepKind> kind = ParseEnumFlag<v1::StepKind>(options.kind, "--kind");
  if (!kind.ok()) return kind.status();
  if (options.owner.empty() == options.external_party_file.empty()) {
    return ClientError(ExitCode::kUsage,
                       "give exactly one of --owner USERNAME (an account does the step) and "
                       "--external-party-file PATH (someone outside casevault does it)");
  }
  if (absl::Status s = CheckDateFlag(options.due, "--due"); !s.ok()) return s;

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::AddStepRequest request;
  request.set_case_id(options.case_id);
  request.set_kind(*kind);
  request.set_due_date(options.due);
  if (!options.owner.empty()) {
    request.set_owner(options.owner);
  } else {
    absl::StatusOr<std::string> party = ExternalParty(options.external_party_file, context);
    if (!party.ok()) return party.status();
    request.set_external_party(std::move(*party));
  }
  absl::StatusOr<v1::Step> step = (*api)->AddStep(request);
  if (!step.ok()) {
    return ForThing(step.status(), "case", options.case_id,
                    absl::StrCat("casevault case show ", PrintableText(options.case_id, false)));
  }
  PrintStep(*step, context);
  return absl::OkStatus();
}

absl::Status RunStepUpdate(const StepUpdateOptions& options, CommandContext& context) {
  if (absl::Status s = RequireId(options.step_id, "step"); !s.ok()) return s;
  absl::StatusOr<int64_t> version = ParseVersionFlag(options.version);
  if (!version.ok()) return version.status();
  v1::UpdateStepRequest request;
  request.set_step_id(options.step_id);
  request.set_version(*version);
  if (options.status.has_value()) {
    if (FoldEnumName(*options.status, EnumProtoPrefix<v1::StepStatus>()) == "done") {
      return ClientError(ExitCode::kUsage,
                         "--status cannot be done; run: casevault step done STEP_ID --version N");
    }
    absl::StatusOr<v1::StepStatus> status = ParseEnumFlagWhere<v1::StepStatus>(
        *options.status, "--status", [](v1::StepStatus v) { return v != v1::STEP_STATUS_DONE; });
    if (!status.ok()) return status.status();
    request.set_status(*status);
  }
  if (options.owner.has_value()) {
    if (options.owner->empty()) return ClientError(ExitCode::kUsage, "--owner must name a user");
    if (!options.external_party_file.empty()) {
      return ClientError(ExitCode::kUsage,
                         "--owner and --external-party-file exclude each other");
    }
    request.set_owner(*options.owner);
  }
  if (options.due.has_value()) {
    if (absl::Status s = CheckDateFlag(*options.due, "--due"); !s.ok()) return s;
    request.set_due_date(*options.due);
  }
  if (!options.status.has_value() && !options.owner.has_value() && !options.due.has_value() &&
      options.outcome_file.empty() && options.external_party_file.empty()) {
    return ClientError(ExitCode::kUsage,
                       "nothing to change; give --status, --owner, --due, --outcome-file or "
                       "--external-party-file");
  }

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  if (!options.external_party_file.empty()) {
    absl::StatusOr<std::string> party = ExternalParty(options.external_party_file, context);
    if (!party.ok()) return party.status();
    request.set_external_party(std::move(*party));
  }
  if (!options.outcome_file.empty()) {
    absl::StatusOr<std::string> outcome =
        ReadTextFlagFile(options.outcome_file, "outcome file", context);
    if (!outcome.ok()) return outcome.status();
    request.set_outcome(std::move(*outcome));
  }
  absl::StatusOr<v1::Step> step = (*api)->UpdateStep(request);
  if (!step.ok()) return StepFailure(step.status(), options.step_id);
  PrintStep(*step, context);
  return absl::OkStatus();
}

absl::Status RunStepDone(const StepDoneOptions& options, CommandContext& context) {
  if (absl::Status s = RequireId(options.step_id, "step"); !s.ok()) return s;
  absl::StatusOr<int64_t> version = ParseVersionFlag(options.version);
  if (!version.ok()) return version.status();
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::CompleteStepRequest request;
  request.set_step_id(options.step_id);
  request.set_version(*version);
  if (!options.outcome_file.empty()) {
    absl::StatusOr<std::string> outcome =
        ReadTextFlagFile(options.outcome_file, "outcome file", context);
    if (!outcome.ok()) return outcome.status();
    request.set_outcome(std::move(*outcome));
  }
  absl::StatusOr<v1::Step> step = (*api)->CompleteStep(request);
  if (!step.ok()) return StepFailure(step.status(), options.step_id);
  PrintStep(*step, context);
  return absl::OkStatus();
}

absl::Status RunStepList(const StepListOptions& options, CommandContext& context) {
  if (options.page_size < 0) {
    return ClientError(ExitCode::kUsage, "--page-size must not be negative");
  }
  if (options.all && !options.page_token.empty()) {
    return ClientError(ExitCode::kUsage, "--all and --page-token exclude each other");
  }
  v1::ListStepsRequest request;
  request.set_case_id(options.case_id);
  request.set_overdue(options.overdue);
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::ListStepsResponse all;
  std::set<std::string> tokens_seen;
  for (int page = 0;; ++page) {
    absl::StatusOr<v1::ListStepsResponse> response = (*api)->ListSteps(request);
    if (!response.ok()) {
      if (options.case_id.empty()) return response.status();
      return ForThing(response.status(), "case", options.case_id, "");
    }
    if (!options.all) {
      all = std::move(*response);
      break;
    }
    for (v1::Step& step : *response->mutable_steps()) *all.add_steps() = std::move(step);
    const std::string& next = response->next_page_token();
    if (next.empty()) break;
    if (page + 1 >= kMaxPages || !tokens_seen.insert(next).second) {
      return ClientError(ExitCode::kInternal, "the server's pages do not come to an end");
    }
    request.set_page_token(next);
  }
  PrintResult(context, StepListJson(all), StepListText(all, context.language()));
  return absl::OkStatus();
}

}  // namespace casevault::client
