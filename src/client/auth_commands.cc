// login, logout, whoami.
#include "absl/strings/str_cat.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"

namespace casevault::client {
absl::Status RunLogin(const LoginOptions& options, CommandContext& context) {
  if (options.user.empty()) return ClientError(ExitCode::kUsage, "--user must not be empty");
  absl::StatusOr<std::string> path = context.SessionPath();
  if (!path.ok()) return path.status();
  // An old session only supplies defaults (server, CA). If it is unsafe it
  // is ignored here: the new session replaces it.
  std::optional<Session> old_session;
  if (absl::StatusOr<std::optional<Session>> loaded = LoadSession(*path); loaded.ok()) {
    old_session = std::move(*loaded);
  }
  absl::StatusOr<Connection> connection = context.ResolveConnectionFor(old_session);
  if (!connection.ok()) return connection.status();

  absl::StatusOr<std::string> password = ReadPassword(
      {options.password_file, "CASEVAULT_PASSWORD",
       absl::StrCat("Password for ", PrintableText(options.user, false), ": ")},
      context.env(), context.terminal(), context.in());
  if (!password.ok()) return password.status();

  std::unique_ptr<ServerApi> api = context.Connect(*connection, "");
  v1::LoginRequest request;
  request.set_username(options.user);
  request.set_password(std::move(*password));
  absl::StatusOr<v1::LoginResponse> response = api->Login(request);
  request.mutable_password()->assign(request.password().size(), '\0');
  if (!response.ok()) {
    if (ExitCodeOf(response.status()) == ExitCode::kUnauthenticated) {
      return ClientError(ExitCode::kUnauthenticated,
                         "sign-in refused: wrong username or password, or the account is "
                         "disabled or locked");
    }
    return response.status();
  }
  if (response->session_token().empty()) {
    return ClientError(ExitCode::kInternal, "the server answered the sign-in without a session");
  }

  Session session;
  session.server = connection->target;
  session.ca_path = connection->ca_path;
  session.token = response->session_token();
  session.username = options.user;
  session.role = std::string(EnumNameOf(response->role()));
  session.unit_id = response->unit_id();
  session.expires_at = response->expires_at();
  if (absl::Status saved = SaveSession(*path, session); !saved.ok()) return saved;
  // The session this one replaces is revoked, best effort: fewer live tokens.
  if (old_session.has_value() && old_session->server == session.server &&
      old_session->token != session.token) {
    (void)context.Connect(*connection, old_session->token)->Logout(v1::LogoutRequest());
  }

  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"username", session.username},
                               {"role", session.role},
                               {"unit_id", session.unit_id},
                               {"server", session.server},
                               {"expires_at", session.expires_at}});
  } else {
    context.out() << "signed in as " << PrintableText(session.username, false) << " ("
                  << session.role << ") at " << session.server << "; the session ends by "
                  << PrintableText(session.expires_at, false) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunLogout(CommandContext& context) {
  absl::StatusOr<std::string> path = context.SessionPath();
  if (!path.ok()) return path.status();
  absl::StatusOr<std::optional<Session>> saved = LoadSession(*path);
  if (!saved.ok()) return saved.status();
  if (!saved->has_value()) {
    context.out() << "not signed in\n";
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<v1::LogoutResponse> response = (*api)->Logout(v1::LogoutRequest());
  // The local copy of the token goes whatever the server said.
  if (absl::Status removed = RemoveSession(*path); !removed.ok()) return removed;
  if (!response.ok() && ExitCodeOf(response.status()) != ExitCode::kUnauthenticated) {
    return ClientError(ExitCodeOf(response.status()),
                       absl::StrCat(response.status().message(),
                                    "; the local session was deleted, but the server may accept "
                                    "it until it expires"));
  }
  context.out() << "signed out\n";
  return absl::OkStatus();
}

absl::Status RunWhoAmI(CommandContext& context) {
  Session session;
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn(&session);
  if (!api.ok()) return api.status();
  absl::StatusOr<v1::WhoAmIResponse> me = (*api)->WhoAmI(v1::WhoAmIRequest());
  if (!me.ok()) return me.status();
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"username", me->username()},
                               {"role", std::string(EnumNameOf(me->role()))},
                               {"unit_id", me->unit_id()},
                               {"server", session.server},
                               {"expires_at", session.expires_at}});
  } else {
    context.out() << PrintableText(me->username(), false) << " (" << EnumNameOf(me->role())
                  << ") at unit " << PrintableText(me->unit_id(), false) << " on "
                  << session.server << "\n";
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
