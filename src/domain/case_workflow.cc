#include "domain/case_workflow.h"

#include <string>

#include "absl/functional/function_ref.h"
#include "common/field_violation.h"
#include "common/status_macros.h"
#include "domain/case_access.h"
#include "domain/case_validation.h"
#include "domain/lifecycle.h"
#include "domain/limits.h"
#include "domain/policy.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {
namespace {

using Apply = absl::FunctionRef<absl::Status(storage::Transaction&,
                                             CaseContext&, AuditEvent&)>;

void CheckOptionalNote(Violations& v, const std::string& note) {
  CheckText(v, "note", note, kMaxNoteLength, /*required=*/false,
            /*multiline=*/true);
}

absl::Status Advance(storage::CaseRecord& r, CaseEvent event) {
  ASSIGN_OR_RETURN(CaseStatus next,
                   NextStatus(static_cast<CaseStatus>(r.status), event));
  r.status = static_cast<int32_t>(next);
  return absl::OkStatus();
}

absl::Status CannotBeGiven() {
  return absl::FailedPreconditionError("this account cannot be given this case");
}

// An account of any state (implicating a disabled account is allowed).
absl::StatusOr<storage::AccountRecord> FindAnyAccount(
    storage::Transaction& tx, const std::string& username) {
  Violations v;
  if (username.empty()) {
    v.Add("username", "is required");
    return v.ToStatus();
  }
  auto found = tx.accounts().FindByUsername(username);
  if (absl::IsNotFound(found.status())) {
    v.Add("username", "no account with this username");
    return v.ToStatus();
  }
  return found;
}

// Whether an implicated account of the case is a principal of its school.
absl::StatusOr<bool> PrincipalImplicated(
    storage::Transaction& tx, const storage::CaseRecord& r,
    const std::vector<storage::CaseMemberRecord>& members) {
  for (const auto& m : members) {
    if (m.kind != storage::MemberKind::kImplicated) continue;
    ASSIGN_OR_RETURN(storage::AccountRecord a, tx.accounts().FindById(m.account_id));
    ASSIGN_OR_RETURN(Role role, RoleOf(a));
    if (role == Role::kPrincipal && a.unit_id == r.school_id) return true;
  }
  return false;
}

// Recomputes principal_recused; a case that reaches only the principal
// goes on to the district when the principal is recused.
absl::Status UpdateRecusal(storage::Transaction& tx, storage::CaseRecord& r) {
  ASSIGN_OR_RETURN(auto members, tx.cases().ListMembers(r.id));
  ASSIGN_OR_RETURN(r.principal_recused, PrincipalImplicated(tx, r, members));
  if (r.principal_recused && r.escalation == kEscalationPrincipal) {
    r.escalation = kEscalationDistrict;
  }
  return absl::OkStatus();
}

}  // namespace

// Runs one audited change: validation result `valid` (checked after the
// case is found, so that a hidden case stays NOT_FOUND), the policy, the
// version, `apply`, and the save; answers the new state.
static absl::StatusOr<CaseState> RunChange(storage::Store& store,
                                           const AuditTrail& trail,
                                           const Clock& clock,
                                           const Caller& caller, Action action,
                                           const CaseChange& change,
                                           const absl::Status& valid,
                                           Apply apply) {
  CaseState state;
  RETURN_IF_ERROR(trail.Record(
      store, EventOf(caller, ActionName(action)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        ASSIGN_OR_RETURN(CaseContext c,
                         OpenCase(tx, caller, action, change.case_id, e));
        RETURN_IF_ERROR(valid);
        RETURN_IF_ERROR(CheckVersion(c.record, change.version));
        RETURN_IF_ERROR(apply(tx, c, e));
        RETURN_IF_ERROR(SaveCase(tx, c.record, clock.Now()));
        ASSIGN_OR_RETURN(auto members, tx.cases().ListMembers(c.record.id));
        ASSIGN_OR_RETURN(state, StateOf(tx, c.record, members));
        return absl::OkStatus();
      }));
  return state;
}

