#include "client/audit_key.h"

#include <sys/stat.h>

#include <algorithm>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "client/error_report.h"
#include "client/secret_input.h"

namespace casevault::client {
namespace {

// A verifier key file holds one line; anything much larger is not one.
constexpr size_t kMaxKeyFileBytes = 4096;

}  // namespace

absl::StatusOr<audit::NoteVerifierKey> LoadVerifierKey(const std::string& argument) {
  if (argument.empty()) return ClientError(ExitCode::kUsage, "--key must not be empty");
  absl::StatusOr<audit::NoteVerifierKey> key = audit::ParseVerifierKey(argument);
  if (key.ok()) return key;
  struct stat st;
  if (stat(argument.c_str(), &st) != 0 && std::count(argument.begin(), argument.end(), '+') >= 2) {
    return ClientError(ExitCode::kUsage,
                       absl::StrCat("--key is not a valid verifier key (", key.status().message(),
                                    ") nor an existing file"));
  }
  std::istringstream no_stdin;
  absl::StatusOr<std::string> text =
      ReadInputFile(argument, "verifier key file", kMaxKeyFileBytes, no_stdin);
  if (!text.ok()) return text.status();
  key = audit::ParseVerifierKey(std::string(absl::StripAsciiWhitespace(*text)));
  if (!key.ok()) {
    return ClientError(ExitCode::kLocalFile, absl::StrCat("the verifier key file ", argument,
                                                          " does not hold a valid verifier key: ",
                                                          key.status().message()));
  }
  return key;
}

}  // namespace casevault::client
