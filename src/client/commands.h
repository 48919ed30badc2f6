// The client's commands. Each Run* function does one command and returns
// OK or a failure made by error_report.h; RunClient (cli.h) prints the
// failure and turns it into the exit code. Commands reach the server only
// through the ServerApi that CommandContext hands out, so tests run them
// against a fake.
#ifndef CASEVAULT_CLIENT_COMMANDS_H_
#define CASEVAULT_CLIENT_COMMANDS_H_

#include <functional>
#include <istream>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/case_input.h"
#include "client/connection.h"
#include "client/labels.h"
#include "client/output.h"
#include "client/secret_input.h"
#include "client/server_api.h"
#include "client/session_file.h"

namespace casevault::client {

// Makes the ServerApi for a connection and a token ("" for none).
using ApiFactory =
    std::function<std::unique_ptr<ServerApi>(const Connection& connection, const std::string& token)>;

// Everything a run needs from outside the process's arguments. main() passes
// the real environment, terminal, streams and gRPC; tests pass fakes.
struct ClientEnvironment {
  EnvLookup env;
  Terminal* terminal = nullptr;
  std::istream* in = nullptr;
  std::ostream* out = nullptr;
  std::ostream* err = nullptr;
  // Whether `err` is a terminal: progress lines are shown only there.
  bool err_is_terminal = false;
  ApiFactory api_factory;
};

struct GlobalOptions {
  ConnectionFlags connection;
  OutputFormat output = OutputFormat::kText;
  Language language = Language::kEn;  // of text output (--lang, else the locale)
};

class CommandContext {
 public:
  CommandContext(GlobalOptions options, const ClientEnvironment& environment)
      : options_(std::move(options)), environment_(environment) {}

  OutputFormat format() const { return options_.output; }
  Language language() const { return options_.language; }
  std::ostream& out() { return *environment_.out; }
  std::istream& in() { return *environment_.in; }
  // Standard error, for progress only (failures go back as a status).
  std::ostream& err() { return *environment_.err; }
  bool err_is_terminal() const { return environment_.err_is_terminal; }
  Terminal& terminal() { return *environment_.terminal; }
  const EnvLookup& env() const { return environment_.env; }

  // Where the session file is (see session_file.h).
  absl::StatusOr<std::string> SessionPath() const;

  // The connection this run uses, given the saved session (if any).
  absl::StatusOr<Connection> ResolveConnectionFor(const std::optional<Session>& session) const;

  // A ServerApi for `connection` carrying `token` ("" for none).
  std::unique_ptr<ServerApi> Connect(const Connection& connection, const std::string& token) const;

  // A ServerApi that carries the saved session's token. kUnauthenticated
  // when there is no session, or when --server names another server than the
  // one the session belongs to (the token is never sent elsewhere).
  // `session_out`, when not null, receives the session.
  absl::StatusOr<std::unique_ptr<ServerApi>> SignedIn(Session* session_out = nullptr) const;

