#include "client/commands.h"

#include "absl/strings/str_cat.h"
#include "client/error_report.h"

namespace casevault::client {

absl::StatusOr<std::string> CommandContext::SessionPath() const {
  return SessionFilePath(environment_.env);
}

absl::StatusOr<Connection> CommandContext::ResolveConnectionFor(
    const std::optional<Session>& session) const {
  return ResolveConnection(options_.connection, session, environment_.env);
}

std::unique_ptr<ServerApi> CommandContext::Connect(const Connection& connection,
                                                   const std::string& token) const {
  return environment_.api_factory(connection, token);
}

absl::StatusOr<std::unique_ptr<ServerApi>> CommandContext::SignedIn(Session* session_out) const {
  absl::StatusOr<std::string> path = SessionPath();
  if (!path.ok()) return path.status();
  absl::StatusOr<std::optional<Session>> session = LoadSession(*path);
  if (!session.ok()) return session.status();
  if (!session->has_value()) {
    return ClientError(ExitCode::kUnauthenticated,
                       "not signed in or session expired; run: casevault login");
  }
  absl::StatusOr<Connection> connection = ResolveConnectionFor(*session);
  if (!connection.ok()) return connection.status();
  if (connection->target != (*session)->server) {
    return ClientError(ExitCode::kUnauthenticated,
                       absl::StrCat("not signed in to ", connection->target,
                                    " (the saved session is for ", (*session)->server,
                                    "); run: casevault login --server ", connection->target));
  }
  if (session_out != nullptr) *session_out = **session;
  return Connect(*connection, (*session)->token);
}

}  // namespace casevault::client
