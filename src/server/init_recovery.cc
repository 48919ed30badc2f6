#include "server/init_recovery.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <nlohmann/json.hpp>

#include "common/status_macros.h"
#include "crypto/keyring.h"
#include "crypto/root_key.h"
#include "storage/store.h"

namespace casevault::server {
namespace {

absl::Status RemoveIfPresent(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return absl::FailedPreconditionError("cannot remove " + path + ": " +
                                         std::strerror(errno));
  }
  return absl::OkStatus();
}

// The root key file an interrupted init recorded in its marker ("" when the
// marker is empty or torn: it was being written, so no key was created yet).
std::string RecordedRootKey(const std::string& marker_path) {
  const int fd = ::open(marker_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return "";
  std::string text(4096, '\0');
  const ssize_t n = ::read(fd, text.data(), text.size());
  ::close(fd);
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  const auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_object() || !json.contains("root_key") || !json["root_key"].is_string()) {
    return "";
  }
  return json["root_key"].get<std::string>();
}

// Proves that the database an interrupted init left holds no case: it must
// open with the keyring sealed under the recorded root key and count zero
// cases. The marker already keeps `serve` away from it, so this is a second
// guard: a database that does not pass is never removed.
absl::Status CheckNoCases(const DeploymentPaths& paths, const std::string& root_key_path) {
  const std::string refuse = "an interrupted init left " + paths.database() +
                             ", and it cannot be proved empty of cases";
  const std::string advice = "; move the directory aside and restore from backup";
  auto root_key = crypto::LoadRootKey(root_key_path);
  if (!root_key.ok()) {
    return absl::FailedPreconditionError(refuse + ": " +
                                         std::string(root_key.status().message()) + advice);
  }
  auto keyring = crypto::ReadKeyring(paths.keyring(), *root_key);
  if (!keyring.ok()) {
    return absl::FailedPreconditionError(refuse + ": " +
                                         std::string(keyring.status().message()) + advice);
  }
  auto store = storage::OpenSqlCipherStore(paths.database(), keyring->database_key,
                                           storage::OpenMode::kOpenExisting);
  if (!store.ok()) {
    return absl::FailedPreconditionError(refuse + ": " +
                                         std::string(store.status().message()) + advice);
  }
  int64_t cases = -1;
  const absl::Status read = (*store)->Read([&](storage::Transaction& tx) {
    auto n = tx.cases().Count();
    if (n.ok()) cases = *n;
    return n.status();
  });
  if (!read.ok() || cases != 0) {
    return absl::FailedPreconditionError(
        refuse + (read.ok() ? " (it holds cases)" : ": " + std::string(read.message())) +
        advice);
  }
  return absl::OkStatus();
}

}  // namespace

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

absl::Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return absl::UnavailableError("cannot open directory " + dir);
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return absl::UnavailableError("cannot sync directory " + dir);
  return absl::OkStatus();
}

absl::Status WriteInitMarker(const DeploymentPaths& paths) {
  const nlohmann::json marker = {{"root_key", paths.root_key}};
  RETURN_IF_ERROR(WritePrivateFile(paths.init_marker(), marker.dump() + "\n"));
  return SyncDirectory(paths.data_dir);
}

absl::Status ClearInterruptedInit(const DeploymentPaths& paths) {
  // The database goes before its -wal: a clear killed in between leaves no
  // database to prove empty, never a database without the log it needs.
  // new_database() needs no proof: it holds at most the schema, as nothing
  // is written to the database before its rename.
  const std::string root_key = RecordedRootKey(paths.init_marker());
  if (PathExists(paths.database())) RETURN_IF_ERROR(CheckNoCases(paths, root_key));
  for (const std::string& path :
       {paths.database(), paths.database() + "-wal", paths.database() + "-shm",
        paths.database() + "-journal", paths.new_database(), paths.new_database() + "-wal",
        paths.new_database() + "-shm", paths.new_database() + "-journal", paths.keyring(), paths.ca_cert(), paths.server_cert(),
        paths.server_key(), paths.audit_verifier_key(), paths.initial_admin(),
        paths.demo_accounts()}) {
    RETURN_IF_ERROR(RemoveIfPresent(path));
  }
  if (DIR* dir = ::opendir(paths.data_dir.c_str())) {  // keyring temp files
    absl::Status removed;
    while (const dirent* e = ::readdir(dir)) {
      const std::string name = e->d_name;
      if (removed.ok() && name.rfind("keyring.tmp-", 0) == 0) {
        removed = RemoveIfPresent(paths.data_dir + "/" + name);
      }
    }
    ::closedir(dir);
    RETURN_IF_ERROR(removed);
  }
  ::rmdir(paths.tls_dir().c_str());  // only if empty
  if (!root_key.empty()) RETURN_IF_ERROR(RemoveIfPresent(root_key));
  RETURN_IF_ERROR(SyncDirectory(paths.data_dir));
  RETURN_IF_ERROR(RemoveIfPresent(paths.init_marker()));
  return SyncDirectory(paths.data_dir);
}

}  // namespace casevault::server
