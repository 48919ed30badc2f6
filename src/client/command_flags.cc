#include "client/command_flags.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "client/case_input.h"
#include "client/secret_input.h"
#include "common/clock.h"

namespace casevault::client {

bool IsSocietyKind(v1::StepKind kind) {
  const int number = static_cast<int>(kind);
  return number >= 30 && number < 40;
}

absl::StatusOr<int64_t> ParseVersionFlag(const std::string& text) {
  int64_t version = 0;
  const bool digits_only =
      !text.empty() && std::all_of(text.begin(), text.end(),
                                   [](char c) { return absl::ascii_isdigit(static_cast<unsigned char>(c)); });
  if (!digits_only || !absl::SimpleAtoi(text, &version) || version < 1) {
    return ClientError(ExitCode::kUsage,
                       "--version must be a whole number of at least 1 (the version that "
                       "casevault case show printed)");
  }
  return version;
}

absl::Status CheckDateFlag(const std::string& text, absl::string_view flag) {
  if (!ParseIsoDate(text).ok()) {
    return ClientError(ExitCode::kUsage, absl::StrCat(flag, " must be a date written YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status RequireId(const std::string& id, absl::string_view what) {
  if (id.empty()) {
    return ClientError(ExitCode::kUsage, absl::StrCat("the ", what, " ID must not be empty"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadTextFlagFile(const std::string& path, absl::string_view what,
                                             CommandContext& context) {
  absl::StatusOr<std::string> text = ReadInputFile(path, std::string(what), kMaxTextFileBytes, context.in());
  if (!text.ok()) return text.status();
  return WithoutTrailingNewline(std::move(*text));
}

absl::Status ForThing(const absl::Status& failure, absl::string_view what, const std::string& id,
                      absl::string_view reload_command) {
  const std::string shown = PrintableText(id, false);
  const ExitCode exit = ExitCodeOf(failure);
  if (exit == ExitCode::kNotFound) {
    return Reworded(failure, absl::StrCat(what, " ", shown, " not found (or not yours to see)"));
  }
  if (ServerCodeOf(failure) == grpc::StatusCode::ABORTED) {
    return Reworded(failure, absl::StrCat(what, " ", shown,
                                          " changed since you loaded it; reload it (",
                                          reload_command, ") and try again"));
  }
  return failure;
}

void PrintResult(CommandContext& context, const nlohmann::ordered_json& json,
                 const std::string& text) {
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText(json);
  } else {
    context.out() << text;
  }
}

}  // namespace casevault::client
