#include "domain/coordination_validation.h"

#include "common/clock.h"
#include "common/field_violation.h"
#include "crypto/digest.h"
#include "domain/case_validation.h"

namespace casevault::domain {
namespace {

// Usernames are short; anything longer cannot name an account.
constexpr size_t kMaxUsernameLength = 100;
constexpr size_t kMaxPageTokenLength = 200;

void CheckCaseId(Violations& v, const std::string& case_id) {
  for (const FieldViolation& f : FieldViolationsOf(ValidateCaseId(case_id))) {
    v.Add(f.field, f.description);
  }
}

void CheckRecordId(Violations& v, const std::string& field,
                   const std::string& id, const std::string& what) {
  if (id.empty()) {
    v.Add(field, "is required");
  } else if (!IsWellFormedRecordId(id)) {
    v.Add(field, "must be " + what + " id of 24 hexadecimal characters");
  }
}

void CheckStepVersion(Violations& v, int64_t version) {
  if (version < 1)
    v.Add("version", "is required: the step version you are changing");
}

void CheckOutcome(Violations& v, const std::string& outcome) {
  CheckText(v, "outcome", outcome, kMaxOutcomeLength, /*required=*/false,
            /*multiline=*/true);
}

// The purpose and the service kind it needs, as consent and overrides share.
void CheckPurpose(Violations& v, int32_t purpose, int32_t service_kind) {
  CheckEnum(v, "purpose", purpose, kConsentPurposeMax);
  if (purpose == kConsentReferral) {
    if (service_kind == 0) {
      v.Add("service_kind", "is required for a referral");
    } else if (!IsSocietyKind(service_kind)) {
      v.Add("service_kind",
            "must be a step kind outside the school (a society kind, 3x)");
    }
  } else if (service_kind != 0) {
    v.Add("service_kind", "must be unset unless the purpose is a referral");
  }
}

}  // namespace

bool IsWellFormedRecordId(const std::string& id) {
  return IsWellFormedCaseId(id);
}

absl::Status ValidateNewStep(const NewStep& step) {
  Violations v;
  CheckCaseId(v, step.case_id);
  if (step.kind == 0) {
    v.Add("kind", "is required");
  } else if (!IsStepKind(step.kind)) {
    v.Add("kind", "is not a known value");
  }
  const bool has_owner = !step.owner.empty();
  const bool has_party = !step.external_party.empty();
  if (has_owner == has_party) {
    const char* why = has_owner ? "set only one of owner and external_party"
                                : "a step needs an owner or an external party";
    v.Add("owner", why);
    v.Add("external_party", why);
  } else if (has_owner) {
    CheckText(v, "owner", step.owner, kMaxUsernameLength, /*required=*/true,
              /*multiline=*/false);
  } else {
    CheckText(v, "external_party", step.external_party, kMaxExternalPartyLength,
              /*required=*/true,
              /*multiline=*/false);
  }
  CheckDate(v, "due_date", step.due_date);
  return v.ToStatus();
}

absl::Status ValidateStepChange(const StepChange& change) {
  Violations v;
  CheckRecordId(v, "step_id", change.step_id, "a step");
  CheckStepVersion(v, change.version);
  switch (change.status) {
    case 0:
    case static_cast<int32_t>(StepStatus::kPlanned):
    case static_cast<int32_t>(StepStatus::kInProgress):
    case static_cast<int32_t>(StepStatus::kCancelled):
      break;
    case static_cast<int32_t>(StepStatus::kDone):
      v.Add("status", "a step is marked done with CompleteStep");
      break;
    default:
      v.Add("status", "is not a known value");
  }
  if (change.owner && change.external_party) {
    v.Add("owner", "set only one of owner and external_party");
    v.Add("external_party", "set only one of owner and external_party");
  } else if (change.owner) {
    if (change.owner->empty()) {
      v.Add("owner",
            "must name an account; set external_party to give the step to "
            "someone outside");
    } else {
      CheckText(v, "owner", *change.owner, kMaxUsernameLength,
                /*required=*/true, /*multiline=*/false);
    }
  } else if (change.external_party) {
    if (change.external_party->empty()) {
      v.Add("external_party",
            "must not be empty; set owner to give the step to an account");
    } else {
      CheckText(v, "external_party", *change.external_party,
                kMaxExternalPartyLength, /*required=*/true,
                /*multiline=*/false);
    }
  }
  if (change.due_date) CheckDate(v, "due_date", *change.due_date);
  if (change.outcome) CheckOutcome(v, *change.outcome);
  return v.ToStatus();
}

absl::Status ValidateCompletion(const std::string& step_id, int64_t version,
                                const std::string& outcome) {
  Violations v;
  CheckRecordId(v, "step_id", step_id, "a step");
  CheckStepVersion(v, version);
  CheckOutcome(v, outcome);
  return v.ToStatus();
}

absl::Status ValidateNewConsent(const NewConsent& consent, int64_t today,
                                std::optional<bool> victim_minor) {
  Violations v;
  CheckCaseId(v, consent.case_id);
  CheckPurpose(v, consent.purpose, consent.service_kind);
  CheckEnum(v, "given_by", consent.given_by, kConsentGiverMax);
  if (consent.child_assent < 0 || consent.child_assent > kChildAssentMax) {
    v.Add("child_assent", "is not a known value");
  } else if (victim_minor.has_value()) {
    if (*victim_minor && consent.child_assent == 0) {
      v.Add("child_assent",
            "is required when the victim is a minor (given, refused or not "
            "able)");
    } else if (!*victim_minor && consent.child_assent != 0) {
      v.Add("child_assent", "must be unset when the victim is an adult");
    }
  }
  CheckPastDate(v, "given_on", consent.given_on, today);
  return v.ToStatus();
}

absl::Status ValidateConsentId(const std::string& consent_id) {
  Violations v;
  CheckRecordId(v, "consent_id", consent_id, "a consent");
  return v.ToStatus();
}

absl::Status ValidateNewOverride(const NewOverride& override_request) {
  Violations v;
  CheckCaseId(v, override_request.case_id);
  CheckPurpose(v, override_request.purpose, override_request.service_kind);
  CheckEnum(v, "reason", override_request.reason, kOverrideReasonMax);
  return v.ToStatus();
}

absl::Status ValidateStepListQuery(const StepListQuery& query) {
  Violations v;
  if (!query.case_id.empty()) CheckCaseId(v, query.case_id);
  if (query.page_size < 0 || query.page_size > kMaxStepPageSize) {
    v.Add("page_size",
          "must be between 0 and " + std::to_string(kMaxStepPageSize));
  }
  if (query.page_token.size() > kMaxPageTokenLength) {
    v.Add("page_token", "is not a valid page token");
  }
  return v.ToStatus();
}

std::string EncodeStepPageToken(const std::string& due_date,
                                const std::string& step_id) {
  return crypto::Base64UrlEncode(due_date + ":" + step_id);
}

absl::StatusOr<std::pair<std::string, std::string>> DecodeStepPageToken(
    const std::string& token) {
  Violations v;
  v.Add("page_token", "is not a valid page token");
  std::string raw;
  if (token.size() > kMaxPageTokenLength ||
      !crypto::Base64UrlDecode(token, &raw)) {
    return v.ToStatus();
  }
  constexpr size_t kDateLength = 10;
  if (raw.size() <= kDateLength || raw[kDateLength] != ':') return v.ToStatus();
  std::string due = raw.substr(0, kDateLength);
  std::string id = raw.substr(kDateLength + 1);
  if (!ParseIsoDate(due).ok() || !IsWellFormedRecordId(id)) {
    return v.ToStatus();
  }
  return std::make_pair(std::move(due), std::move(id));
}

}  // namespace casevault::domain
