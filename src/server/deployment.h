// A deployment on disk, and the objects a running server is made of.
//
// Layout of the data directory (mode 0700):
//   root.key              root key (0600); production keeps it elsewhere:
//                         --root-key PATH or the systemd credential
//                         "casevault-root-key" ($CREDENTIALS_DIRECTORY)
//   keyring               every other key, sealed under the root key
//   casevault.db (+ -wal) the SQLCipher database
//   casevault.db.new      only while `init` creates the database
//   tls/ca.pem, tls/server.pem, tls/server.key   development TLS
//   audit-verifier.key    the audit log's public verifier key (0644), for
//                         the operator to hand to auditors
//   initial-admin.json    first admin's name and password (0600)
//   demo-accounts.json    with --dev: one account per role (0600)
//   init-incomplete       only while `init` runs (or after it was killed):
//                         names the root key file it created. `serve`
//                         refuses a directory holding it; `init` run again
//                         removes the incomplete deployment and starts over
//                         (docs/durability.md)
#ifndef CASEVAULT_SERVER_DEPLOYMENT_H_
#define CASEVAULT_SERVER_DEPLOYMENT_H_

#include <sys/types.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "crypto/keyring.h"
#include "crypto/password_hasher.h"
#include "storage/store.h"

namespace casevault::server {

struct DeploymentPaths {
  std::string data_dir;
  std::string root_key;  // defaults to data_dir/root.key

  // `root_key_override` wins; else $CREDENTIALS_DIRECTORY/casevault-root-key
  // when that file exists; else data_dir/root.key.
  static DeploymentPaths For(const std::string& data_dir,
                             const std::string& root_key_override);
  std::string keyring() const { return data_dir + "/keyring"; }
  std::string database() const { return data_dir + "/casevault.db"; }
  // Where init makes the database; renamed to database() once its schema
  // is in (only while init runs, or after it was killed).
  std::string new_database() const { return database() + ".new"; }
  std::string tls_dir() const { return data_dir + "/tls"; }
  std::string ca_cert() const { return tls_dir() + "/ca.pem"; }
  std::string server_cert() const { return tls_dir() + "/server.pem"; }
  std::string server_key() const { return tls_dir() + "/server.key"; }
  std::string initial_admin() const { return data_dir + "/initial-admin.json"; }
  std::string audit_verifier_key() const {
    return data_dir + "/audit-verifier.key";
  }
  std::string demo_accounts() const { return data_dir + "/demo-accounts.json"; }
  std::string init_marker() const { return data_dir + "/init-incomplete"; }
};

struct InitOptions {
  bool dev = false;                  // demo school and one account per role
  std::string admin_username = "admin";
  std::string unit_id = "demo-school";      // the admin's school
  std::string district_id = "demo-district";
  crypto::PasswordHashLimits password_limits = crypto::PasswordHashLimits::Interactive();
};

// Creates a new deployment: data dir, root key, keyring, database (schema
// migrated), the audit log's verifier key file, development TLS material,
// the first admin (and with `dev` the demo accounts; each creation is an
// audit entry by the operator), and a first signed checkpoint.
// FAILED_PRECONDITION if a keyring, database or root key file is already
// there: init never overwrites a deployment.
//
// Crash safety: init first writes init_marker() (naming the root key file
// it is about to create), and removes it only once everything is written
// and synced. If init stops half-way (killed, power cut, any error), the
// marker stays: Deployment::Open refuses the directory, and the next init
// removes what the interrupted one wrote -- root key, keyring, database,
// TLS files, key and password files -- and starts over. The database is
// created as new_database() and renamed to database() once its schema is
// in, so a database killed while being created is always removable. A
// database() is removed only if it opens with that keyring and holds no
// case; otherwise init refuses (FAILED_PRECONDITION) and leaves every file
// in place.
absl::Status InitDeployment(const DeploymentPaths& paths,
                            const InitOptions& options, RandomSource& random,
                            const Clock& clock);

// What a running server holds: keys and the open store.
class Deployment {
 public:
  // Refuses (FAILED_PRECONDITION) a directory whose init was interrupted.
  // Loads the root key, opens the keyring and the database. On a wrong root
  // key or a database that does not open with the keyring's key it fails
  // with a message that says so, and leaves every file unchanged.
  static absl::StatusOr<std::unique_ptr<Deployment>> Open(
      const DeploymentPaths& paths, RandomSource& random,
      const storage::StoreOptions& store_options = {});

  storage::Store& store() { return *store_; }
  const crypto::CaseKeyring& case_keys() const { return *case_keys_; }
  const crypto::Keyring& keyring() const { return keyring_; }

 private:
  Deployment() = default;
  crypto::Keyring keyring_;
  std::unique_ptr<crypto::CaseKeyring> case_keys_;
  std::unique_ptr<storage::Store> store_;
};

// Writes `text` to a new file of exactly `mode` (O_EXCL|O_NOFOLLOW),
// fsynced.
absl::Status WriteNewFile(const std::string& path, const std::string& text,
                          mode_t mode);
// WriteNewFile with mode 0600.
absl::Status WritePrivateFile(const std::string& path, const std::string& text);

}  // namespace casevault::server

#endif  // CASEVAULT_SERVER_DEPLOYMENT_H_
