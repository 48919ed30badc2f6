// A case as the domain sees it. Enum numbers match casevault.v1 on the wire;
// values arrive unchecked from the network and are checked by
// ValidateNewCase (case_validation.h).
#ifndef CASEVAULT_DOMAIN_CASE_MODEL_H_
#define CASEVAULT_DOMAIN_CASE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/clock.h"

namespace casevault::domain {

// GBVIMS incident types: 1 rape, 2 sexual assault, 3 physical assault,
// 4 forced marriage, 5 denial of resources, opportunities or services,
// 6 psychological or emotional abuse.
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
};

struct CaseListQuery {
  int32_t page_size = 0;   // 0 means the default
  std::string page_token;  // opaque, from a previous page
  int32_t status = 0;      // 0 means every status
};

struct CaseListPage {
  std::vector<CaseSummary> cases;
  std::string next_page_token;  // empty on the last page
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_MODEL_H_
