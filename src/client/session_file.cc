#include "client/session_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "client/error_report.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

constexpr size_t kMaxSessionFileBytes = 64 * 1024;

absl::Status FileError(absl::string_view what, const std::string& path, int err) {
  return ClientError(ExitCode::kLocalFile,
                     absl::StrCat(what, " ", path, ": ", std::strerror(err)));
}

absl::Status Unsafe(const std::string& path, absl::string_view why) {
  return ClientError(ExitCode::kLocalFile,
                     absl::StrCat("session file ", path, " is unsafe (", why,
                                  "); delete it and run: casevault login"));
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// mkdir -p with mode 0700 for every directory it creates.
absl::Status MakeDirectories(const std::string& dir) {
  for (size_t pos = 1; pos <= dir.size(); ++pos) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    const std::string prefix = dir.substr(0, pos);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return FileError("cannot create directory", prefix, errno);
    }
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0) return FileError("cannot use directory", dir, errno);
  if (!S_ISDIR(st.st_mode)) {
    return ClientError(ExitCode::kLocalFile, absl::StrCat(dir, " is not a directory"));
  }
  // Others could swap the file under us in a shared, non-sticky directory.
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st.st_mode & S_ISVTX) == 0) {
    return ClientError(ExitCode::kLocalFile,
                       absl::StrCat("directory ", dir,
                                    " is writable by others; fix with: chmod 700 ", dir));
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FileError("cannot write", path, errno);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

bool ReadString(const nlohmann::json& doc, const char* key, std::string* out) {
  auto it = doc.find(key);
  if (it == doc.end()) return true;  // optional
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

absl::StatusOr<std::string> SessionFilePath(const EnvLookup& env) {
  if (auto explicit_path = env("CASEVAULT_SESSION_FILE");
      explicit_path.has_value() && !explicit_path->empty()) {
    return *explicit_path;
  }
  if (auto xdg = env("XDG_CONFIG_HOME"); xdg.has_value() && !xdg->empty() && (*xdg)[0] == '/') {
    return absl::StrCat(*xdg, "/casevault/session.json");
  }
  if (auto home = env("HOME"); home.has_value() && !home->empty()) {
    return absl::StrCat(*home, "/.config/casevault/session.json");
  }
  return ClientError(ExitCode::kLocalFile,
                     "cannot find a place for the session file: set HOME, XDG_CONFIG_HOME "
                     "or CASEVAULT_SESSION_FILE");
}

absl::StatusOr<std::optional<Session>> LoadSession(const std::string& path) {
  // O_NONBLOCK: a FIFO planted here must not hang us; it is refused below.
  const int fd = open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<Session>();
    if (errno == ELOOP) return Unsafe(path, "it is a symbolic link");
    return FileError("cannot read session file", path, errno);
  }
  struct stat st;
  std::string data;
  absl::Status problem;
  if (fstat(fd, &st) != 0) {
    problem = FileError("cannot read session file", path, errno);
  } else if (!S_ISREG(st.st_mode)) {
    problem = Unsafe(path, "not a regular file");
  } else if (st.st_uid != geteuid()) {
    problem = Unsafe(path, "owned by another user");
  } else if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    problem = Unsafe(path, "readable or writable by group or others");
  } else if (st.st_size > static_cast<off_t>(kMaxSessionFileBytes)) {
    problem = Unsafe(path, "too large");
  } else {
    char buffer[4096];
    for (;;) {
      const ssize_t n = read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        problem = FileError("cannot read session file", path, errno);
        break;
      }
      if (n == 0) break;
      data.append(buffer, static_cast<size_t>(n));
      if (data.size() > kMaxSessionFileBytes) {
        problem = Unsafe(path, "too large");
        break;
      }
    }
  }
  close(fd);
  if (!problem.ok()) return problem;

  const nlohmann::json doc = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  Session session;
  const bool shape_ok = doc.is_object() && ReadString(doc, "server", &session.server) &&
                        ReadString(doc, "ca_path", &session.ca_path) &&
                        ReadString(doc, "token", &session.token) &&
                        ReadString(doc, "username", &session.username) &&
                        ReadString(doc, "role", &session.role) &&
                        ReadString(doc, "unit_id", &session.unit_id) &&
                        ReadString(doc, "expires_at", &session.expires_at);
  if (!shape_ok || session.server.empty() || session.token.empty()) {
    return ClientError(ExitCode::kLocalFile,
                       absl::StrCat("session file ", path,
                                    " is damaged; delete it and run: casevault login"));
  }
  return std::optional<Session>(std::move(session));
}

absl::Status SaveSession(const std::string& path, const Session& session) {
  const std::string dir = DirectoryOf(path);
  if (absl::Status s = MakeDirectories(dir); !s.ok()) return s;

  nlohmann::json doc = {
      {"server", session.server},     {"ca_path", session.ca_path},
      {"token", session.token},       {"username", session.username},
      {"role", session.role},         {"unit_id", session.unit_id},
      {"expires_at", session.expires_at},
  };
  const std::string data =
      doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";

  const std::string temp = absl::StrCat(path, ".tmp.", getpid());
  const int flags = O_CREAT | O_EXCL | O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC;
  int fd = open(temp.c_str(), flags, 0600);
  if (fd < 0 && errno == EEXIST) {  // left behind by a crashed run
    unlink(temp.c_str());
    fd = open(temp.c_str(), flags, 0600);
  }
  if (fd < 0) return FileError("cannot create session file", temp, errno);

  absl::Status status;
  if (fchmod(fd, 0600) != 0) status = FileError("cannot set mode of", temp, errno);
  if (status.ok()) status = WriteAll(fd, data, temp);
  if (status.ok() && fsync(fd) != 0) status = FileError("cannot sync", temp, errno);
  if (close(fd) != 0 && status.ok()) status = FileError("cannot write", temp, errno);
  if (status.ok() && rename(temp.c_str(), path.c_str()) != 0) {
    status = FileError("cannot replace session file", path, errno);
  }
  if (!status.ok()) {
    unlink(temp.c_str());
    return status;
  }
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {  // best effort: make the rename durable
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

absl::Status RemoveSession(const std::string& path) {
  if (unlink(path.c_str()) != 0 && errno != ENOENT) {
    return FileError("cannot delete session file", path, errno);
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
