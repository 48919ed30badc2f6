#include "client/secret_input.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "client/error_report.h"

namespace casevault::client {
namespace {

constexpr size_t kMaxPasswordBytes = 4096;
constexpr size_t kMaxLineBytes = 64 * 1024;

// The terminal state to put back if a signal arrives while echo is off.
volatile sig_atomic_t g_echo_off_fd = -1;
struct termios g_saved_termios;

void RestoreTerminalAndReraise(int sig) {
  if (g_echo_off_fd >= 0) tcsetattr(g_echo_off_fd, TCSANOW, &g_saved_termios);
  signal(sig, SIG_DFL);
  raise(sig);
}

constexpr int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};

absl::Status NoTerminal() {
  return ClientError(ExitCode::kUsage, "no terminal to ask on; give the input another way");
}

class TtyTerminal final : public Terminal {
 public:
  TtyTerminal() : fd_(open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) {}
  ~TtyTerminal() override {
    if (fd_ >= 0) close(fd_);
  }

  bool IsInteractive() override { return fd_ >= 0 && isatty(STDIN_FILENO) == 1; }

  absl::StatusOr<std::string> ReadSecret(std::string_view prompt) override {
    if (!IsInteractive()) return NoTerminal();
    struct termios old_mode;
    if (tcgetattr(fd_, &old_mode) != 0) return NoTerminal();
    struct termios quiet = old_mode;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);

    g_saved_termios = old_mode;
    g_echo_off_fd = fd_;
    struct sigaction restore {};
    restore.sa_handler = RestoreTerminalAndReraise;
    sigemptyset(&restore.sa_mask);
    struct sigaction previous[std::size(kRestoreSignals)];
    for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
      sigaction(kRestoreSignals[i], &restore, &previous[i]);
    }
    Write(prompt);
    tcsetattr(fd_, TCSAFLUSH, &quiet);
    std::optional<std::string> line = ReadRawLine();
    tcsetattr(fd_, TCSAFLUSH, &old_mode);
    g_echo_off_fd = -1;
    for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
      sigaction(kRestoreSignals[i], &previous[i], nullptr);
    }
    Write("\n");
    if (!line.has_value()) return ClientError(ExitCode::kUsage, "input ended before an answer");
    return std::move(*line);
  }

  absl::StatusOr<std::optional<std::string>> ReadLine(std::string_view prompt) override {
    if (!IsInteractive()) return NoTerminal();
    Write(prompt);
    return ReadRawLine();
  }

 private:
  void Write(std::string_view text) {
    while (!text.empty()) {
      const ssize_t n = write(fd_, text.data(), text.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;
      text.remove_prefix(static_cast<size_t>(n));
    }
  }

  // One line without its end; nullopt when input ends before any byte.
  std::optional<std::string> ReadRawLine() {
    std::string line;
    bool any = false;
    for (;;) {
      char c;
      const ssize_t n = read(fd_, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      any = true;
      if (c == '\n') break;
      if (line.size() < kMaxLineBytes) line += c;
    }
    if (!any) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }

  int fd_;
};

// One trailing "\n" or "\r\n" dropped: editors add one.
std::string WithoutFinalNewline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// The password from the file or the environment, nullopt if neither is
// given.
absl::StatusOr<std::optional<std::string>> NonInteractivePassword(
    const PasswordSources& sources, const EnvLookup& env, std::istream& stdin_stream) {
  if (!sources.file_path.empty()) {
    absl::StatusOr<std::string> data =
        ReadInputFile(sources.file_path, "password file", kMaxPasswordBytes, stdin_stream);
    if (!data.ok()) return data.status();
    std::string password = WithoutFinalNewline(std::move(*data));
    if (password.empty()) {
      return ClientError(ExitCode::kLocalFile,
                         absl::StrCat("password file ", sources.file_path, " is empty"));
    }
    return std::optional<std::string>(std::move(password));
  }
  if (std::optional<std::string> value = env(sources.env_var);
      value.has_value() && !value->empty()) {
    return value;
  }
  return std::optional<std::string>();
}

absl::Status NoPasswordSource(const PasswordSources& sources) {
  return ClientError(ExitCode::kUsage,
                     absl::StrCat("no password given and no terminal to ask on; use "
                                  "--password-file PATH or set ",
                                  sources.env_var));
}

}  // namespace

