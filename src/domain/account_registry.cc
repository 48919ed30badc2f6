#include "domain/account_registry.h"

#include "common/field_violation.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "domain/limits.h"
#include "domain/denial.h"
#include "domain/policy.h"

namespace casevault::domain {
namespace {

absl::StatusOr<AccountView> ToView(const storage::AccountRecord& a) {
  auto role = ParseRole(a.role);
  if (!role.has_value()) return absl::InternalError("account has no valid role");
  AccountView v;
  v.username = a.username;
  v.role = *role;
  v.unit_id = a.unit_id;
  v.disabled = a.disabled;
  v.locked_until = a.locked_until;
  v.created_at = a.created_at;
  return v;
}

absl::Status ValidateUsernameField(const std::string& username) {
  Violations v;
  if (username.empty()) {
    v.Add("username", "is required");
  } else if (!IsValidUsername(username)) {
    v.Add("username", "must be 3-64 characters of a-z, 0-9, '.', '_' or '-'");
  }
  return v.ToStatus();
}

}  // namespace

bool IsValidUsername(const std::string& name) {
  if (name.size() < 3 || name.size() > 64) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (i == 0 && !alnum) return false;
    if (!alnum && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsValidUnitId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
      return false;
    }
  }
  return true;
}

void CheckPassword(Violations& v, const std::string& field,
                   const std::string& password) {
  if (password.empty()) {
    v.Add(field, "is required");
  } else if (!IsValidUtf8(password)) {
    v.Add(field, "must be valid UTF-8");
  } else if (password.size() > kMaxPasswordBytes) {
    v.Add(field, "must be at most 1024 bytes");
  } else if (CodePointCount(password) < kMinPasswordLength) {
    v.Add(field, "must be at least 12 characters");
  }
}

absl::StatusOr<AccountView> AccountRegistry::Create(const Caller& caller,
                                                    const NewAccount& a) {
  return CreateAudited(EventOf(caller, ActionName(Action::kCreateAccount)), a,
                       RequireRole(caller, Action::kCreateAccount));
}

absl::StatusOr<AccountView> AccountRegistry::CreateUnchecked(const NewAccount& a) {
  return CreateAudited(OperatorEvent(ActionName(Action::kCreateAccount)), a,
                       absl::OkStatus());
}

absl::StatusOr<AccountView> AccountRegistry::CreateAudited(
    AuditEvent event, const NewAccount& a, const absl::Status& allowed) {
  absl::Status valid = allowed;
  const auto role = RoleFromNumber(a.role);
  if (valid.ok()) {
    Violations v;
    if (a.username.empty()) {
      v.Add("username", "is required");
    } else if (!IsValidUsername(a.username)) {
      v.Add("username", "must be 3-64 characters of a-z, 0-9, '.', '_' or '-'");
    }
    if (a.role == 0) {
      v.Add("role", "is required");
    } else if (!role.has_value()) {
      v.Add("role", "is not a known value");
    }
    if (a.unit_id.empty()) {
      v.Add("unit_id", "is required");
    } else if (!IsValidUnitId(a.unit_id)) {
      v.Add("unit_id", "must be 1-64 characters of a-z, 0-9 or '-'");
    }
    CheckPassword(v, "password", a.password);
    valid = v.ToStatus();
  }
  storage::AccountRecord record;
  if (valid.ok()) {  // hash only for a request that will be carried out
    absl::StatusOr<std::string> hash = hasher_.Hash(a.password);
    valid = hash.status();
    if (hash.ok()) record.password_hash = *std::move(hash);
  }
  record.username = a.username;
  if (role.has_value()) record.role = std::string(RoleName(*role));
  record.unit_id = a.unit_id;
  record.created_at = record.updated_at = clock_.Now();
  RETURN_IF_ERROR(trail_.Record(
      store_, std::move(event),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(valid);
        absl::StatusOr<int64_t> id = tx.accounts().Insert(record);
        if (id.ok() || absl::IsAlreadyExists(id.status())) e.target = a.username;
        if (absl::IsAlreadyExists(id.status())) {
          return absl::AlreadyExistsError("an account with this username exists");
        }
        return id.status();
      }));
  return ToView(record);
}

