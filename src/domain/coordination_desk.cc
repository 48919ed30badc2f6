// Steps: AddStep, UpdateStep, CompleteStep, ListSteps. Consent and
// overrides: consent_work.cc. Rules: docs/lifecycle.md ("Steps").
#include "domain/coordination_desk.h"

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "common/status_macros.h"
#include "domain/case_access.h"
#include "domain/case_validation.h"
#include "domain/coordination_validation.h"
#include "domain/coordination_views.h"
#include "domain/lifecycle.h"
#include "domain/policy.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {
namespace {

bool IsFinished(int32_t status) {
  return status == static_cast<int32_t>(StepStatus::kDone) ||
         status == static_cast<int32_t>(StepStatus::kCancelled);
}

// What UpdateStep and CompleteStep change; unset leaves it.
struct StepEdit {
  std::optional<int32_t> status;
  std::optional<std::string> owner;
  std::optional<std::string> external_party;
  std::optional<std::string> due_date;
  std::optional<std::string> outcome;
};

// What an edit leaves behind for the caller's view, opened after the
// transaction.
struct EditedStep {
  storage::StepRecord step;
  storage::CaseRecord record;
  Usernames names;
};

// Loads step `step_id` and its case, decides `action`, and applies `edit`
// against the step's `version`; bumps both versions. Runs inside an audited
// operation.
absl::Status EditStep(storage::Transaction& tx, AuditEvent& e,
                      const Caller& caller, Action action,
                      const crypto::CaseKeyring& keys,
                      const std::string& step_id, int64_t version,
                      const StepEdit& edit, UnixMillis now, EditedStep& out) {
  auto found = tx.coordination().FindStep(step_id);
  if (absl::IsNotFound(found.status())) return StepNotFound();
  RETURN_IF_ERROR(found.status());
  storage::StepRecord step = *std::move(found);
  auto opened = OpenCase(tx, caller, action, step.case_id, e);
  if (absl::IsNotFound(opened.status())) return StepNotFound();
  RETURN_IF_ERROR(opened.status());
  CaseContext c = *std::move(opened);
  ASSIGN_OR_RETURN(
      CaseStatus next,
      NextStatus(static_cast<CaseStatus>(c.record.status), CaseEvent::kWork));
  if (step.version != version) {
    return absl::AbortedError(
        "the step was changed by someone else; reload it and try again");
  }
  if (IsFinished(step.status)) {
    return absl::FailedPreconditionError(
        step.status == static_cast<int32_t>(StepStatus::kDone)
            ? "the step is done; it cannot be changed"
            : "the step is cancelled; it cannot be changed");
  }

  std::unique_ptr<crypto::CaseKey> key;
  auto seal = [&](const std::string& field,
                  const std::string& text) -> absl::StatusOr<std::string> {
    if (text.empty()) return std::string();
    if (key == nullptr) {
      ASSIGN_OR_RETURN(key,
                       OpenKeyOf(keys, c.record));
    }
    return key->SealField(field, text);
  };

  if (edit.owner) {
    ASSIGN_OR_RETURN(storage::AccountRecord owner,
                     FindCaseWorker(tx, c, *edit.owner, "owner", e));
    RETURN_IF_ERROR(
        MakeParticipant(tx, c.record.id, owner.id, caller.account_id, now));
    step.owner_id = owner.id;
    step.sealed_external_party.clear();
  }
  if (edit.external_party) {
    step.owner_id = 0;
    ASSIGN_OR_RETURN(step.sealed_external_party,
                     seal(StepPartyField(step.id), *edit.external_party));
  }
  if (edit.due_date) step.due_date = *edit.due_date;
  if (edit.outcome) {
    ASSIGN_OR_RETURN(step.sealed_outcome,
                     seal(StepOutcomeField(step.id), *edit.outcome));
  }
  if (edit.status) step.status = *edit.status;
  step.version = version + 1;
  step.updated_at = now;
  RETURN_IF_ERROR(tx.coordination().UpdateStep(step, version));

  c.record.status = static_cast<int32_t>(next);
  RETURN_IF_ERROR(SaveCase(tx, c.record, now));
  RETURN_IF_ERROR(out.names.Of(tx, step.owner_id).status());
  RETURN_IF_ERROR(out.names.Of(tx, step.created_by).status());
  out.step = std::move(step);
  out.record = std::move(c.record);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StepView> CoordinationDesk::AddStep(const Caller& caller,
                                                   const NewStep& step) {
  const absl::Status valid = ValidateNewStep(step);
  const UnixMillis now = clock_.Now();
  const std::string today = FormatIsoDate(DayOf(now));
  storage::StepRecord r;
  r.id = NewRecordId(random_);
  r.case_id = step.case_id;
  r.kind = step.kind;
  r.status = static_cast<int32_t>(StepStatus::kPlanned);
  r.due_date = step.due_date;
  r.created_by = caller.account_id;
  r.created_at = r.updated_at = now;
  r.version = 1;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kAddStep)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        if (IsWellFormedCaseId(step.case_id)) e.case_id = step.case_id;
        RETURN_IF_ERROR(valid);
        ASSIGN_OR_RETURN(CaseContext c, OpenCase(tx, caller, Action::kAddStep,
                                                 step.case_id, e));
        ASSIGN_OR_RETURN(CaseStatus next,
                         NextStatus(static_cast<CaseStatus>(c.record.status),
                                    CaseEvent::kWork));
        if (!step.owner.empty()) {
          ASSIGN_OR_RETURN(storage::AccountRecord owner,
                           FindCaseWorker(tx, c, step.owner, "owner", e));
          r.owner_id = owner.id;
        }
        if (IsSocietyKind(step.kind)) {
          RETURN_IF_ERROR(CheckReferralAllowed(tx, c.record, step.kind));
        }
        r.environment = static_cast<int32_t>(EnvironmentOf(step.kind));
        if (!step.external_party.empty()) {
          ASSIGN_OR_RETURN(
              auto key, OpenKeyOf(keys_, c.record));
          r.sealed_external_party =
              key->SealField(StepPartyField(r.id), step.external_party);
        }
        RETURN_IF_ERROR(tx.coordination().InsertStep(r));
        if (r.owner_id != 0) {
          RETURN_IF_ERROR(MakeParticipant(tx, c.record.id, r.owner_id,
                                          caller.account_id, now));
        }
        c.record.status = static_cast<int32_t>(next);
        return SaveCase(tx, c.record, now);
      }));

  StepView view;
  view.id = r.id;
  view.case_id = r.case_id;
  view.kind = r.kind;
  view.environment = EnvironmentOf(r.kind);
  view.status = StepStatus::kPlanned;
  view.owner = step.owner;
  view.external_party = step.external_party;
  view.due_date = r.due_date;
  view.created_by = caller.username;
  view.created_at = view.updated_at = now;
  view.version = r.version;
  view.overdue = IsOverdue(r, today);
  return view;
}

