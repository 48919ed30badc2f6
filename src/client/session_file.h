// The saved sign-in: a small JSON file only its owner can read.
//
// Invariants:
//  1. The file is only ever created by SaveSession, with mode 0600, in a
//     directory created with mode 0700; the new contents go to a temporary
//     file in the same directory that is then renamed over the old one, so a
//     reader sees the old session or the new one, never half of one.
//  2. LoadSession refuses (kLocalFile) a symlink, anything but a regular
//     file, a file not owned by the caller and a file readable or writable by
//     group or others: the token in it may have leaked, so the message says
//     to delete it and sign in again.
//  3. The token is never printed.
#ifndef CASEVAULT_CLIENT_SESSION_FILE_H_
#define CASEVAULT_CLIENT_SESSION_FILE_H_

#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace casevault::client {

// Reads an environment variable; nullopt when unset. Injected so that tests
// never depend on the real environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;

struct Session {
  std::string server;     // HOST:PORT the token belongs to
  std::string ca_path;    // absolute path of the CA used at login; "" if none
  std::string token;      // the bearer token
  std::string username;
  std::string role;       // enum name, e.g. "counselor"
  std::string unit_id;
  std::string expires_at; // RFC 3339 UTC, as the server said
};

// Where the session lives: $CASEVAULT_SESSION_FILE, else
// $XDG_CONFIG_HOME/casevault/session.json (when XDG_CONFIG_HOME is an
// absolute path), else $HOME/.config/casevault/session.json. kLocalFile when
// none of these is set.
absl::StatusOr<std::string> SessionFilePath(const EnvLookup& env);

// The session saved at `path`; nullopt when there is no file. On failure
// (unsafe file per invariant 2, unreadable, bad JSON): kLocalFile.
absl::StatusOr<std::optional<Session>> LoadSession(const std::string& path);

// Writes `session` to `path` per invariant 1, creating missing directories
// with mode 0700. On failure (kLocalFile) the old file, if any, is unchanged.
absl::Status SaveSession(const std::string& path, const Session& session);

// Deletes the file at `path` (a missing file is fine). kLocalFile on failure.
absl::Status RemoveSession(const std::string& path);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_SESSION_FILE_H_
