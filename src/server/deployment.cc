#include "server/deployment.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>

#include "common/status_macros.h"
#include "crypto/digest.h"
#include "crypto/root_key.h"
#include "domain/account_registry.h"
#include "domain/audit_trail.h"
#include "server/dev_certificates.h"
#include "server/init_recovery.h"

namespace casevault::server {
namespace {

absl::Status MakePrivateDir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError("cannot create directory " + path +
                                         ": " + std::strerror(errno));
  }
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(path + " is not a directory");
  }
  if ((st.st_mode & 077) != 0) {
    return absl::FailedPreconditionError(
        "directory " + path + " is open to group or others; run: chmod 700 " + path);
  }
  return absl::OkStatus();
}

// Creates the database (keyed, write-ahead log, schema migrated) as
// new_database(), closes it, and renames it to database(). SQLite's
// creation runs in rollback-journal mode until the switch to WAL, and a
// kill then leaves a hot journal that only a writer may roll back: under
// the temporary name such leftovers are removed unconditionally, so a file
// at database() is always one that opens.
absl::Status CreateDatabase(const DeploymentPaths& paths, const crypto::SecretBytes& key) {
  const std::string made = paths.new_database();
  {
    ASSIGN_OR_RETURN(auto store,
                     storage::OpenSqlCipherStore(made, key, storage::OpenMode::kCreate));
  }  // closing the last connection checkpoints the WAL into the file
  // A log the close could not checkpoint goes along, before its database.
  if (PathExists(made + "-wal") &&
      ::rename((made + "-wal").c_str(), (paths.database() + "-wal").c_str()) != 0) {
    return absl::UnavailableError("cannot rename " + made + "-wal");
  }
  ::unlink((made + "-shm").c_str());  // rebuilt from the log on open
  if (::rename(made.c_str(), paths.database().c_str()) != 0) {
    return absl::UnavailableError("cannot rename " + made + " to " + paths.database());
  }
  return SyncDirectory(paths.data_dir);
}

// A password a person can type: 20 characters of base64url (120 bits).
std::string NewPassword(RandomSource& random) {
  return crypto::Base64UrlEncode(random.Bytes(15));
}

struct DemoAccount {
  const char* username;
  domain::Role role;
  bool district;
};

constexpr DemoAccount kDemoAccounts[] = {
    {"counselor", domain::Role::kCounselor, false},
    {"counselor2", domain::Role::kCounselor, false},
    {"principal", domain::Role::kPrincipal, false},
    {"union", domain::Role::kUnion, false},
    {"district", domain::Role::kDistrict, true},
    {"auditor", domain::Role::kAuditor, false},
};

}  // namespace

DeploymentPaths DeploymentPaths::For(const std::string& data_dir,
                                     const std::string& root_key_override) {
  DeploymentPaths p;
  p.data_dir = data_dir;
  if (!root_key_override.empty()) {
    p.root_key = root_key_override;
    return p;
  }
  if (const char* creds = std::getenv("CREDENTIALS_DIRECTORY")) {
    const std::string candidate = std::string(creds) + "/casevault-root-key";
    if (PathExists(candidate)) {
      p.root_key = candidate;
      return p;
    }
  }
  p.root_key = data_dir + "/root.key";
  return p;
}

absl::Status WritePrivateFile(const std::string& path, const std::string& text) {
  return WriteNewFile(path, text, 0600);
}

