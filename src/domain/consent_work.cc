// Consent and overrides: RecordConsent, WithdrawConsent, RecordOverride.
// Steps: coordination_desk.cc. Rules: docs/lifecycle.md ("Consent").
#include <optional>
#include <string>

#include "common/status_macros.h"
#include "domain/case_access.h"
#include "domain/case_validation.h"
#include "domain/coordination_desk.h"
#include "domain/coordination_validation.h"
#include "domain/coordination_views.h"
#include "domain/lifecycle.h"
#include "domain/policy.h"

namespace casevault::domain {

absl::StatusOr<ConsentView> CoordinationDesk::RecordConsent(
    const Caller& caller, const NewConsent& consent) {
  const UnixMillis now = clock_.Now();
  const int64_t today = DayOf(now);
  storage::ConsentRecord r;
  r.id = NewRecordId(random_);
  r.case_id = consent.case_id;
  r.purpose = consent.purpose;
  r.service_kind = consent.service_kind;
  r.given_by = consent.given_by;
  r.child_assent = consent.child_assent;
  r.given_on = consent.given_on;
  r.recorded_by = caller.account_id;
  r.recorded_at = now;
  bool victim_minor = false;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kRecordConsent)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        // Whether child_assent is required depends on the case's victim:
        // the request is checked as a whole once the case is open.
        if (!IsWellFormedCaseId(consent.case_id)) {
          return ValidateNewConsent(consent, today, std::nullopt);
        }
        ASSIGN_OR_RETURN(
            CaseContext c,
            OpenCase(tx, caller, Action::kRecordConsent, consent.case_id, e));
        victim_minor = c.record.victim_minor;
        RETURN_IF_ERROR(ValidateNewConsent(consent, today, victim_minor));
        ASSIGN_OR_RETURN(CaseStatus next,
                         NextStatus(static_cast<CaseStatus>(c.record.status),
                                    CaseEvent::kWork));
        RETURN_IF_ERROR(tx.coordination().InsertConsent(r));
        c.record.status = static_cast<int32_t>(next);
        return SaveCase(tx, c.record, now);
      }));
  ConsentView view;
  view.id = r.id;
  view.case_id = r.case_id;
  view.purpose = r.purpose;
  view.service_kind = r.service_kind;
  view.given_by = r.given_by;
  view.child_assent = r.child_assent;
  view.given_on = r.given_on;
  view.recorded_by = caller.username;
  view.recorded_at = now;
  view.in_force = ConsentInForce(r, victim_minor);
  return view;
}

absl::StatusOr<ConsentView> CoordinationDesk::WithdrawConsent(
    const Caller& caller, const std::string& consent_id) {
  const absl::Status valid = ValidateConsentId(consent_id);
  const UnixMillis now = clock_.Now();
  storage::ConsentRecord r;
  bool victim_minor = false;
  Usernames names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kWithdrawConsent)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(valid);
        auto found = tx.coordination().FindConsent(consent_id);
        if (absl::IsNotFound(found.status())) return ConsentNotFound();
        RETURN_IF_ERROR(found.status());
        r = *std::move(found);
        auto opened =
            OpenCase(tx, caller, Action::kWithdrawConsent, r.case_id, e);
        if (absl::IsNotFound(opened.status())) return ConsentNotFound();
        RETURN_IF_ERROR(opened.status());
        CaseContext c = *std::move(opened);
        victim_minor = c.record.victim_minor;
        // A withdrawal is the survivor's decision and is recorded whatever
        // the case's status, a closed case included (docs/lifecycle.md).
        if (r.withdrawn_at != 0) {
          return absl::FailedPreconditionError(
              "this consent was already withdrawn");
        }
        RETURN_IF_ERROR(
            tx.coordination().WithdrawConsent(r.id, now, caller.account_id));
        r.withdrawn_at = now;
        r.withdrawn_by = caller.account_id;
        RETURN_IF_ERROR(SaveCase(tx, c.record, now));
        RETURN_IF_ERROR(names.Of(tx, r.recorded_by).status());
        return names.Of(tx, r.withdrawn_by).status();
      }));
  return ConsentViewOf(r, victim_minor, names);
}

absl::StatusOr<OverrideView> CoordinationDesk::RecordOverride(
    const Caller& caller, const NewOverride& override_request) {
  const absl::Status valid = ValidateNewOverride(override_request);
  const UnixMillis now = clock_.Now();
  storage::OverrideRecord r;
  r.id = NewRecordId(random_);
  r.case_id = override_request.case_id;
  r.purpose = override_request.purpose;
  r.service_kind = override_request.service_kind;
  r.reason = override_request.reason;
  r.recorded_by = caller.account_id;
  r.recorded_at = now;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kRecordOverride)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        if (IsWellFormedCaseId(override_request.case_id)) {
          e.case_id = override_request.case_id;
        }
        RETURN_IF_ERROR(valid);
        ASSIGN_OR_RETURN(CaseContext c,
                         OpenCase(tx, caller, Action::kRecordOverride,
                                  override_request.case_id, e));
        ASSIGN_OR_RETURN(CaseStatus next,
                         NextStatus(static_cast<CaseStatus>(c.record.status),
                                    CaseEvent::kWork));
        RETURN_IF_ERROR(tx.coordination().InsertOverride(r));
        c.record.status = static_cast<int32_t>(next);
        return SaveCase(tx, c.record, now);
      }));
  OverrideView view;
  view.id = r.id;
  view.case_id = r.case_id;
  view.purpose = r.purpose;
  view.service_kind = r.service_kind;
  view.reason = r.reason;
  view.recorded_by = caller.username;
  view.recorded_at = now;
  return view;
}

}  // namespace casevault::domain