absl::StatusOr<CaseState> CaseWorkflow::Escalate(const Caller& caller,
                                                 const CaseChange& change) {
  Violations v;
  CheckEnum(v, "reason", change.reason, kEscalationReasonMax);
  if (change.reason == kEscalationReasonHighSeverity) {
    v.Add("reason", "is set by the server when a case is filed");
  }
  CheckOptionalNote(v, change.note);
  return RunChange(
      store_, trail_, clock_, caller, Action::kEscalateCase, change,
      v.ToStatus(), [&](storage::Transaction& tx, CaseContext& c, AuditEvent&) {
        storage::CaseRecord& r = c.record;
        int32_t target = caller.role == Role::kCounselor ? kEscalationPrincipal
                                                         : kEscalationDistrict;
        if (target == kEscalationPrincipal && r.principal_recused) {
          target = kEscalationDistrict;
        }
        if (r.escalation >= target) {
          return absl::FailedPreconditionError(
              target == kEscalationDistrict
                  ? "the case already reaches the district"
                  : "the case already reaches the principal");
        }
        RETURN_IF_ERROR(Advance(r, CaseEvent::kEscalate));
        r.escalation = target;
        r.escalation_reason = change.reason;
        if (change.note.empty()) return absl::OkStatus();
        return AddSealedNote(tx, keys_, random_, r, caller.account_id,
                             clock_.Now(), change.note);
      });
}

