// case escalate | assign | accept | add-participant | implicate [--remove] |
// resolve | close | approve-close | reopen: one RPC each, every one naming
// the case version it was made against and answering the case's new state.
#include "absl/strings/str_cat.h"
#include "client/command_flags.h"
#include "client/commands.h"
#include "client/enum_names.h"
#include "client/error_report.h"
#include "client/output.h"

namespace casevault::client {
namespace {

// What each change needs from its options, checked before anything is sent.
struct Needs {
  const char* user_flag = nullptr;  // the flag naming the user, or none
  bool reason = false;
  bool note = false;
};

Needs NeedsOf(CaseChange change) {
  switch (change) {
    case CaseChange::kEscalate: return {nullptr, true, true};
    case CaseChange::kAssign: return {"--to", false, false};
    case CaseChange::kAddParticipant:
    case CaseChange::kImplicate: return {"--user", false, false};
    case CaseChange::kRemoveImplicated: return {"--user", true, true};
    case CaseChange::kClose: return {nullptr, true, true};
    case CaseChange::kReopen: return {nullptr, false, true};
    case CaseChange::kAccept:
    case CaseChange::kResolve:
    case CaseChange::kApproveClosure: break;
  }
  return {};
}

// Sets case_id and version on any of the change requests.
template <typename Request>
Request Base(const std::string& case_id, int64_t version) {
  Request request;
  request.set_case_id(case_id);
  request.set_version(version);
  return request;
}

}  // namespace

absl::Status RunCaseChange(CaseChange change, const CaseChangeOptions& options,
                           CommandContext& context) {
  // Everything the command line says is checked before signing in.
  if (absl::Status s = RequireId(options.case_id, "case"); !s.ok()) return s;
  absl::StatusOr<int64_t> version = ParseVersionFlag(options.version);
  if (!version.ok()) return version.status();
  const Needs needs = NeedsOf(change);
  if (needs.user_flag != nullptr && options.user.empty()) {
    return ClientError(ExitCode::kUsage, absl::StrCat(needs.user_flag, " must name a user"));
  }
  v1::EscalationReason escalation_reason = v1::ESCALATION_REASON_UNSPECIFIED;
  v1::RemovalReason removal_reason = v1::REMOVAL_REASON_UNSPECIFIED;
  v1::ClosureReason closure_reason = v1::CLOSURE_REASON_UNSPECIFIED;
  if (needs.reason) {
    absl::Status parsed;
    if (change == CaseChange::kEscalate) {
      // HIGH_SEVERITY is the server's own, set when a case is filed.
      auto r = ParseEnumFlagWhere<v1::EscalationReason>(
          options.reason, "--reason",
          [](v1::EscalationReason v) { return v != v1::ESCALATION_REASON_HIGH_SEVERITY; });
      if (r.ok()) escalation_reason = *r;
      parsed = r.status();
    } else if (change == CaseChange::kRemoveImplicated) {
      auto r = ParseEnumFlag<v1::RemovalReason>(options.reason, "--reason");
      if (r.ok()) removal_reason = *r;
      parsed = r.status();
    } else {
      auto r = ParseEnumFlag<v1::ClosureReason>(options.reason, "--reason");
      if (r.ok()) closure_reason = *r;
      parsed = r.status();
    }
    if (!parsed.ok()) return parsed;
  }

  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  std::string note;
  if (needs.note && !options.note_file.empty()) {
    absl::StatusOr<std::string> text = ReadTextFlagFile(options.note_file, "note file", context);
    if (!text.ok()) return text.status();
    note = std::move(*text);
  }

  const std::string& id = options.case_id;
  ServerApi& server = **api;
  absl::StatusOr<v1::CaseState> state;
  switch (change) {
    case CaseChange::kEscalate: {
      auto r = Base<v1::EscalateCaseRequest>(id, *version);
      r.set_reason(escalation_reason);
      r.set_note(note);
      state = server.EscalateCase(r);
      break;
    }
    case CaseChange::kAssign: {
      auto r = Base<v1::AssignCaseRequest>(id, *version);
      r.set_username(options.user);
      state = server.AssignCase(r);
      break;
    }
    case CaseChange::kAccept:
      state = server.AcceptCase(Base<v1::AcceptCaseRequest>(id, *version));
      break;
    case CaseChange::kAddParticipant: {
      auto r = Base<v1::AddParticipantRequest>(id, *version);
      r.set_username(options.user);
      state = server.AddParticipant(r);
      break;
    }
    case CaseChange::kImplicate: {
      auto r = Base<v1::AddImplicatedRequest>(id, *version);
      r.set_username(options.user);
      state = server.AddImplicated(r);
      break;
    }
    case CaseChange::kRemoveImplicated: {
      auto r = Base<v1::RemoveImplicatedRequest>(id, *version);
      r.set_username(options.user);
      r.set_reason(removal_reason);
      r.set_note(note);
      state = server.RemoveImplicated(r);
      break;
    }
    case CaseChange::kResolve:
      state = server.ResolveCase(Base<v1::ResolveCaseRequest>(id, *version));
      break;
    case CaseChange::kClose: {
      auto r = Base<v1::CloseCaseRequest>(id, *version);
      r.set_reason(closure_reason);
      r.set_note(note);
      state = server.CloseCase(r);
      break;
    }
    case CaseChange::kApproveClosure:
      state = server.ApproveClosure(Base<v1::ApproveClosureRequest>(id, *version));
      break;
    case CaseChange::kReopen: {
      auto r = Base<v1::ReopenCaseRequest>(id, *version);
      r.set_note(note);
      state = server.ReopenCase(r);
      break;
    }
  }
  if (!state.ok()) {
    return ForThing(state.status(), "case", id,
                    absl::StrCat("casevault case show ", PrintableText(id, false)));
  }
  PrintResult(context, CaseStateJson(*state), CaseStateText(*state, context.language()));
  return absl::OkStatus();
}

}  // namespace casevault::client