std::unique_ptr<Terminal> NewTtyTerminal() { return std::make_unique<TtyTerminal>(); }

absl::StatusOr<std::string> ReadInputFile(const std::string& path, std::string_view what_view,
                                          size_t max_bytes, std::istream& stdin_stream) {
  const std::string what(what_view);
  std::string data;
  if (path == "-") {
    char buffer[4096];
    while (stdin_stream.read(buffer, sizeof buffer) || stdin_stream.gcount() > 0) {
      data.append(buffer, static_cast<size_t>(stdin_stream.gcount()));
      if (data.size() > max_bytes) {
        return ClientError(ExitCode::kLocalFile,
                           absl::StrCat(what, " on standard input is larger than ", max_bytes,
                                        " bytes"));
      }
    }
    return data;
  }
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return ClientError(ExitCode::kLocalFile,
                       absl::StrCat("cannot read ", what, " ", path, ": ", std::strerror(errno)));
  }
  struct stat st;
  // A pipe is fine too: `--password-file <(pass show casevault)`.
  if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode))) {
    close(fd);
    return ClientError(ExitCode::kLocalFile, absl::StrCat("cannot read ", what, " ", path,
                                                          ": not a regular file or a pipe"));
  }
  absl::Status problem;
  char buffer[4096];
  for (;;) {
    const ssize_t n = read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      problem = ClientError(ExitCode::kLocalFile, absl::StrCat("cannot read ", what, " ", path,
                                                               ": ", std::strerror(errno)));
      break;
    }
    if (n == 0) break;
    data.append(buffer, static_cast<size_t>(n));
    if (data.size() > max_bytes) {
      problem = ClientError(ExitCode::kLocalFile, absl::StrCat(what, " ", path,
                                                               " is larger than ", max_bytes,
                                                               " bytes"));
      break;
    }
  }
  close(fd);
  if (!problem.ok()) return problem;
  return data;
}

absl::StatusOr<std::string> ReadPassword(const PasswordSources& sources, const EnvLookup& env,
                                         Terminal& terminal, std::istream& stdin_stream) {
  absl::StatusOr<std::optional<std::string>> given =
      NonInteractivePassword(sources, env, stdin_stream);
  if (!given.ok()) return given.status();
  if (given->has_value()) return std::move(**given);
  if (!terminal.IsInteractive()) return NoPasswordSource(sources);
  absl::StatusOr<std::string> typed = terminal.ReadSecret(sources.prompt);
  if (!typed.ok()) return typed.status();
  if (typed->empty()) return ClientError(ExitCode::kUsage, "empty password");
  return typed;
}

absl::StatusOr<std::string> ReadNewPassword(const PasswordSources& sources,
                                            const EnvLookup& env, Terminal& terminal,
                                            std::istream& stdin_stream) {
  absl::StatusOr<std::optional<std::string>> given =
      NonInteractivePassword(sources, env, stdin_stream);
  if (!given.ok()) return given.status();
  if (given->has_value()) return std::move(**given);
  if (!terminal.IsInteractive()) return NoPasswordSource(sources);
  absl::StatusOr<std::string> first = terminal.ReadSecret(sources.prompt);
  if (!first.ok()) return first.status();
  if (first->empty()) return ClientError(ExitCode::kUsage, "empty password");
  absl::StatusOr<std::string> second = terminal.ReadSecret("Repeat the new password: ");
  if (!second.ok()) return second.status();
  if (*first != *second) return ClientError(ExitCode::kUsage, "the two passwords differ");
  return first;
}

}  // namespace casevault::client
