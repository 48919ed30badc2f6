#include "client/cli.h"

#include <algorithm>
#include <functional>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/enum_names.h"
#include "client/error_report.h"

namespace casevault::client {
namespace {

using Action = std::function<absl::Status(CommandContext&)>;

// Options that would put a secret on argv. They exist, hidden, only so that
// using one gets a clear refusal instead of "unexpected argument".
struct RefusedOptions {
  std::vector<std::pair<CLI::Option*, std::string>> options;

  void Add(CLI::App* app, const std::string& flag, std::string advice, std::string* sink) {
    options.emplace_back(app->add_option(flag, *sink)->group("")->allow_extra_args(false),
                         absl::StrCat(flag, " is refused: ", advice));
  }
  absl::Status Check() const {
    for (const auto& [option, message] : options) {
      if (option->count() > 0) return ClientError(ExitCode::kUsage, message);
    }
    return absl::OkStatus();
  }
};

constexpr char kNotOnArgv[] =
    "the command line is visible to other users (ps) and kept in shell history; ";

// An argument CLI11 did not expect, shown without its value: a stray
// word may be something sensitive typed in the wrong place.
std::string DescribeExtra(const std::string& arg) {
  if (!arg.empty() && arg[0] == '-') return PrintableText(arg.substr(0, arg.find('=')), false);
  return "<value>";
}

// Copies a string option into an optional when it was given.
void Take(const CLI::Option* option, const std::string& value, std::optional<std::string>* out) {
  if (option->count() > 0) *out = value;
}

}  // namespace

int RunClient(const std::vector<std::string>& args, const ClientEnvironment& environment) {
  CLI::App app{"casevault: the client of the casevault case-management service", "casevault"};
  app.require_subcommand(1);
  app.fallthrough();
  app.allow_extras();

  GlobalOptions global;
  std::string output = "text";
  app.add_option("--server", global.connection.server,
                 "HOST:PORT (default: the signed-in server, $CASEVAULT_SERVER, localhost:7443)");
  app.add_option("--ca", global.connection.ca_path,
                 "PEM file of the CA that signed the server certificate (default: $CASEVAULT_CA, "
                 "the one used at login)");
  app.add_option("--output", output, "text or json");
  app.add_option("--timeout", global.connection.timeout_seconds, "seconds per call (default 10)");
  app.add_flag("--insecure-loopback", global.connection.insecure_loopback,
               "plaintext, only to a server on a loopback address started with its loopback flag");

  RefusedOptions refused;
  std::string sink;
  Action action;
  const std::string password_advice = absl::StrCat(
      kNotOnArgv, "use --password-file PATH, CASEVAULT_PASSWORD or the prompt");
  const std::string new_password_advice = absl::StrCat(
      kNotOnArgv, "use --password-file PATH, CASEVAULT_NEW_PASSWORD or the prompt");

  // ---- login, logout, whoami
  LoginOptions login;
  CLI::App* login_cmd = app.add_subcommand("login", "sign in and save the session");
  login_cmd->add_option("--user", login.user, "user name")->required();
  login_cmd->add_option("--password-file", login.password_file,
                        "file holding the password (else $CASEVAULT_PASSWORD, else a prompt)");
  refused.Add(login_cmd, "--password", password_advice, &sink);
  login_cmd->callback([&] { action = [&](CommandContext& c) { return RunLogin(login, c); }; });
  app.add_subcommand("logout", "end the session and delete the session file")
      ->callback([&] { action = RunLogout; });
  app.add_subcommand("whoami", "show who the saved session belongs to")
      ->callback([&] { action = RunWhoAmI; });

  // ---- case
  CLI::App* case_cmd = app.add_subcommand("case", "file, show, list and annotate cases");
  case_cmd->require_subcommand(1);
  case_cmd->fallthrough();

  CaseFlags file;
  struct {
    std::string type, context, severity, date, reporter, gender, klass, relation;
    int birth_year = 0;
    bool staff = false;
  } raw;
  CLI::App* file_cmd = case_cmd->add_subcommand("file", "file a new case; prints its ID");
  auto* type_opt = file_cmd->add_option("--type", raw.type, EnumChoices<v1::IncidentType>());
  auto* context_opt =
      file_cmd->add_option("--context", raw.context, EnumChoices<v1::IncidentContext>());
  auto* severity_opt = file_cmd->add_option("--severity", raw.severity, EnumChoices<v1::Severity>());
  auto* date_opt = file_cmd->add_option("--incident-date", raw.date, "YYYY-MM-DD");
  auto* reporter_opt =
      file_cmd->add_option("--reporter", raw.reporter, EnumChoices<v1::ReporterType>());
  auto* gender_opt = file_cmd->add_option("--victim-gender", raw.gender, EnumChoices<v1::Gender>());
  auto* year_opt = file_cmd->add_option("--victim-birth-year", raw.birth_year, "e.g. 2010");
  auto* class_opt = file_cmd->add_option("--victim-class", raw.klass, "class or job");
  auto* staff_opt = file_cmd->add_flag("--victim-staff", raw.staff, "the victim is a staff member");
  auto* relation_opt = file_cmd->add_option("--perpetrator-relation", raw.relation,
                                            EnumChoices<v1::PerpetratorRelation>());
  file_cmd->add_option("--from-file", file.from_file,
                       "JSON object with victim_name, perpetrator_name, place, narrative and "
                       "optionally the other fields");
  file_cmd->add_option("--narrative-file", file.narrative_file, "file holding the narrative");
  const std::string case_advice =
      absl::StrCat(kNotOnArgv, "put it in the --from-file JSON or answer the prompt");
  for (const char* flag : {"--victim-name", "--perpetrator-name", "--place", "--narrative"}) {
    refused.Add(file_cmd, flag, case_advice, &sink);
  }
  file_cmd->callback([&] {
    Take(type_opt, raw.type, &file.type);
    Take(context_opt, raw.context, &file.context);
    Take(severity_opt, raw.severity, &file.severity);
    Take(date_opt, raw.date, &file.incident_date);
    Take(reporter_opt, raw.reporter, &file.reporter);
    Take(gender_opt, raw.gender, &file.victim_gender);
    Take(class_opt, raw.klass, &file.victim_class);
    Take(relation_opt, raw.relation, &file.perpetrator_relation);
    if (year_opt->count() > 0) file.victim_birth_year = raw.birth_year;
    if (staff_opt->count() > 0) file.victim_staff = raw.staff;
    action = [&](CommandContext& c) { return RunCaseFile(file, c); };
  });

  std::string show_id;
  CLI::App* show_cmd = case_cmd->add_subcommand("show", "show one case with its notes");
  show_cmd->add_option("ID", show_id, "case ID")->required();
  show_cmd->callback([&] { action = [&](CommandContext& c) { return RunCaseShow(show_id, c); }; });

  CaseListOptions list;
  CLI::App* list_cmd = case_cmd->add_subcommand("list", "list the cases you may see");
  list_cmd->add_option("--status", list.status, EnumChoices<v1::CaseStatus>());
  list_cmd->add_option("--page-size", list.page_size, "cases per page (server default 20)");
  auto* token_opt = list_cmd->add_option("--page-token", list.page_token, "from a previous page");
  list_cmd->add_flag("--all", list.all, "fetch every page")->excludes(token_opt);
  list_cmd->callback([&] { action = [&](CommandContext& c) { return RunCaseList(list, c); }; });

  CaseNoteOptions note;
  CLI::App* note_cmd = case_cmd->add_subcommand("note", "add a note to a case");
  note_cmd->add_option("ID", note.case_id, "case ID")->required();
  note_cmd->add_option("--text-file", note.text_file, "file holding the note, - for stdin");
  refused.Add(note_cmd, "--text", absl::StrCat(kNotOnArgv, "use --text-file or the prompt"),
              &sink);
  note_cmd->callback([&] { action = [&](CommandContext& c) { return RunCaseNote(note, c); }; });

  // ---- user
  CLI::App* user_cmd = app.add_subcommand("user", "manage accounts (admin)");
  user_cmd->require_subcommand(1);
  user_cmd->fallthrough();
  const std::string new_password_help =
      "file holding the new password (else $CASEVAULT_NEW_PASSWORD, else a prompt)";

  UserAddOptions add;
  CLI::App* add_cmd = user_cmd->add_subcommand("add", "create an account");
  add_cmd->add_option("--user", add.user, "user name")->required();
  add_cmd->add_option("--role", add.role, EnumChoices<v1::Role>())->required();
  add_cmd->add_option("--unit", add.unit, "school (or district) ID")->required();
  add_cmd->add_option("--password-file", add.password_file, new_password_help);
  refused.Add(add_cmd, "--password", new_password_advice, &sink);
  add_cmd->callback([&] { action = [&](CommandContext& c) { return RunUserAdd(add, c); }; });

  UserListOptions users;
  CLI::App* users_cmd = user_cmd->add_subcommand("list", "list accounts");
  users_cmd->add_option("--page-size", users.page_size, "accounts per page");
  auto* users_token = users_cmd->add_option("--page-token", users.page_token, "from a previous page");
  users_cmd->add_flag("--all", users.all, "fetch every page")->excludes(users_token);
  users_cmd->callback([&] { action = [&](CommandContext& c) { return RunUserList(users, c); }; });

  std::string disable_user;
  CLI::App* disable_cmd = user_cmd->add_subcommand("disable", "disable an account");
  disable_cmd->add_option("NAME", disable_user, "user name")->required();
  disable_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunUserDisable(disable_user, c); }; });

  std::string unlock_user;
  CLI::App* unlock_cmd = user_cmd->add_subcommand("unlock", "unlock an account locked by failures");
  unlock_cmd->add_option("NAME", unlock_user, "user name")->required();
  unlock_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunUserUnlock(unlock_user, c); }; });

  ResetPasswordOptions reset;
  CLI::App* reset_cmd = user_cmd->add_subcommand("reset-password", "set a new password");
  reset_cmd->add_option("NAME", reset.user, "user name")->required();
  reset_cmd->add_option("--password-file", reset.password_file, new_password_help);
  refused.Add(reset_cmd, "--password", new_password_advice, &sink);
  reset_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunUserResetPassword(reset, c); }; });

  // ---- audit
  CLI::App* audit_cmd = app.add_subcommand("audit", "export, verify and prove the audit log");
  audit_cmd->require_subcommand(1);
  audit_cmd->fallthrough();

  AuditExportOptions audit_export;
  CLI::App* export_cmd =
      audit_cmd->add_subcommand("export", "write the log and its signed checkpoint to a file");
  export_cmd->add_option("--out", audit_export.out, "the export file to write")->required();
  export_cmd->add_option("--from", audit_export.from, "first entry (default 0)");
  export_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunAuditExport(audit_export, c); }; });

  AuditVerifyOptions audit_verify;
  CLI::App* verify_cmd =
      audit_cmd->add_subcommand("verify", "check an export offline against the verifier key");
  verify_cmd->add_option("FILE", audit_verify.file, "the export file")->required();
  verify_cmd->add_option("--key", audit_verify.key, "the verifier key, or a file holding it")
      ->required();
  verify_cmd->add_option("--previous", audit_verify.previous,
                         "an older checkpoint note or export the log must extend");
  verify_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunAuditVerify(audit_verify, c); }; });

  AuditProofOptions audit_proof;
  CLI::App* proof_cmd =
      audit_cmd->add_subcommand("proof", "fetch and check the inclusion proof of one entry");
  proof_cmd->add_option("--index", audit_proof.index, "the entry's seq")->required();
  proof_cmd->add_option("--size", audit_proof.size, "a signed checkpoint's size (default latest)");
  proof_cmd->add_option("--key", audit_proof.key,
                        "the verifier key, or a file holding it (default: the server's)");
  proof_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunAuditProof(audit_proof, c); }; });

  AuditCheckpointOptions audit_checkpoint;
  CLI::App* checkpoint_cmd =
      audit_cmd->add_subcommand("checkpoint", "print the latest signed checkpoint");
  checkpoint_cmd->add_flag("--sign-now", audit_checkpoint.sign_now,
                           "have the server sign one for the current size first");
  checkpoint_cmd->add_option("--key", audit_checkpoint.key,
                             "the verifier key, or a file holding it (default: the server's)");
  checkpoint_cmd->callback([&] {
    action = [&](CommandContext& c) { return RunAuditCheckpoint(audit_checkpoint, c); };
  });

  std::string case_ref_id;
  CLI::App* case_ref_cmd =
      audit_cmd->add_subcommand("case-ref", "the log's pseudonymous reference of a case");
  case_ref_cmd->add_option("CASE_ID", case_ref_id, "case ID")->required();
  case_ref_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunAuditCaseRef(case_ref_id, c); }; });

  // ---- parse
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 wants them reversed
  absl::Status status;
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e, *environment.out, *environment.err);
    status = ClientError(ExitCode::kUsage, absl::StrCat(e.what(), "; run: casevault --help"));
  }
  if (status.ok()) {
    std::vector<std::string> extras = app.remaining(true);
    if (!extras.empty()) {
      std::vector<std::string> shown;
      std::transform(extras.begin(), extras.end(), std::back_inserter(shown), DescribeExtra);
      status = ClientError(ExitCode::kUsage,
                           absl::StrCat("unexpected argument", extras.size() > 1 ? "s" : "", ": ",
                                        absl::StrJoin(shown, " "), "; run: casevault --help"));
    }
  }
  if (status.ok()) status = refused.Check();
  if (status.ok()) status = ValidateConnectionFlags(global.connection);
  if (status.ok() && output != "text" && output != "json") {
    status = ClientError(ExitCode::kUsage, "--output must be text or json");
  }
  if (status.ok() && !action) {
    status = ClientError(ExitCode::kUsage, "no command given; run: casevault --help");
  }
  if (status.ok()) {
    global.output = output == "json" ? OutputFormat::kJson : OutputFormat::kText;
    CommandContext context(global, environment);
    status = action(context);
  }
  if (status.ok()) return ToInt(ExitCode::kOk);
  *environment.err << FailureText(status);
  environment.out->flush();
  return ToInt(ExitCodeOf(status));
}

}  // namespace casevault::client