absl::Status WriteNewFile(const std::string& path, const std::string& text,
                          mode_t mode) {
  const int fd = ::open(path.c_str(),
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
  if (fd < 0) {
    return absl::FailedPreconditionError("cannot create " + path + ": " +
                                         std::strerror(errno));
  }
  if (::fchmod(fd, mode) != 0) {  // whatever the umask took away
    ::close(fd);
    return absl::FailedPreconditionError("cannot set the mode of " + path);
  }
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return absl::UnavailableError("cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return absl::UnavailableError("cannot sync " + path);
  return absl::OkStatus();
}

namespace {

// Everything init writes after the root key.
absl::Status BuildDeployment(const DeploymentPaths& paths, const InitOptions& options,
                             RandomSource& random, const Clock& clock,
                             const crypto::SecretBytes& root_key) {
  crypto::Keyring keyring = crypto::Keyring::Generate(random);
  RETURN_IF_ERROR(crypto::WriteKeyring(paths.keyring(), keyring, root_key, random));
  RETURN_IF_ERROR(CreateDatabase(paths, keyring.database_key));
  ASSIGN_OR_RETURN(auto store,
                   storage::OpenSqlCipherStore(paths.database(), keyring.database_key,
                                               storage::OpenMode::kOpenExisting));

  RETURN_IF_ERROR(MakePrivateDir(paths.tls_dir()));
  ASSIGN_OR_RETURN(DevCertificates certs, GenerateDevCertificates({}));
  const absl::Status written = WriteDevCertificates(paths.tls_dir(), certs);
  OPENSSL_cleanse(certs.server_key_pem.data(), certs.server_key_pem.size());
  RETURN_IF_ERROR(written);

  ASSIGN_OR_RETURN(auto trail, domain::AuditTrail::New(keyring, clock));
  RETURN_IF_ERROR(WriteNewFile(paths.audit_verifier_key(),
                               trail->VerifierKey() + "\n", 0644));
  const crypto::PasswordHasher hasher(options.password_limits);
  domain::AccountRegistry registry(*store, *trail, hasher, clock);
  auto sign_checkpoint = [&] {
    return store->Write([&](storage::Transaction& tx) {
      return trail->SignCheckpoint(tx).status();
    });
  };
  auto create = [&](const std::string& username, domain::Role role,
                    const std::string& unit) -> absl::StatusOr<std::string> {
    domain::NewAccount a;
    a.username = username;
    a.role = static_cast<int32_t>(role);
    a.unit_id = unit;
    a.password = NewPassword(random);
    RETURN_IF_ERROR(registry.CreateUnchecked(a).status());
    return a.password;
  };

  ASSIGN_OR_RETURN(std::string admin_password,
                   create(options.admin_username, domain::Role::kAdmin,
                          options.unit_id));
  nlohmann::ordered_json admin = {{"username", options.admin_username},
                                  {"password", admin_password},
                                  {"role", "admin"},
                                  {"unit_id", options.unit_id}};
  RETURN_IF_ERROR(WritePrivateFile(paths.initial_admin(), admin.dump(2) + "\n"));
  if (!options.dev) return sign_checkpoint();

  nlohmann::ordered_json demo = {{"ca", paths.ca_cert()},
                                 {"accounts", nlohmann::ordered_json::array()}};
  demo["accounts"].push_back(admin);
  for (const DemoAccount& d : kDemoAccounts) {
    const std::string unit = d.district ? options.district_id : options.unit_id;
    ASSIGN_OR_RETURN(std::string password, create(d.username, d.role, unit));
    demo["accounts"].push_back({{"username", d.username},
                                {"password", password},
                                {"role", std::string(domain::RoleName(d.role))},
                                {"unit_id", unit}});
  }
  RETURN_IF_ERROR(WritePrivateFile(paths.demo_accounts(), demo.dump(2) + "\n"));
  return sign_checkpoint();
}

}  // namespace

absl::Status InitDeployment(const DeploymentPaths& paths,
                            const InitOptions& options, RandomSource& random,
                            const Clock& clock) {
  RETURN_IF_ERROR(MakePrivateDir(paths.data_dir));
  if (PathExists(paths.init_marker())) RETURN_IF_ERROR(ClearInterruptedInit(paths));
  if (PathExists(paths.keyring()) || PathExists(paths.database()) ||
      PathExists(paths.new_database())) {
    return absl::FailedPreconditionError(
        "a deployment already exists in " + paths.data_dir +
        "; init never overwrites one");
  }
  if (PathExists(paths.root_key)) {  // checked before the marker could name it
    return absl::FailedPreconditionError(
        "root key file " + paths.root_key +
        " already exists; init never overwrites one (a new root key cannot open data "
        "sealed under the old one)");
  }
  RETURN_IF_ERROR(WriteInitMarker(paths));
  // From here on any failure leaves the marker: the next init clears up.
  ASSIGN_OR_RETURN(crypto::SecretBytes root_key, crypto::CreateRootKey(paths.root_key, random));
  RETURN_IF_ERROR(BuildDeployment(paths, options, random, clock, root_key));
  // The store is closed and every file synced: the deployment is complete.
  RETURN_IF_ERROR(SyncDirectory(paths.data_dir));
  if (::unlink(paths.init_marker().c_str()) != 0) {
    return absl::UnavailableError("cannot remove " + paths.init_marker());
  }
  return SyncDirectory(paths.data_dir);
}

absl::StatusOr<std::unique_ptr<Deployment>> Deployment::Open(
    const DeploymentPaths& paths, RandomSource& random,
    const storage::StoreOptions& store_options) {
  if (PathExists(paths.init_marker())) {
    return absl::FailedPreconditionError(
        "the deployment in " + paths.data_dir +
        " is incomplete: casevaultd init was interrupted; run casevaultd init again "
        "(it removes the incomplete deployment and starts over)");
  }
  auto root_key = crypto::LoadRootKey(paths.root_key);
  if (!root_key.ok()) return root_key.status();
  auto keyring = crypto::ReadKeyring(paths.keyring(), *root_key);
  if (!keyring.ok()) return keyring.status();
  std::unique_ptr<Deployment> d(new Deployment());
  d->keyring_ = *std::move(keyring);
  ASSIGN_OR_RETURN(d->store_, storage::OpenSqlCipherStore(
                                  paths.database(), d->keyring_.database_key,
                                  storage::OpenMode::kOpenExisting, store_options));
  d->case_keys_ = std::make_unique<crypto::CaseKeyring>(d->keyring_, random);
  return d;
}

}  // namespace casevault::server