absl::StatusOr<StepView> CoordinationDesk::UpdateStep(
    const Caller& caller, const StepChange& change) {
  const absl::Status valid = ValidateStepChange(change);
  const UnixMillis now = clock_.Now();
  StepEdit edit;
  if (change.status != 0) edit.status = change.status;
  edit.owner = change.owner;
  edit.external_party = change.external_party;
  edit.due_date = change.due_date;
  edit.outcome = change.outcome;
  EditedStep out;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kUpdateStep)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(valid);
        return EditStep(tx, e, caller, Action::kUpdateStep, keys_,
                        change.step_id, change.version, edit, now, out);
      }));
  // Decryption happens here, off the committer thread.
  StepView view = StepViewOf(out.step, out.names, FormatIsoDate(DayOf(now)));
  if (!out.step.sealed_external_party.empty() ||
      !out.step.sealed_outcome.empty()) {
    ASSIGN_OR_RETURN(
        auto key, OpenKeyOf(keys_, out.record));
    RETURN_IF_ERROR(OpenStepFields(*key, out.step, view));
  }
  return view;
}

absl::StatusOr<StepView> CoordinationDesk::CompleteStep(
    const Caller& caller, const std::string& step_id, int64_t version,
    const std::string& outcome) {
  const absl::Status valid = ValidateCompletion(step_id, version, outcome);
  const UnixMillis now = clock_.Now();
  StepEdit edit;
  edit.status = static_cast<int32_t>(StepStatus::kDone);
  if (!outcome.empty()) edit.outcome = outcome;
  EditedStep out;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kCompleteStep)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(valid);
        return EditStep(tx, e, caller, Action::kCompleteStep, keys_, step_id,
                        version, edit, now, out);
      }));
  StepView view = StepViewOf(out.step, out.names, FormatIsoDate(DayOf(now)));
  if (!out.step.sealed_external_party.empty() ||
      !out.step.sealed_outcome.empty()) {
    ASSIGN_OR_RETURN(
        auto key, OpenKeyOf(keys_, out.record));
    RETURN_IF_ERROR(OpenStepFields(*key, out.step, view));
  }
  return view;
}

