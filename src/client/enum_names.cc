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

constexpr EnumName<v1::Escalation> kEscalations[] = {
    {v1::ESCALATION_NONE, "none"},
    {v1::ESCALATION_PRINCIPAL, "principal"},
    {v1::ESCALATION_DISTRICT, "district"},
};

constexpr EnumName<v1::EscalationReason> kEscalationReasons[] = {
    {v1::ESCALATION_REASON_HIGH_SEVERITY, "high-severity"},
    {v1::ESCALATION_REASON_BEYOND_SCHOOL, "beyond-school"},
    {v1::ESCALATION_REASON_STAFF_INVOLVED, "staff-involved"},
    {v1::ESCALATION_REASON_OUTSIDE_REFERRAL, "outside-referral"},
    {v1::ESCALATION_REASON_CONTINUING_RISK, "continuing-risk"},
    {v1::ESCALATION_REASON_OTHER, "other"},
};

constexpr EnumName<v1::ClosureReason> kClosureReasons[] = {
    {v1::CLOSURE_REASON_SUPPORT_COMPLETED, "support-completed"},
    {v1::CLOSURE_REASON_REFERRED_ELSEWHERE, "referred-elsewhere"},
    {v1::CLOSURE_REASON_SURVIVOR_DECLINED, "survivor-declined"},
    {v1::CLOSURE_REASON_MOVED_AWAY, "moved-away"},
    {v1::CLOSURE_REASON_NOT_SUBSTANTIATED, "not-substantiated"},
    {v1::CLOSURE_REASON_DUPLICATE, "duplicate"},
};

constexpr EnumName<v1::RemovalReason> kRemovalReasons[] = {
    {v1::REMOVAL_REASON_ADDED_IN_ERROR, "added-in-error"},
    {v1::REMOVAL_REASON_CLEARED_AFTER_REVIEW, "cleared-after-review"},
    {v1::REMOVAL_REASON_OTHER, "other"},
};

constexpr EnumName<v1::Environment> kEnvironments[] = {
    {v1::ENVIRONMENT_SCHOOL, "school"},
    {v1::ENVIRONMENT_FAMILY, "family"},
    {v1::ENVIRONMENT_SOCIETY, "society"},
};

constexpr EnumName<v1::StepKind> kStepKinds[] = {
    {v1::STEP_KIND_COUNSELING_SESSION, "counseling-session"},
    {v1::STEP_KIND_SAFETY_PLAN, "safety-plan"},
    {v1::STEP_KIND_CLASS_OR_SCHEDULE_CHANGE, "class-change", "class-or-schedule-change"},
    {v1::STEP_KIND_TEACHER_BRIEFING, "teacher-briefing"},
    {v1::STEP_KIND_CONTACT_GUARDIAN, "contact-guardian"},
    {v1::STEP_KIND_HOME_VISIT, "home-visit"},
    {v1::STEP_KIND_FAMILY_MEETING, "family-meeting"},
    {v1::STEP_KIND_HEALTH_SERVICE_REFERRAL, "health-referral", "health-service-referral"},
    {v1::STEP_KIND_POLICE_REPORT, "police-report"},
    {v1::STEP_KIND_COMMUNE_COMMITTEE, "commune-committee"},
    {v1::STEP_KIND_WOMENS_UNION, "womens-union"},
    {v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111, "hotline-111", "child-protection-hotline-111"},
    {v1::STEP_KIND_LEGAL_AID, "legal-aid"},
};

constexpr EnumName<v1::StepStatus> kStepStatuses[] = {
    {v1::STEP_STATUS_PLANNED, "planned"},
    {v1::STEP_STATUS_IN_PROGRESS, "in-progress"},
    {v1::STEP_STATUS_DONE, "done"},
    {v1::STEP_STATUS_CANCELLED, "cancelled"},
};

constexpr EnumName<v1::ConsentPurpose> kConsentPurposes[] = {
    {v1::CONSENT_PURPOSE_REFERRAL, "referral"},
    {v1::CONSENT_PURPOSE_INFORMATION_SHARING, "information-sharing"},
    {v1::CONSENT_PURPOSE_STATISTICS, "statistics"},
};

constexpr EnumName<v1::ConsentGiver> kConsentGivers[] = {
    {v1::CONSENT_GIVER_SURVIVOR, "survivor"},
    {v1::CONSENT_GIVER_GUARDIAN, "guardian"},
    {v1::CONSENT_GIVER_BOTH, "both"},
};

constexpr EnumName<v1::ChildAssent> kChildAssents[] = {
    {v1::CHILD_ASSENT_GIVEN, "given"},
    {v1::CHILD_ASSENT_REFUSED, "refused"},
    {v1::CHILD_ASSENT_NOT_ABLE, "not-able"},
};

constexpr EnumName<v1::OverrideReason> kOverrideReasons[] = {
    {v1::OVERRIDE_REASON_GUARDIAN_IS_PERPETRATOR, "guardian-is-perpetrator"},
    {v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW, "child-in-danger-now"},
    {v1::OVERRIDE_REASON_LEGAL_DUTY_TO_REPORT, "legal-duty-to-report"},
    {v1::OVERRIDE_REASON_SURVIVOR_CANNOT_BE_ASKED, "survivor-cannot-be-asked"},
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
template <> absl::Span<const EnumName<v1::Escalation>> EnumNames() { return kEscalations; }
template <> absl::Span<const EnumName<v1::EscalationReason>> EnumNames() { return kEscalationReasons; }
template <> absl::Span<const EnumName<v1::ClosureReason>> EnumNames() { return kClosureReasons; }
template <> absl::Span<const EnumName<v1::RemovalReason>> EnumNames() { return kRemovalReasons; }
template <> absl::Span<const EnumName<v1::Environment>> EnumNames() { return kEnvironments; }
template <> absl::Span<const EnumName<v1::StepKind>> EnumNames() { return kStepKinds; }
template <> absl::Span<const EnumName<v1::StepStatus>> EnumNames() { return kStepStatuses; }
template <> absl::Span<const EnumName<v1::ConsentPurpose>> EnumNames() { return kConsentPurposes; }
template <> absl::Span<const EnumName<v1::ConsentGiver>> EnumNames() { return kConsentGivers; }
template <> absl::Span<const EnumName<v1::ChildAssent>> EnumNames() { return kChildAssents; }
template <> absl::Span<const EnumName<v1::OverrideReason>> EnumNames() { return kOverrideReasons; }

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
template <> std::string_view EnumProtoPrefix<v1::Escalation>() { return "escalation-"; }
template <> std::string_view EnumProtoPrefix<v1::EscalationReason>() { return "escalation-reason-"; }
template <> std::string_view EnumProtoPrefix<v1::ClosureReason>() { return "closure-reason-"; }
template <> std::string_view EnumProtoPrefix<v1::RemovalReason>() { return "removal-reason-"; }
template <> std::string_view EnumProtoPrefix<v1::Environment>() { return "environment-"; }
template <> std::string_view EnumProtoPrefix<v1::StepKind>() { return "step-kind-"; }
template <> std::string_view EnumProtoPrefix<v1::StepStatus>() { return "step-status-"; }
template <> std::string_view EnumProtoPrefix<v1::ConsentPurpose>() { return "consent-purpose-"; }
template <> std::string_view EnumProtoPrefix<v1::ConsentGiver>() { return "consent-giver-"; }
template <> std::string_view EnumProtoPrefix<v1::ChildAssent>() { return "child-assent-"; }
template <> std::string_view EnumProtoPrefix<v1::OverrideReason>() { return "override-reason-"; }

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
