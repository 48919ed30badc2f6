// What `casevault case file` sends: the non-sensitive fields from flags, the
// sensitive ones (victim and perpetrator names, place, narrative) from a
// JSON file, a narrative file or the terminal, never from argv.
#ifndef CASEVAULT_CLIENT_CASE_INPUT_H_
#define CASEVAULT_CLIENT_CASE_INPUT_H_

#include <istream>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "casevault/v1/case.pb.h"
#include "client/secret_input.h"

namespace casevault::client {

// The flags of `case file`; unset optionals were not given.
struct CaseFlags {
  std::optional<std::string> type;
  std::optional<std::string> context;
  std::optional<std::string> severity;
  std::optional<std::string> incident_date;
  std::optional<std::string> reporter;
  std::optional<std::string> victim_gender;
  std::optional<int> victim_birth_year;
  std::optional<std::string> victim_class;
  std::optional<bool> victim_staff;
  std::optional<std::string> perpetrator_relation;
  std::string from_file;       // --from-file PATH, "" if not given
  std::string narrative_file;  // --narrative-file PATH ("-": stdin)
};

// Which of the sensitive fields some source has supplied.
struct SensitiveFieldsGiven {
  bool victim_name = false;
  bool perpetrator_name = false;
  bool place = false;
  bool narrative = false;
};

// Fills `request` from a --from-file document: one JSON object whose keys
// are listed in docs/client.md (flag names with '_' for '-', plus
// victim_name, perpetrator_name, place, narrative; a few proto field names
// are accepted as aliases). Unknown keys, wrong types and bad values are
// refused. `path` names the file in messages. On failure: kLocalFile;
// `request` may be partly filled.
absl::Status ApplyCaseJson(const std::string& json_text, const std::string& path,
                           v1::FileCaseRequest* request, SensitiveFieldsGiven* given);

// Overwrites `request` with every flag that was given. kUsage for a bad
// value, naming the flag and the allowed values.
absl::Status ApplyCaseFlags(const CaseFlags& flags, v1::FileCaseRequest* request);

// The whole request: --from-file first, then the flags (they win), then
// --narrative-file (it wins for the narrative). Without --from-file, and only
// on an interactive terminal, asks for the sensitive fields still missing.
// Values are not validated beyond their type: the server does that.
absl::StatusOr<v1::FileCaseRequest> BuildFileCaseRequest(const CaseFlags& flags,
                                                         Terminal& terminal,
                                                         std::istream& stdin_stream);

// Reads multi-line text from the terminal until a line holding only "." or
// the end of input.
absl::StatusOr<std::string> PromptMultiline(Terminal& terminal, std::string_view heading);

// `text` without one final "\n" or "\r\n".
std::string WithoutTrailingNewline(std::string text);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_CASE_INPUT_H_