absl::StatusOr<StepListPage> CoordinationDesk::ListSteps(
    const Caller& caller, const StepListQuery& query) {
  const absl::Status valid = ValidateStepListQuery(query);
  const std::string today = FormatIsoDate(DayOf(clock_.Now()));
  const int32_t page_size =
      query.page_size == 0 ? kDefaultStepPageSize : query.page_size;
  std::vector<storage::StepRecord> rows;
  std::string next_page_token;
  Usernames names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kListSteps)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        rows.clear();  // a re-run (Store::Write) starts afresh
        next_page_token.clear();
        if (!query.case_id.empty() && IsWellFormedCaseId(query.case_id)) {
          e.case_id = query.case_id;
        }
        RETURN_IF_ERROR(valid);
        const Decision role_level = Decide(caller, Action::kListSteps, nullptr);
        if (!role_level.allowed) return DenialStatus(role_level);
        storage::StepFilter filter;
        filter.viewer_id = caller.account_id;
        filter.routes = RoutesOf(caller);
        if (query.overdue) filter.overdue_before = today;
        if (!query.page_token.empty()) {
          ASSIGN_OR_RETURN(filter.after, DecodeStepPageToken(query.page_token));
        }
        filter.limit = page_size + 1;
        // Whether the caller may view each case met, decided once per case.
        std::map<std::string, bool> visible;
        if (!query.case_id.empty()) {
          RETURN_IF_ERROR(
              OpenCase(tx, caller, Action::kViewCase, query.case_id, e)
                  .status());
          filter.case_id = query.case_id;
          visible[query.case_id] = true;
        }
        ASSIGN_OR_RETURN(std::vector<storage::StepRecord> found,
                         tx.coordination().FindSteps(filter));
        const bool more = found.size() > static_cast<size_t>(page_size);
        if (more) found.resize(page_size);
        for (auto& step : found) {
          auto it = visible.find(step.case_id);
          if (it == visible.end()) {
            // Storage's filter mirrors the policy; the policy still decides.
            ASSIGN_OR_RETURN(storage::CaseRecord record,
                             tx.cases().Find(step.case_id));
            ASSIGN_OR_RETURN(std::vector<storage::CaseMemberRecord> members,
                             tx.cases().ListMembers(step.case_id));
            const CaseFacts facts = FactsOf(record, members);
            const bool allowed =
                Decide(caller, Action::kViewCase, &facts).allowed;
            it = visible.emplace(step.case_id, allowed).first;
          }
          if (!it->second) continue;
          RETURN_IF_ERROR(names.Of(tx, step.owner_id).status());
          RETURN_IF_ERROR(names.Of(tx, step.created_by).status());
          rows.push_back(step);
        }
        if (more) {
          // The cursor is the last row examined, shown or not.
          next_page_token =
              EncodeStepPageToken(found.back().due_date, found.back().id);
        }
        return absl::OkStatus();
      }));
  StepListPage page;
  page.next_page_token = std::move(next_page_token);
  for (const auto& step : rows) {
    page.steps.push_back(StepViewOf(step, names, today));
  }
  return page;
}

}  // namespace casevault::domain
