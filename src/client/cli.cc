#include "client/cli.h"

#include <algorithm>
#include <functional>

#include "CLI/CLI.hpp"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/command_flags.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "client/labels.h"
#include "client/output.h"

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
  std::string lang;
  app.add_option("--server", global.connection.server,
                 "HOST:PORT (default: the signed-in server, $CASEVAULT_SERVER, localhost:7443)");
  app.add_option("--ca", global.connection.ca_path,
                 "PEM file of the CA that signed the server certificate (default: $CASEVAULT_CA, "
                 "the one used at login)");
  app.add_option("--output", output, "text or json");
  app.add_option("--lang", lang,
                 "vi or en: the language of labels in text output (default: from LC_ALL, "
                 "LC_MESSAGES, LANG)");
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
  list_cmd->add_option("--severity", list.severity, EnumChoices<v1::Severity>());
  list_cmd->add_flag("--overdue", list.overdue, "only cases with an overdue step");
  list_cmd->add_option("--environment", list.environment,
                       absl::StrCat(EnumChoices<v1::Environment>(), ": only cases with a step there"));
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

  // ---- case: routing and lifecycle
  // One options object for all of them: only one subcommand is parsed.
  CaseChangeOptions change;
  const std::string note_advice =
      absl::StrCat(kNotOnArgv, "use --note-file PATH or --note-file - (standard input)");
  auto add_change = [&](const char* name, const char* help, CaseChange kind) {
    CLI::App* cmd = case_cmd->add_subcommand(name, help);
    cmd->add_option("CASE_ID", change.case_id, "case ID")->required();
    cmd->add_option("--version", change.version,
                    "the case version you are acting on (casevault case show prints it)")
        ->required();
    cmd->callback([&, kind] {
      action = [&, kind](CommandContext& c) { return RunCaseChange(kind, change, c); };
    });
    return cmd;
  };
  auto add_note_file = [&](CLI::App* cmd) {
    cmd->add_option("--note-file", change.note_file,
                    "file holding a note kept with the case, - for stdin");
    refused.Add(cmd, "--note", note_advice, &sink);
  };
  const std::string escalation_reasons = EnumChoicesWhere<v1::EscalationReason>(
      [](v1::EscalationReason r) { return r != v1::ESCALATION_REASON_HIGH_SEVERITY; });

  CLI::App* escalate_cmd =
      add_change("escalate", "escalate a case one level up", CaseChange::kEscalate);
  escalate_cmd->add_option("--reason", change.reason, escalation_reasons)->required();
  add_note_file(escalate_cmd);

  CLI::App* assign_cmd = add_change(
      "assign", "reassign a case (principal) or offer a hand-over (owning counselor)",
      CaseChange::kAssign);
  assign_cmd->add_option("--to", change.user, "user name of the new owner")->required();

  add_change("accept", "accept a hand-over offered to you", CaseChange::kAccept);

  CLI::App* participant_cmd = add_change(
      "add-participant", "let another account work on the case", CaseChange::kAddParticipant);
  participant_cmd->add_option("--user", change.user, "user name")->required();

  bool remove_implicated = false;
  CLI::App* implicate_cmd = add_change(
      "implicate", "list a person implicated in the case (they lose all access to it), or "
      "with --remove take them off the list", CaseChange::kImplicate);
  implicate_cmd->add_option("--user", change.user, "user name")->required();
  implicate_cmd->add_flag("--remove", remove_implicated, "take the user off the list");
  implicate_cmd->add_option("--reason", change.reason,
                            absl::StrCat("with --remove: ", EnumChoices<v1::RemovalReason>()));
  add_note_file(implicate_cmd);
  implicate_cmd->callback([&] {
    action = [&](CommandContext& c) -> absl::Status {
      if (!remove_implicated && (!change.reason.empty() || !change.note_file.empty())) {
        return ClientError(ExitCode::kUsage, "--reason and --note-file go with --remove");
      }
      if (remove_implicated && change.reason.empty()) {
        return ClientError(ExitCode::kUsage,
                           absl::StrCat("--remove needs --reason, one of ",
                                        EnumChoices<v1::RemovalReason>()));
      }
      return RunCaseChange(remove_implicated ? CaseChange::kRemoveImplicated
                                             : CaseChange::kImplicate,
                           change, c);
    };
  });

  add_change("resolve", "mark a case resolved", CaseChange::kResolve);

  CLI::App* close_cmd = add_change(
      "close", "close a case (a counselor's closing waits for approval)", CaseChange::kClose);
  close_cmd->add_option("--reason", change.reason, EnumChoices<v1::ClosureReason>())->required();
  add_note_file(close_cmd);

  add_change("approve-close", "approve a closing that waits for approval",
             CaseChange::kApproveClosure);

  CLI::App* reopen_cmd = add_change("reopen", "reopen a resolved or closed case",
                                    CaseChange::kReopen);
  add_note_file(reopen_cmd);

  // ---- step
  CLI::App* step_cmd = app.add_subcommand("step", "plan, update, complete and list steps");
  step_cmd->require_subcommand(1);
  step_cmd->fallthrough();
  const std::string party_help =
      "file holding who outside casevault does the step (a service, a person), - for stdin";
  const std::string party_advice =
      absl::StrCat(kNotOnArgv, "use --external-party-file PATH or --external-party-file -");
  const std::string outcome_advice =
      absl::StrCat(kNotOnArgv, "use --outcome-file PATH or --outcome-file -");

  StepAddOptions step_add;
  CLI::App* step_add_cmd = step_cmd->add_subcommand("add", "add a step to a case");
  step_add_cmd->add_option("CASE_ID", step_add.case_id, "case ID")->required();
  step_add_cmd->add_option("--kind", step_add.kind, EnumChoices<v1::StepKind>())->required();
  step_add_cmd->add_option("--owner", step_add.owner, "user name of the account that does it");
  step_add_cmd->add_option("--external-party-file", step_add.external_party_file, party_help);
  step_add_cmd->add_option("--due", step_add.due, "YYYY-MM-DD")->required();
  refused.Add(step_add_cmd, "--external-party", party_advice, &sink);
  step_add_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunStepAdd(step_add, c); }; });

  StepUpdateOptions step_update;
  struct {
    std::string status, owner, due;
  } step_raw;
  CLI::App* step_update_cmd = step_cmd->add_subcommand("update", "change a step");
  step_update_cmd->add_option("STEP_ID", step_update.step_id, "step ID")->required();
  step_update_cmd->add_option("--version", step_update.version, "the step version you loaded")
      ->required();
  auto* step_status_opt =
      step_update_cmd->add_option("--status", step_raw.status, "planned|in-progress|cancelled");
  auto* step_owner_opt = step_update_cmd->add_option("--owner", step_raw.owner, "user name");
  auto* step_due_opt = step_update_cmd->add_option("--due", step_raw.due, "YYYY-MM-DD");
  step_update_cmd->add_option("--outcome-file", step_update.outcome_file,
                              "file holding the outcome so far, - for stdin");
  step_update_cmd->add_option("--external-party-file", step_update.external_party_file,
                              party_help);
  refused.Add(step_update_cmd, "--outcome", outcome_advice, &sink);
  refused.Add(step_update_cmd, "--external-party", party_advice, &sink);
  step_update_cmd->callback([&] {
    Take(step_status_opt, step_raw.status, &step_update.status);
    Take(step_owner_opt, step_raw.owner, &step_update.owner);
    Take(step_due_opt, step_raw.due, &step_update.due);
    action = [&](CommandContext& c) { return RunStepUpdate(step_update, c); };
  });

  StepDoneOptions step_done;
  CLI::App* step_done_cmd = step_cmd->add_subcommand("done", "mark a step done");
  step_done_cmd->add_option("STEP_ID", step_done.step_id, "step ID")->required();
  step_done_cmd->add_option("--version", step_done.version, "the step version you loaded")
      ->required();
  step_done_cmd->add_option("--outcome-file", step_done.outcome_file,
                            "file holding the outcome, - for stdin");
  refused.Add(step_done_cmd, "--outcome", outcome_advice, &sink);
  step_done_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunStepDone(step_done, c); }; });

  StepListOptions step_list;
  CLI::App* step_list_cmd =
      step_cmd->add_subcommand("list", "list the steps of a case, or of every case you work");
  step_list_cmd->add_option("--case", step_list.case_id, "case ID");
  step_list_cmd->add_flag("--overdue", step_list.overdue, "only steps past their due date");
  step_list_cmd->add_option("--page-size", step_list.page_size,
                            "steps per page (server default 50)");
  auto* step_token_opt =
      step_list_cmd->add_option("--page-token", step_list.page_token, "from a previous page");
  step_list_cmd->add_flag("--all", step_list.all, "fetch every page")->excludes(step_token_opt);
  step_list_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunStepList(step_list, c); }; });

  // ---- consent
  CLI::App* consent_cmd =
      app.add_subcommand("consent", "record and withdraw consent; override it (audited)");
  consent_cmd->require_subcommand(1);
  consent_cmd->fallthrough();
  const std::string society_kinds = EnumChoicesWhere<v1::StepKind>(IsSocietyKind);

  ConsentRecordOptions consent_record;
  CLI::App* record_cmd = consent_cmd->add_subcommand("record", "record consent given");
  record_cmd->add_option("CASE_ID", consent_record.case_id, "case ID")->required();
  record_cmd->add_option("--purpose", consent_record.purpose, EnumChoices<v1::ConsentPurpose>())
      ->required();
  record_cmd->add_option("--service", consent_record.service,
                         absl::StrCat("for --purpose referral: ", society_kinds));
  record_cmd->add_option("--given-by", consent_record.given_by, EnumChoices<v1::ConsentGiver>())
      ->required();
  record_cmd->add_option("--child-assent", consent_record.child_assent,
                         absl::StrCat(EnumChoices<v1::ChildAssent>(),
                                      " (required when the victim is a minor)"));
  record_cmd->add_option("--given-on", consent_record.given_on, "YYYY-MM-DD")->required();
  record_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunConsentRecord(consent_record, c); }; });

  std::string withdraw_id;
  CLI::App* withdraw_cmd = consent_cmd->add_subcommand("withdraw", "withdraw a consent");
  withdraw_cmd->add_option("CONSENT_ID", withdraw_id, "consent ID")->required();
  withdraw_cmd->callback(
      [&] { action = [&](CommandContext& c) { return RunConsentWithdraw(withdraw_id, c); }; });

  ConsentOverrideOptions consent_override;
  CLI::App* override_cmd = consent_cmd->add_subcommand(
      "override", "act without consent, for a stated reason (principal or district; audited)");
  override_cmd->add_option("CASE_ID", consent_override.case_id, "case ID")->required();
  override_cmd->add_option("--purpose", consent_override.purpose,
                           EnumChoices<v1::ConsentPurpose>())
      ->required();
  override_cmd->add_option("--service", consent_override.service,
                           absl::StrCat("for --purpose referral: ", society_kinds));
  override_cmd->add_option("--reason", consent_override.reason, EnumChoices<v1::OverrideReason>())
      ->required();
  override_cmd->callback([&] {
    action = [&](CommandContext& c) { return RunConsentOverride(consent_override, c); };
  });

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
  if (status.ok()) {
    if (lang.empty()) {
      global.language = LanguageFromEnvironment(environment.env);
    } else if (std::optional<Language> chosen = ParseLanguage(lang)) {
      global.language = *chosen;
    } else {
      status = ClientError(ExitCode::kUsage, "--lang must be vi or en");
    }
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
  if (output == "json") *environment.out << JsonText(FailureJson(status));
  environment.out->flush();
  return ToInt(ExitCodeOf(status));
}

}  // namespace casevault::client
