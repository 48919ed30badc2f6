// What the case, step and consent commands share: flag values checked
// before anything is sent (kUsage naming the flag), free text read from a
// file or standard input (never argv), and failures reworded for the thing
// the command is about.
#ifndef CASEVAULT_CLIENT_COMMAND_FLAGS_H_
#define CASEVAULT_CLIENT_COMMAND_FLAGS_H_

#include <cstdint>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "casevault/v1/coordination.pb.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "nlohmann/json.hpp"

namespace casevault::client {

// The largest note, outcome or external-party file the client sends.
inline constexpr size_t kMaxTextFileBytes = 1024 * 1024;

// The value of `flag` among the values `keep` accepts; kUsage "FLAG must be
// one of a|b|c" otherwise.
template <typename E, typename Keep>
absl::StatusOr<E> ParseEnumFlagWhere(const std::string& text, absl::string_view flag, Keep keep) {
  std::optional<E> value = ParseEnumName<E>(text);
  if (!value.has_value() || !keep(*value)) {
    return ClientError(ExitCode::kUsage,
                       absl::StrCat(flag, " must be one of ", EnumChoicesWhere<E>(keep)));
  }
  return *value;
}

template <typename E>
absl::StatusOr<E> ParseEnumFlag(const std::string& text, absl::string_view flag) {
  return ParseEnumFlagWhere<E>(text, flag, [](E) { return true; });
}

// A society step kind (3x): what referrals and consent are about.
bool IsSocietyKind(v1::StepKind kind);

// `--version N`: a whole number of at least 1.
absl::StatusOr<int64_t> ParseVersionFlag(const std::string& text);

// A YYYY-MM-DD date that exists; kUsage naming `flag` otherwise.
absl::Status CheckDateFlag(const std::string& text, absl::string_view flag);

// kUsage "the WHAT ID must not be empty" for an empty ID.
absl::Status RequireId(const std::string& id, absl::string_view what);

// The text of `path` ("-": standard input), one trailing newline dropped;
// kLocalFile when it cannot be read or is larger than kMaxTextFileBytes.
// `what` names the file in messages ("note file").
absl::StatusOr<std::string> ReadTextFlagFile(const std::string& path, absl::string_view what,
                                             CommandContext& context);

// NOT_FOUND as "WHAT ID not found (or not yours to see)", ABORTED as "WHAT
// ID changed since you loaded it; reload it (RELOAD) and try again"; other
// failures unchanged.
absl::Status ForThing(const absl::Status& failure, absl::string_view what, const std::string& id,
                      absl::string_view reload_command);

// Prints `json` or `text` as --output asks.
void PrintResult(CommandContext& context, const nlohmann::ordered_json& json,
                 const std::string& text);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_COMMAND_FLAGS_H_
