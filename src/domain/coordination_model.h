// Coordination between school, family and society: steps, consent and
// overrides as the domain sees them. Enum numbers match casevault.v1
// (coordination.proto); values arrive unchecked from the network and are
// checked by coordination_validation.h. Rules: docs/lifecycle.md.
#ifndef CASEVAULT_DOMAIN_COORDINATION_MODEL_H_
#define CASEVAULT_DOMAIN_COORDINATION_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace casevault::domain {

enum class Environment : int32_t { kSchool = 1, kFamily = 2, kSociety = 3 };

// Step kinds: 1x school, 2x family, 3x society (the tens digit is the
// environment).
inline constexpr int32_t kStepKinds[] = {11, 12, 13, 14, 21, 22, 23,
                                         31, 32, 33, 34, 35, 36};
bool IsStepKind(int32_t kind);
// The environment a valid kind belongs to.
Environment EnvironmentOf(int32_t kind);
inline bool IsSocietyKind(int32_t kind) {
  return IsStepKind(kind) && EnvironmentOf(kind) == Environment::kSociety;
}

enum class StepStatus : int32_t {
  kPlanned = 1,
  kInProgress = 2,
  kDone = 3,
  kCancelled = 4,
};

// 1 referral (to the service kind named), 2 information sharing,
// 3 inclusion in statistics.
inline constexpr int32_t kConsentReferral = 1;
inline constexpr int32_t kConsentPurposeMax = 3;
// 1 survivor, 2 guardian, 3 both.
inline constexpr int32_t kConsentGiverMax = 3;
// 1 given, 2 refused, 3 not able; 0 only for an adult victim.
inline constexpr int32_t kChildAssentRefused = 2;
inline constexpr int32_t kChildAssentMax = 3;
// 1 guardian is the alleged perpetrator, 2 child in danger now, 3 legal
// duty to report, 4 survivor cannot be asked.
inline constexpr int32_t kOverrideReasonMax = 4;

struct NewStep {
  std::string case_id;
  int32_t kind = 0;
  std::string owner;           // username, or ""
  std::string external_party;  // UTF-8, or ""
  std::string due_date;        // YYYY-MM-DD
};

// An update: what is set changes.
struct StepChange {
  std::string step_id;
  int64_t version = 0;
  int32_t status = 0;  // 0: unchanged
  std::optional<std::string> owner;
  std::optional<std::string> external_party;
  std::optional<std::string> due_date;
  std::optional<std::string> outcome;
};

struct StepView {
  std::string id;
  std::string case_id;
  int32_t kind = 0;
  Environment environment = Environment::kSchool;
  StepStatus status = StepStatus::kPlanned;
  std::string owner;  // username, or "" for an external party
  std::string external_party;
  std::string due_date;
  std::string outcome;
  std::string created_by;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
  bool overdue = false;
};

struct StepListQuery {
  std::string case_id;  // "" for every case the caller works
  bool overdue = false;
  int32_t page_size = 0;
  std::string page_token;
};

struct StepListPage {
  std::vector<StepView> steps;  // external party and outcome left empty
  std::string next_page_token;
};

struct NewConsent {
  std::string case_id;
  int32_t purpose = 0;
  int32_t service_kind = 0;
  int32_t given_by = 0;
  int32_t child_assent = 0;
  std::string given_on;
};

struct ConsentView {
  std::string id;
  std::string case_id;
  int32_t purpose = 0;
  int32_t service_kind = 0;
  int32_t given_by = 0;
  int32_t child_assent = 0;
  std::string given_on;
  std::string recorded_by;
  UnixMillis recorded_at = 0;
  UnixMillis withdrawn_at = 0;
  std::string withdrawn_by;
  bool in_force = false;
};

struct NewOverride {
  std::string case_id;
  int32_t purpose = 0;
  int32_t service_kind = 0;
  int32_t reason = 0;
};

struct OverrideView {
  std::string id;
  std::string case_id;
  int32_t purpose = 0;
  int32_t service_kind = 0;
  int32_t reason = 0;
  std::string recorded_by;
  UnixMillis recorded_at = 0;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_COORDINATION_MODEL_H_
