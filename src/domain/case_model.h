// A case as the domain sees it. Enum numbers match casevault.v1 on the wire;
// values arrive unchecked from the network and are checked by
// ValidateNewCase (case_validation.h).
#ifndef CASEVAULT_DOMAIN_CASE_MODEL_H_
#define CASEVAULT_DOMAIN_CASE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/coordination_model.h"

namespace casevault::domain {

// GBVIMS incident types: 1 rape, 2 sexual assault, 3 physical assault,
// 4 forced marriage, 5 denial of resources, opportunities or services,
// 6 psychological or emotional abuse.
inline constexpr int32_t kIncidentRape = 1;
inline constexpr int32_t kIncidentSexualAssault = 2;
inline constexpr int32_t kIncidentTypeMax = 6;
// 1 school violence, 2 domestic violence, 3 online abuse, 4 community, 5 other.
inline constexpr int32_t kIncidentContextMax = 5;
// 1 low, 2 medium, 3 high.
inline constexpr int32_t kSeverityHigh = 3;
// 1 self, 2 peer, 3 parent, 4 staff, 5 anonymous.
inline constexpr int32_t kReporterTypeMax = 5;
// 1 female, 2 male, 3 other, 4 undisclosed.
inline constexpr int32_t kGenderMax = 4;
// 1 student, 2 staff, 3 family member, 4 other, 5 unknown.
inline constexpr int32_t kPerpetratorRelationStaff = 2;
inline constexpr int32_t kPerpetratorRelationMax = 5;

enum class CaseStatus : int32_t {
  kOpen = 1,
  kInProgress = 2,
  kEscalated = 3,
  kResolved = 4,
  kClosed = 5,
};

struct Victim {
  std::string name;
  int32_t gender = 0;
  int32_t birth_year = 0;
  std::string class_or_job;
  bool is_staff = false;
};

struct AllegedPerpetrator {
  int32_t relation = 0;
  std::string name;  // optional
};

// What a counselor submits.
struct NewCase {
  int32_t incident_type = 0;
  int32_t context = 0;
  int32_t severity = 0;
  std::string incident_date;  // YYYY-MM-DD
  std::string place;
  int32_t reporter_type = 0;
  Victim victim;
  AllegedPerpetrator perpetrator;
  std::string narrative;
};

// 1 high severity (set at filing), 2 beyond the school, 3 staff involved,
// 4 outside referral, 5 continuing risk, 6 other.
inline constexpr int32_t kEscalationReasonHighSeverity = 1;
inline constexpr int32_t kEscalationReasonMax = 6;
// 1 support completed, 2 referred elsewhere, 3 survivor declined, 4 moved
// away, 5 not substantiated, 6 duplicate.
inline constexpr int32_t kClosureReasonMax = 6;
// 1 added in error, 2 cleared after review, 3 other.
inline constexpr int32_t kRemovalReasonMax = 3;

// Where a case stands: what routing and lifecycle changes answer.
struct CaseState {
  std::string case_id;
  CaseStatus status = CaseStatus::kOpen;
  int64_t version = 0;
  std::string owner;          // username
  std::string pending_owner;  // hand-over offered to, or ""
  int32_t escalation = 0;     // 0 none, 1 principal, 2 district
  int32_t escalation_reason = 0;
  bool staff_involved = false;
  bool closure_pending = false;
  int32_t closure_reason = 0;
  std::vector<std::string> participants;  // usernames
  std::vector<std::string> implicated;    // usernames
  UnixMillis updated_at = 0;
};

// A change to a case made against the version the caller saw.
struct CaseChange {
  std::string case_id;
  int64_t version = 0;
  std::string username;  // assign / participant / implicated: the account
  int32_t reason = 0;    // escalate / remove implicated / close: the code
  std::string note;      // optional UTF-8 (escalate, remove, close, reopen)
};

struct CaseNote {
  std::string id;
  std::string author;  // username
  UnixMillis created_at = 0;
  std::string text;
};

// A case opened for someone allowed to read it.
struct CaseView {
  std::string id;
  NewCase content;
  CaseStatus status = CaseStatus::kOpen;
  std::string school_id;
  std::string owner;  // username
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int64_t version = 0;
  std::vector<CaseNote> notes;
  CaseState state;
  std::vector<StepView> steps;  // the timeline: by due date
  std::vector<ConsentView> consents;
  std::vector<OverrideView> overrides;
  std::string closure_note;
};

// What a list shows: metadata only.
struct CaseSummary {
  std::string id;
  int32_t incident_type = 0;
  int32_t context = 0;
  int32_t severity = 0;
  CaseStatus status = CaseStatus::kOpen;
  std::string incident_date;
  std::string owner;
  UnixMillis created_at = 0;
  UnixMillis updated_at = 0;
  int32_t escalation = 0;
};

struct CaseListQuery {
  int32_t page_size = 0;   // 0 means the default
  std::string page_token;  // opaque, from a previous page
  int32_t status = 0;      // 0 means every status
  int32_t severity = 0;    // 0 means every severity
  bool overdue = false;    // only cases with an overdue step
  int32_t environment = 0; // 0, or only cases with a step there
};

struct CaseListPage {
  std::vector<CaseSummary> cases;
  std::string next_page_token;  // empty on the last page
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_MODEL_H_
