// Checks of coordination requests (steps, consent, overrides) before they
// reach the store. Each answers OK, or INVALID_ARGUMENT naming every bad
// field with its wire name in casevault.v1 (coordination.proto) as
// FieldViolations (common/field_violation.h). Descriptions never repeat the
// submitted value. Rules: docs/lifecycle.md ("Steps", "Consent").
#ifndef CASEVAULT_DOMAIN_COORDINATION_VALIDATION_H_
#define CASEVAULT_DOMAIN_COORDINATION_VALIDATION_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "domain/coordination_model.h"

namespace casevault::domain {

// Sizes of a step's free text, in Unicode code points.
inline constexpr size_t kMaxExternalPartyLength = 300;
inline constexpr size_t kMaxOutcomeLength = 20000;
// ListSteps pages.
inline constexpr int32_t kDefaultStepPageSize = 50;
inline constexpr int32_t kMaxStepPageSize = 200;

// Step and consent ids: 24 lowercase hex characters, as case ids.
bool IsWellFormedRecordId(const std::string& id);

// "case_id", "kind", "owner"/"external_party" (exactly one), "due_date".
absl::Status ValidateNewStep(const NewStep& step);

// "step_id", "version" (>= 1), "status" (0 unchanged, planned, in progress
// or cancelled; done only through CompleteStep), at most one of "owner" and
// "external_party" and not empty (setting one replaces the other),
// "due_date", "outcome".
absl::Status ValidateStepChange(const StepChange& change);

// "step_id", "version", "outcome" (optional).
absl::Status ValidateCompletion(const std::string& step_id, int64_t version,
                                const std::string& outcome);

// "case_id", "purpose", "service_kind" (a society kind for a referral, 0
// otherwise), "given_by", "child_assent", "given_on" (a date not after
// `today`, days since the epoch). `victim_minor` says whether the case's
// victim is a minor: child_assent is then required, otherwise it must be 0;
// when unknown (nullopt, the case is not loaded) only its range is checked.
absl::Status ValidateNewConsent(const NewConsent& consent, int64_t today,
                                std::optional<bool> victim_minor);

// "consent_id".
absl::Status ValidateConsentId(const std::string& consent_id);

// "case_id", "purpose", "service_kind" (as for consent), "reason".
absl::Status ValidateNewOverride(const NewOverride& override_request);

// "case_id" (empty, or a case id), "page_size" (0..200), "page_token" (not
// decoded here; see DecodeStepPageToken).
absl::Status ValidateStepListQuery(const StepListQuery& query);

// The opaque ListSteps cursor: base64url of "<due_date>:<step id>".
std::string EncodeStepPageToken(const std::string& due_date,
                                const std::string& step_id);
// INVALID_ARGUMENT ("page_token") unless `token` is one EncodeStepPageToken
// could have made.
absl::StatusOr<std::pair<std::string, std::string>> DecodeStepPageToken(
    const std::string& token);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_COORDINATION_VALIDATION_H_
