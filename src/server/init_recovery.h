// Recovery from an interrupted `casevaultd init` (issue 5), and the file
// helpers init shares with it. Internal to the server library: see
// InitDeployment in server/deployment.h for the contract.
#ifndef CASEVAULT_SERVER_INIT_RECOVERY_H_
#define CASEVAULT_SERVER_INIT_RECOVERY_H_

#include <string>

#include "absl/status/status.h"
#include "server/deployment.h"

namespace casevault::server {

// lstat succeeds (a dangling symlink exists too).
bool PathExists(const std::string& path);

// fsync of a directory, so that the names created or removed in it last.
absl::Status SyncDirectory(const std::string& dir);

// Writes paths.init_marker() naming paths.root_key, fsynced, directory
// fsynced. Init calls it before it creates the root key.
absl::Status WriteInitMarker(const DeploymentPaths& paths);

// Removes what an interrupted init wrote -- database and new_database()
// (each with -wal, -shm, -journal), keyring and its temp files, TLS files, verifier key, password
// files, the root key file the marker names -- then the marker, syncing the
// directory before and after removing the marker. Refuses
// (FAILED_PRECONDITION), removing nothing, when a database is there that
// cannot be proved to hold no case: it must open with the keyring sealed
// under the recorded root key and count zero cases.
absl::Status ClearInterruptedInit(const DeploymentPaths& paths);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_INIT_RECOVERY_H_
