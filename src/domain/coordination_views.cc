#include "domain/coordination_views.h"

#include "common/status_macros.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {

absl::Status StepNotFound() {
  return absl::NotFoundError("no step with this id is visible to you");
}

absl::Status ConsentNotFound() {
  return absl::NotFoundError("no consent with this id is visible to you");
}

bool IsOverdue(const storage::StepRecord& step, const std::string& today) {
  const bool finished =
      step.status == static_cast<int32_t>(StepStatus::kDone) ||
      step.status == static_cast<int32_t>(StepStatus::kCancelled);
  return !finished && step.due_date < today;
}

bool ConsentInForce(const storage::ConsentRecord& consent, bool victim_minor) {
  if (consent.withdrawn_at != 0) return false;
  return !(victim_minor && consent.child_assent == kChildAssentRefused);
}

StepView StepViewOf(const storage::StepRecord& step, const Usernames& names,
                    const std::string& today) {
  StepView v;
  v.id = step.id;
  v.case_id = step.case_id;
  v.kind = step.kind;
  v.environment = static_cast<Environment>(step.environment);
  v.status = static_cast<StepStatus>(step.status);
  v.owner = names.Known(step.owner_id);
  v.due_date = step.due_date;
  v.created_by = names.Known(step.created_by);
  v.created_at = step.created_at;
  v.updated_at = step.updated_at;
  v.version = step.version;
  v.overdue = IsOverdue(step, today);
  return v;
}

absl::Status OpenStepFields(const crypto::CaseKey& key,
                            const storage::StepRecord& step, StepView& view) {
  if (!step.sealed_external_party.empty()) {
    ASSIGN_OR_RETURN(
        view.external_party,
        key.OpenField(StepPartyField(step.id), step.sealed_external_party));
  }
  if (!step.sealed_outcome.empty()) {
    ASSIGN_OR_RETURN(view.outcome, key.OpenField(StepOutcomeField(step.id),
                                                 step.sealed_outcome));
  }
  return absl::OkStatus();
}

ConsentView ConsentViewOf(const storage::ConsentRecord& consent,
                          bool victim_minor, const Usernames& names) {
  ConsentView v;
  v.id = consent.id;
  v.case_id = consent.case_id;
  v.purpose = consent.purpose;
  v.service_kind = consent.service_kind;
  v.given_by = consent.given_by;
  v.child_assent = consent.child_assent;
  v.given_on = consent.given_on;
  v.recorded_by = names.Known(consent.recorded_by);
  v.recorded_at = consent.recorded_at;
  v.withdrawn_at = consent.withdrawn_at;
  v.withdrawn_by = names.Known(consent.withdrawn_by);
  v.in_force = ConsentInForce(consent, victim_minor);
  return v;
}

OverrideView OverrideViewOf(const storage::OverrideRecord& override_record,
                            const Usernames& names) {
  OverrideView v;
  v.id = override_record.id;
  v.case_id = override_record.case_id;
  v.purpose = override_record.purpose;
  v.service_kind = override_record.service_kind;
  v.reason = override_record.reason;
  v.recorded_by = names.Known(override_record.recorded_by);
  v.recorded_at = override_record.recorded_at;
  return v;
}

absl::Status CheckReferralAllowed(storage::Transaction& tx,
                                  const storage::CaseRecord& record,
                                  int32_t kind) {
  ASSIGN_OR_RETURN(std::vector<storage::ConsentRecord> consents,
                   tx.coordination().ListConsents(record.id));
  for (const auto& c : consents) {
    if (c.purpose == kConsentReferral && c.service_kind == kind &&
        ConsentInForce(c, record.victim_minor)) {
      return absl::OkStatus();
    }
  }
  ASSIGN_OR_RETURN(std::vector<storage::OverrideRecord> overrides,
                   tx.coordination().ListOverrides(record.id));
  for (const auto& o : overrides) {
    if (o.purpose == kConsentReferral && o.service_kind == kind) {
      return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(
      "a referral outside the school needs the survivor's or guardian's "
      "consent, or an override by the principal or district; record one "
      "first");
}


}  // namespace casevault::domain
