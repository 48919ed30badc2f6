#include "client/enum_names.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace casevault::client {
namespace {

using v1::CaseStatus;
using v1::Gender;
using v1::IncidentContext;
using v1::IncidentType;
using v1::PerpetratorRelation;
using v1::ReporterType;
using v1::Role;
using v1::Severity;

constexpr EnumName<IncidentType> kIncidentTypes[] = {
    {v1::INCIDENT_TYPE_RAPE, "rape"},
    {v1::INCIDENT_TYPE_SEXUAL_ASSAULT, "sexual-assault"},
    {v1::INCIDENT_TYPE_PHYSICAL_ASSAULT, "physical-assault"},
    {v1::INCIDENT_TYPE_FORCED_MARRIAGE, "forced-marriage"},
    {v1::INCIDENT_TYPE_DENIAL_OF_RESOURCES, "denial-of-resources"},
    {v1::INCIDENT_TYPE_PSYCHOLOGICAL_ABUSE, "psychological-abuse"},
};

constexpr EnumName<IncidentContext> kContexts[] = {
    {v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE, "school-violence"},
    {v1::INCIDENT_CONTEXT_DOMESTIC_VIOLENCE, "domestic-violence"},
    {v1::INCIDENT_CONTEXT_ONLINE_ABUSE, "online-abuse"},
    {v1::INCIDENT_CONTEXT_COMMUNITY, "community"},
    {v1::INCIDENT_CONTEXT_OTHER, "other"},
};

constexpr EnumName<Severity> kSeverities[] = {
    {v1::SEVERITY_LOW, "low"},
    {v1::SEVERITY_MEDIUM, "medium"},
    {v1::SEVERITY_HIGH, "high"},
};

constexpr EnumName<ReporterType> kReporterTypes[] = {
    {v1::REPORTER_TYPE_SELF, "self"},
    {v1::REPORTER_TYPE_PEER, "peer"},
    {v1::REPORTER_TYPE_PARENT, "parent"},
    {v1::REPORTER_TYPE_STAFF, "staff"},
    {v1::REPORTER_TYPE_ANONYMOUS, "anonymous"},
};

constexpr EnumName<Gender> kGenders[] = {
    {v1::GENDER_FEMALE, "female"},
    {v1::GENDER_MALE, "male"},
    {v1::GENDER_OTHER, "other"},
    {v1::GENDER_UNDISCLOSED, "undisclosed"},
};

constexpr EnumName<PerpetratorRelation> kRelations[] = {
    {v1::PERPETRATOR_RELATION_STUDENT, "student"},
    {v1::PERPETRATOR_RELATION_STAFF, "staff"},
    {v1::PERPETRATOR_RELATION_FAMILY_MEMBER, "family-member"},
    {v1::PERPETRATOR_RELATION_OTHER, "other"},
    {v1::PERPETRATOR_RELATION_UNKNOWN, "unknown"},
};

constexpr EnumName<CaseStatus> kStatuses[] = {
    {v1::CASE_STATUS_OPEN, "open"},
    {v1::CASE_STATUS_IN_PROGRESS, "in-progress"},
    {v1::CASE_STATUS_ESCALATED, "escalated"},
    {v1::CASE_STATUS_RESOLVED, "resolved"},
    {v1::CASE_STATUS_CLOSED, "closed"},
};

constexpr EnumName<Role> kRoles[] = {
    {v1::ROLE_COUNSELOR, "counselor"},
    {v1::ROLE_PRINCIPAL, "principal"},
    {v1::ROLE_UNION, "union"},
    {v1::ROLE_DISTRICT, "district"},
    {v1::ROLE_AUDITOR, "auditor"},
    {v1::ROLE_ADMIN, "admin"},
};

}  // namespace

template <> absl::Span<const EnumName<IncidentType>> EnumNames() { return kIncidentTypes; }
template <> absl::Span<const EnumName<IncidentContext>> EnumNames() { return kContexts; }
template <> absl::Span<const EnumName<Severity>> EnumNames() { return kSeverities; }
template <> absl::Span<const EnumName<ReporterType>> EnumNames() { return kReporterTypes; }
template <> absl::Span<const EnumName<Gender>> EnumNames() { return kGenders; }
template <> absl::Span<const EnumName<PerpetratorRelation>> EnumNames() { return kRelations; }
template <> absl::Span<const EnumName<CaseStatus>> EnumNames() { return kStatuses; }
template <> absl::Span<const EnumName<Role>> EnumNames() { return kRoles; }

template <> std::string_view EnumProtoPrefix<IncidentType>() { return "incident-type-"; }
template <> std::string_view EnumProtoPrefix<IncidentContext>() { return "incident-context-"; }
template <> std::string_view EnumProtoPrefix<Severity>() { return "severity-"; }
template <> std::string_view EnumProtoPrefix<ReporterType>() { return "reporter-type-"; }
template <> std::string_view EnumProtoPrefix<Gender>() { return "gender-"; }
template <> std::string_view EnumProtoPrefix<PerpetratorRelation>() {
  return "perpetrator-relation-";
}
template <> std::string_view EnumProtoPrefix<CaseStatus>() { return "case-status-"; }
template <> std::string_view EnumProtoPrefix<Role>() { return "role-"; }

std::string FoldEnumName(std::string_view text, std::string_view proto_prefix) {
  std::string folded =
      absl::AsciiStrToLower(absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size())));
  for (char& c : folded) {
    if (c == '_' || c == ' ') c = '-';
  }
  if (folded.size() > proto_prefix.size() && folded.compare(0, proto_prefix.size(), proto_prefix) == 0) {
    folded.erase(0, proto_prefix.size());
  }
  return folded;
}

}  // namespace casevault::client