absl::StatusOr<AccountPage> AccountRegistry::List(const Caller& caller,
                                                  int32_t page_size,
                                                  const std::string& page_token) {
  const int32_t limit = page_size == 0 ? kDefaultPageSize : page_size;
  std::vector<storage::AccountRecord> rows;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kListAccounts)),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        RETURN_IF_ERROR(RequireRole(caller, Action::kListAccounts));
        Violations v;
        if (page_size < 0 || page_size > kMaxPageSize) {
          v.Add("page_size",
                "must be between 0 and " + std::to_string(kMaxPageSize));
        }
        if (!page_token.empty() && !IsValidUsername(page_token)) {
          v.Add("page_token", "is not a valid page token");
        }
        RETURN_IF_ERROR(v.ToStatus());
        ASSIGN_OR_RETURN(rows, tx.accounts().List(page_token, limit + 1));
        return absl::OkStatus();
      }));
  AccountPage page;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(limit); ++i) {
    ASSIGN_OR_RETURN(AccountView view, ToView(rows[i]));
    page.accounts.push_back(std::move(view));
  }
  if (rows.size() > static_cast<size_t>(limit)) {
    page.next_page_token = page.accounts.back().username;
  }
  return page;
}

absl::StatusOr<AccountView> AccountRegistry::Change(
    const Caller& caller, Action action, const std::string& username,
    const absl::Status& precondition, bool ends_sessions,
    const std::function<absl::Status(storage::Transaction&,
                                     storage::AccountRecord&)>& change) {
  storage::AccountRecord record;
  int64_t changed_id = 0;  // set once `change` may have run
  const absl::Status done = trail_.Record(
      store_, EventOf(caller, ActionName(action)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        // The target is named when the account exists, whatever the answer.
        absl::StatusOr<storage::AccountRecord> found =
            absl::NotFoundError("no account with this username");
        if (IsValidUsername(username)) {
          found = tx.accounts().FindByUsername(username);
          if (found.ok()) e.target = username;
        }
        RETURN_IF_ERROR(RequireRole(caller, action));
        RETURN_IF_ERROR(precondition);
        RETURN_IF_ERROR(ValidateUsernameField(username));
        if (absl::IsNotFound(found.status())) {
          return absl::NotFoundError("no account with this username");
        }
        RETURN_IF_ERROR(found.status());
        record = *std::move(found);
        changed_id = record.id;
        RETURN_IF_ERROR(change(tx, record));
        record.updated_at = clock_.Now();
        return tx.accounts().Update(record);
      });
  // Only now, after the commit (or its failure), so that no lookup can
  // cache the account's sessions again from a snapshot taken before it.
  if (ends_sessions && cache_ != nullptr && changed_id != 0) {
    cache_->EraseAccount(changed_id);
  }
  RETURN_IF_ERROR(done);
  return ToView(record);
}

absl::StatusOr<AccountView> AccountRegistry::Disable(const Caller& caller,
                                                     const std::string& username) {
  Violations v;
  if (username == caller.username) {
    v.Add("username", "an admin cannot disable their own account");
  }
  return Change(caller, Action::kDisableAccount, username, v.ToStatus(),
                /*ends_sessions=*/true,
                [](storage::Transaction& tx, storage::AccountRecord& a) {
                  a.disabled = true;
                  return tx.sessions().DeleteForAccount(a.id);
                });
}

absl::StatusOr<AccountView> AccountRegistry::ResetPassword(
    const Caller& caller, const std::string& username,
    const std::string& new_password) {
  Violations v;
  CheckPassword(v, "new_password", new_password);
  absl::Status precondition = v.ToStatus();
  std::string hash;
  // Argon2id only for a request that may be carried out.
  if (precondition.ok() && RequireRole(caller, Action::kResetPassword).ok()) {
    absl::StatusOr<std::string> hashed = hasher_.Hash(new_password);
    precondition = hashed.status();
    if (hashed.ok()) hash = *std::move(hashed);
  }
  return Change(caller, Action::kResetPassword, username, precondition,
                /*ends_sessions=*/true,
                [&](storage::Transaction& tx, storage::AccountRecord& a) {
                  a.password_hash = hash;
                  a.failed_logins = 0;
                  a.locked_until = 0;
                  return tx.sessions().DeleteForAccount(a.id);
                });
}

absl::StatusOr<AccountView> AccountRegistry::Unlock(const Caller& caller,
                                                    const std::string& username) {
  return Change(caller, Action::kUnlockAccount, username, absl::OkStatus(),
                /*ends_sessions=*/false,
                [](storage::Transaction&, storage::AccountRecord& a) {
                  a.failed_logins = 0;
                  a.locked_until = 0;
                  return absl::OkStatus();
                });
}

}  // namespace casevault::domain
