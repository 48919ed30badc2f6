// user add | list | disable | unlock | reset-password (admin only; the
// server enforces it).
#include <set>

#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"

namespace casevault::client {
namespace {

constexpr int kMaxPages = 10000;

absl::Status RequireUser(const std::string& user) {
  if (user.empty()) return ClientError(ExitCode::kUsage, "the user name must not be empty");
  return absl::OkStatus();
}

absl::Status AccountNotFound(const absl::Status& status, const std::string& user) {
  if (ExitCodeOf(status) != ExitCode::kNotFound) return status;
  return ClientError(ExitCode::kNotFound,
                     absl::StrCat("no account named ", PrintableText(user, false)));
}

void PrintAccount(CommandContext& context, const v1::Account& account, std::string_view done) {
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText(AccountJson(account));
  } else {
    context.out() << done << " " << PrintableText(account.username(), false) << "\n"
                  << AccountText(account);
  }
}

absl::StatusOr<std::string> NewPassword(const std::string& user, const std::string& file,
                                        CommandContext& context) {
  return ReadNewPassword(
      {file, "CASEVAULT_NEW_PASSWORD",
       absl::StrCat("New password for ", PrintableText(user, false), ": ")},
      context.env(), context.terminal(), context.in());
}

}  // namespace

absl::Status RunUserAdd(const UserAddOptions& options, CommandContext& context) {
  if (absl::Status s = RequireUser(options.user); !s.ok()) return s;
  std::optional<v1::Role> role = ParseEnumName<v1::Role>(options.role);
  if (!role.has_value()) {
    return ClientError(ExitCode::kUsage,
                       absl::StrCat("--role must be one of ", EnumChoices<v1::Role>()));
  }
  if (options.unit.empty()) return ClientError(ExitCode::kUsage, "--unit must not be empty");
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<std::string> password = NewPassword(options.user, options.password_file, context);
  if (!password.ok()) return password.status();

  v1::CreateAccountRequest request;
  request.set_username(options.user);
  request.set_role(*role);
  request.set_unit_id(options.unit);
  request.set_password(std::move(*password));
  absl::StatusOr<v1::Account> account = (*api)->CreateAccount(request);
  request.mutable_password()->assign(request.password().size(), '\0');
  if (!account.ok()) return account.status();
  PrintAccount(context, *account, "created account");
  return absl::OkStatus();
}

absl::Status RunUserList(const UserListOptions& options, CommandContext& context) {
  if (options.page_size < 0) {
    return ClientError(ExitCode::kUsage, "--page-size must not be negative");
  }
  if (options.all && !options.page_token.empty()) {
    return ClientError(ExitCode::kUsage, "--all and --page-token exclude each other");
  }
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::ListAccountsRequest request;
  request.set_page_size(options.page_size);
  request.set_page_token(options.page_token);
  v1::ListAccountsResponse all;
  std::set<std::string> tokens_seen;
  for (int page = 0;; ++page) {
    absl::StatusOr<v1::ListAccountsResponse> response = (*api)->ListAccounts(request);
    if (!response.ok()) return response.status();
    if (!options.all) {
      all = std::move(*response);
      break;
    }
    for (v1::Account& account : *response->mutable_accounts()) {
      *all.add_accounts() = std::move(account);
    }
    const std::string& next = response->next_page_token();
    if (next.empty()) break;
    if (page + 1 >= kMaxPages || !tokens_seen.insert(next).second) {
      return ClientError(ExitCode::kInternal, "the server's pages do not come to an end");
    }
    request.set_page_token(next);
  }
  context.out() << (context.format() == OutputFormat::kJson ? JsonText(AccountListJson(all))
                                                            : AccountListText(all));
  return absl::OkStatus();
}

absl::Status RunUserDisable(const std::string& user, CommandContext& context) {
  if (absl::Status s = RequireUser(user); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::DisableAccountRequest request;
  request.set_username(user);
  absl::StatusOr<v1::Account> account = (*api)->DisableAccount(request);
  if (!account.ok()) return AccountNotFound(account.status(), user);
  PrintAccount(context, *account, "disabled account");
  return absl::OkStatus();
}

absl::Status RunUserUnlock(const std::string& user, CommandContext& context) {
  if (absl::Status s = RequireUser(user); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::UnlockAccountRequest request;
  request.set_username(user);
  absl::StatusOr<v1::Account> account = (*api)->UnlockAccount(request);
  if (!account.ok()) return AccountNotFound(account.status(), user);
  PrintAccount(context, *account, "unlocked account");
  return absl::OkStatus();
}

absl::Status RunUserResetPassword(const ResetPasswordOptions& options, CommandContext& context) {
  if (absl::Status s = RequireUser(options.user); !s.ok()) return s;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<std::string> password = NewPassword(options.user, options.password_file, context);
  if (!password.ok()) return password.status();
  v1::ResetPasswordRequest request;
  request.set_username(options.user);
  request.set_new_password(std::move(*password));
  absl::StatusOr<v1::Account> account = (*api)->ResetPassword(request);
  request.mutable_new_password()->assign(request.new_password().size(), '\0');
  if (!account.ok()) return AccountNotFound(account.status(), options.user);
  PrintAccount(context, *account, "reset the password of");
  return absl::OkStatus();
}

}  // namespace casevault::client
