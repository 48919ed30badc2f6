// Where secrets and other sensitive text come from: files, environment
// variables and the terminal, never argv (argv shows in `ps` and in shell
// history).
#ifndef CASEVAULT_CLIENT_SECRET_INPUT_H_
#define CASEVAULT_CLIENT_SECRET_INPUT_H_

#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "client/session_file.h"

namespace casevault::client {

// The person at the keyboard. Tests substitute a scripted one.
class Terminal {
 public:
  virtual ~Terminal() = default;
  // True when a person can be asked: standard input is a terminal and
  // /dev/tty can be opened. Nothing prompts otherwise, so scripts and tests
  // never hang waiting for an answer.
  virtual bool IsInteractive() = 0;
  // Shows `prompt` and reads one line with echo turned off (restored even if
  // the user presses Ctrl-C). kUsage when not interactive or input ends.
  virtual absl::StatusOr<std::string> ReadSecret(std::string_view prompt) = 0;
  // Shows `prompt` and reads one line with echo; nullopt when input ends
  // (Ctrl-D). kUsage when not interactive.
  virtual absl::StatusOr<std::optional<std::string>> ReadLine(std::string_view prompt) = 0;
};

// The real terminal, /dev/tty.
std::unique_ptr<Terminal> NewTtyTerminal();

// The whole contents of the regular file or pipe at `path` ("-" reads
// `stdin_stream`),
// refusing more than `max_bytes`. `what` names the file in messages
// ("password file"). On failure: kLocalFile naming the path and the reason.
absl::StatusOr<std::string> ReadInputFile(const std::string& path, std::string_view what,
                                          size_t max_bytes, std::istream& stdin_stream);

// Where one password may come from, in this order: the file (when
// `file_path` is not empty; one trailing newline is dropped), the
// environment variable `env_var` (when set and not empty), a no-echo prompt.
struct PasswordSources {
  std::string file_path;
  std::string env_var;
  std::string prompt;  // e.g. "Password for alice: "
};

// Reads the password from the first source available. kUsage when there is
// none (no file, no variable, no terminal); kLocalFile for a bad file;
// kUsage for an empty password.
absl::StatusOr<std::string> ReadPassword(const PasswordSources& sources, const EnvLookup& env,
                                         Terminal& terminal, std::istream& stdin_stream);

// As ReadPassword, for a password being set: a prompt asks twice and the
// two answers must match (kUsage otherwise).
absl::StatusOr<std::string> ReadNewPassword(const PasswordSources& sources,
                                            const EnvLookup& env, Terminal& terminal,
                                            std::istream& stdin_stream);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_SECRET_INPUT_H_