 private:
  GlobalOptions options_;
  const ClientEnvironment& environment_;
};

// ---- auth_commands.cc
struct LoginOptions {
  std::string user;
  std::string password_file;
};
absl::Status RunLogin(const LoginOptions& options, CommandContext& context);
absl::Status RunLogout(CommandContext& context);
absl::Status RunWhoAmI(CommandContext& context);

// ---- case_commands.cc
struct CaseListOptions {
  std::string status;  // "" for every status
  std::string severity;     // "" for every severity
  bool overdue = false;     // only cases with an overdue step
  std::string environment;  // "" for any; else only cases with a step there
  int page_size = 0;   // 0: the server's default
  std::string page_token;
  bool all = false;    // follow next_page_token to the end
};
struct CaseNoteOptions {
  std::string case_id;
  std::string text_file;  // "-" for stdin, "" to prompt
};
absl::Status RunCaseFile(const CaseFlags& flags, CommandContext& context);
absl::Status RunCaseShow(const std::string& case_id, CommandContext& context);
absl::Status RunCaseList(const CaseListOptions& options, CommandContext& context);
absl::Status RunCaseNote(const CaseNoteOptions& options, CommandContext& context);

// ---- lifecycle_commands.cc: routing and lifecycle of one case. Every one
// names the case version it was made against (`--version`); the server
// answers ABORTED when the case changed since.
enum class CaseChange {
  kEscalate,
  kAssign,
  kAccept,
  kAddParticipant,
  kImplicate,
  kRemoveImplicated,
  kResolve,
  kClose,
  kApproveClosure,
  kReopen,
};
struct CaseChangeOptions {
  std::string case_id;
  std::string version;    // decimal, as typed
  std::string reason;     // escalate, implicate --remove, close
  std::string user;       // assign (--to), add-participant, implicate (--user)
  std::string note_file;  // escalate, implicate --remove, close, reopen; "-": stdin
};
absl::Status RunCaseChange(CaseChange change, const CaseChangeOptions& options,
                           CommandContext& context);

// ---- step_commands.cc
struct StepAddOptions {
  std::string case_id;
  std::string kind;
  std::string owner;                // exactly one of owner and
  std::string external_party_file;  // external_party_file
  std::string due;
};
struct StepUpdateOptions {
  std::string step_id;
  std::string version;
  std::optional<std::string> status;
  std::optional<std::string> owner;
  std::optional<std::string> due;
  std::string outcome_file;         // "" when not given
  std::string external_party_file;  // "" when not given
};
struct StepDoneOptions {
  std::string step_id;
  std::string version;
  std::string outcome_file;  // "" when not given
};
struct StepListOptions {
  std::string case_id;  // "" for every case the caller works
  bool overdue = false;
  int page_size = 0;    // 0: the server's default
  std::string page_token;
  bool all = false;     // follow next_page_token to the end
};
absl::Status RunStepAdd(const StepAddOptions& options, CommandContext& context);
absl::Status RunStepUpdate(const StepUpdateOptions& options, CommandContext& context);
absl::Status RunStepDone(const StepDoneOptions& options, CommandContext& context);
absl::Status RunStepList(const StepListOptions& options, CommandContext& context);

// ---- consent_commands.cc
struct ConsentRecordOptions {
  std::string case_id;
  std::string purpose;
  std::string service;       // "" when not given
  std::string given_by;
  std::string child_assent;  // "" when not given
  std::string given_on;
};
struct ConsentOverrideOptions {
  std::string case_id;
  std::string purpose;
  std::string service;  // "" when not given
  std::string reason;
};
absl::Status RunConsentRecord(const ConsentRecordOptions& options, CommandContext& context);
absl::Status RunConsentWithdraw(const std::string& consent_id, CommandContext& context);
absl::Status RunConsentOverride(const ConsentOverrideOptions& options, CommandContext& context);

// ---- user_commands.cc
struct UserAddOptions {
  std::string user;
  std::string role;
  std::string unit;
  std::string password_file;
};
struct UserListOptions {
  int page_size = 0;
  std::string page_token;
  bool all = false;
};
struct ResetPasswordOptions {
  std::string user;
  std::string password_file;
};
absl::Status RunUserAdd(const UserAddOptions& options, CommandContext& context);
absl::Status RunUserList(const UserListOptions& options, CommandContext& context);
absl::Status RunUserDisable(const std::string& user, CommandContext& context);
absl::Status RunUserUnlock(const std::string& user, CommandContext& context);
absl::Status RunUserResetPassword(const ResetPasswordOptions& options, CommandContext& context);

// ---- audit_commands.cc, audit_verify_command.cc
struct AuditExportOptions {
  std::string out;          // the export file
  std::string from = "0";   // first entry, decimal
};
struct AuditVerifyOptions {
  std::string file;
  std::string key;          // the verifier key, or a file holding it
  std::string previous;     // "" or a checkpoint note or export file
};
struct AuditProofOptions {
  std::string index;        // decimal
  std::string size;         // decimal; "" for the latest checkpoint
  std::string key;          // "" to use the key the server sends
};
struct AuditCheckpointOptions {
  bool sign_now = false;
  std::string key;
};
absl::Status RunAuditExport(const AuditExportOptions& options, CommandContext& context);
absl::Status RunAuditVerify(const AuditVerifyOptions& options, CommandContext& context);
absl::Status RunAuditProof(const AuditProofOptions& options, CommandContext& context);
absl::Status RunAuditCheckpoint(const AuditCheckpointOptions& options, CommandContext& context);
absl::Status RunAuditCaseRef(const std::string& case_id, CommandContext& context);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_COMMANDS_H_