absl::StatusOr<CaseState> CaseWorkflow::Assign(const Caller& caller,
                                               const CaseChange& change) {
  return RunChange(
      store_, trail_, clock_, caller, Action::kAssignCase, change,
      absl::OkStatus(),
      [&](storage::Transaction& tx, CaseContext& c, AuditEvent& e) {
        storage::CaseRecord& r = c.record;
        ASSIGN_OR_RETURN(storage::AccountRecord to,
                         FindActiveAccount(tx, change.username, "username"));
        e.target = to.username;
        ASSIGN_OR_RETURN(Role role, RoleOf(to));
        if ((role != Role::kCounselor && role != Role::kPrincipal) ||
            to.unit_id != r.school_id) {
          Violations v;
          v.Add("username", "must be a counselor or principal of the case's school");
          return v.ToStatus();
        }
        if (IsImplicated(c.facts, to.id)) return CannotBeGiven();
        if (to.id == r.owner_id) {
          return absl::FailedPreconditionError("this account already owns the case");
        }
        RETURN_IF_ERROR(Advance(r, CaseEvent::kAmend));
        if (caller.role == Role::kPrincipal) {
          r.owner_id = to.id;  // a principal reassigns at once
          r.pending_owner_id = 0;
        } else {
          r.pending_owner_id = to.id;  // the other counselor accepts
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<CaseState> CaseWorkflow::Accept(const Caller& caller,
                                               const CaseChange& change) {
  return RunChange(store_, trail_, clock_, caller, Action::kAcceptCase, change,
                   absl::OkStatus(),
                   [&](storage::Transaction&, CaseContext& c, AuditEvent&) {
                     RETURN_IF_ERROR(Advance(c.record, CaseEvent::kAmend));
                     c.record.owner_id = caller.account_id;
                     c.record.pending_owner_id = 0;
                     return absl::OkStatus();
                   });
}

absl::StatusOr<CaseState> CaseWorkflow::AddParticipant(
    const Caller& caller, const CaseChange& change) {
  return RunChange(
      store_, trail_, clock_, caller, Action::kAddParticipant, change,
      absl::OkStatus(),
      [&](storage::Transaction& tx, CaseContext& c, AuditEvent& e) {
        storage::CaseRecord& r = c.record;
        ASSIGN_OR_RETURN(storage::AccountRecord who,
                         FindCaseWorker(tx, c, change.username, "username", e));
        RETURN_IF_ERROR(Advance(r, CaseEvent::kWork));
        return MakeParticipant(tx, r.id, who.id, caller.account_id,
                               clock_.Now());
      });
}

absl::StatusOr<CaseState> CaseWorkflow::AddImplicated(
    const Caller& caller, const CaseChange& change) {
  return RunChange(
      store_, trail_, clock_, caller, Action::kAddImplicated, change,
      absl::OkStatus(),
      [&](storage::Transaction& tx, CaseContext& c, AuditEvent& e) {
        storage::CaseRecord& r = c.record;
        ASSIGN_OR_RETURN(storage::AccountRecord who,
                         FindAnyAccount(tx, change.username));
        e.target = who.username;
        if (who.id == caller.account_id) {
          return absl::FailedPreconditionError(
              "you cannot name yourself as implicated; ask the principal or "
              "the district");
        }
        RETURN_IF_ERROR(Advance(r, CaseEvent::kRecuse));
        storage::CaseMemberRecord m;
        m.case_id = r.id;
        m.account_id = who.id;
        m.kind = storage::MemberKind::kImplicated;
        m.added_by = caller.account_id;
        m.added_at = clock_.Now();
        absl::Status added = tx.cases().AddMember(m);
        if (absl::IsAlreadyExists(added)) {
          return absl::AlreadyExistsError("this account is already implicated");
        }
        RETURN_IF_ERROR(added);
        if (r.pending_owner_id == who.id) r.pending_owner_id = 0;
        return UpdateRecusal(tx, r);
      });
}

absl::StatusOr<CaseState> CaseWorkflow::RemoveImplicated(
    const Caller& caller, const CaseChange& change) {
  Violations v;
  CheckEnum(v, "reason", change.reason, kRemovalReasonMax);
  CheckOptionalNote(v, change.note);
  return RunChange(
      store_, trail_, clock_, caller, Action::kRemoveImplicated, change,
      v.ToStatus(),
      [&](storage::Transaction& tx, CaseContext& c, AuditEvent& e) {
        storage::CaseRecord& r = c.record;
        ASSIGN_OR_RETURN(storage::AccountRecord who,
                         FindAnyAccount(tx, change.username));
        e.target = who.username;
        RETURN_IF_ERROR(Advance(r, CaseEvent::kRecuse));
        absl::Status removed = tx.cases().RemoveMember(
            r.id, who.id, storage::MemberKind::kImplicated);
        if (absl::IsNotFound(removed)) {
          return absl::FailedPreconditionError("this account is not implicated in the case");
        }
        RETURN_IF_ERROR(removed);
        RETURN_IF_ERROR(UpdateRecusal(tx, r));
        if (change.note.empty()) return absl::OkStatus();
        return AddSealedNote(tx, keys_, random_, r, caller.account_id,
                             clock_.Now(), change.note);
      });
}

absl::StatusOr<CaseState> CaseWorkflow::Resolve(const Caller& caller,
                                                const CaseChange& change) {
  return RunChange(store_, trail_, clock_, caller, Action::kResolveCase, change,
                   absl::OkStatus(),
                   [&](storage::Transaction&, CaseContext& c, AuditEvent&) {
                     return Advance(c.record, CaseEvent::kResolve);
                   });
}

absl::StatusOr<CaseState> CaseWorkflow::Close(const Caller& caller,
                                              const CaseChange& change) {
  Violations v;
  CheckEnum(v, "reason", change.reason, kClosureReasonMax);
  CheckOptionalNote(v, change.note);
  return RunChange(
      store_, trail_, clock_, caller, Action::kCloseCase, change, v.ToStatus(),
      [&](storage::Transaction&, CaseContext& c, AuditEvent&) -> absl::Status {
        storage::CaseRecord& r = c.record;
        if (r.closure_pending) {
          return absl::FailedPreconditionError(
              "the closure of this case already waits for approval");
        }
        const CaseStatus before = static_cast<CaseStatus>(r.status);
        RETURN_IF_ERROR(Advance(r, CaseEvent::kClose));
        // A case that was ever escalated closes only with the approval of
        // the principal (or the district): the closure waits for it unless
        // the caller may give it.
        const bool needs_approval =
            r.escalation > kEscalationNone &&
            !Decide(caller, Action::kApproveClosure, &c.facts).allowed;
        if (needs_approval) {
          r.status = static_cast<int32_t>(before);
          r.closure_pending = true;
        }
        r.closure_reason = change.reason;
        r.sealed_closure_note.clear();
        if (!change.note.empty()) {
          ASSIGN_OR_RETURN(auto key, OpenKeyOf(keys_, r));
          r.sealed_closure_note = key->SealField(kFieldClosureNote, change.note);
        }
        return absl::OkStatus();
      });
}

absl::StatusOr<CaseState> CaseWorkflow::ApproveClosure(
    const Caller& caller, const CaseChange& change) {
  return RunChange(
      store_, trail_, clock_, caller, Action::kApproveClosure, change,
      absl::OkStatus(),
      [&](storage::Transaction&, CaseContext& c, AuditEvent&) -> absl::Status {
        storage::CaseRecord& r = c.record;
        if (!r.closure_pending) {
          return absl::FailedPreconditionError(
              "no closure of this case waits for approval");
        }
        RETURN_IF_ERROR(Advance(r, CaseEvent::kClose));
        r.closure_pending = false;
        return absl::OkStatus();
      });
}

absl::StatusOr<CaseState> CaseWorkflow::Reopen(const Caller& caller,
                                               const CaseChange& change) {
  Violations v;
  CheckOptionalNote(v, change.note);
  return RunChange(
      store_, trail_, clock_, caller, Action::kReopenCase, change,
      v.ToStatus(),
      [&](storage::Transaction& tx, CaseContext& c, AuditEvent&) {
        storage::CaseRecord& r = c.record;
        RETURN_IF_ERROR(Advance(r, CaseEvent::kReopen));
        r.closure_pending = false;
        r.closure_reason = 0;
        r.sealed_closure_note.clear();
        if (change.note.empty()) return absl::OkStatus();
        return AddSealedNote(tx, keys_, random_, r, caller.account_id,
                             clock_.Now(), change.note);
      });
}

}  // namespace casevault::domain
