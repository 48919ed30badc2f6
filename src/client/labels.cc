#include "client/labels.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"

namespace casevault::client {
namespace {

struct LabelRow {
  int number;
  const char* en;
  const char* vi;
};

// What an unset enum reads as, unless its table says otherwise.
constexpr char kNotSetEn[] = "not set";
constexpr char kNotSetVi[] = "chưa xác định";

using Table = std::vector<LabelRow>;

// One table per enum, keyed by the enum's full proto name. Every value,
// UNSPECIFIED included; tests/client/labels_test.cc walks the descriptors and
// fails for a value without a row here.
const std::map<std::string, Table, std::less<>>& Tables() {
  static const auto* tables = new std::map<std::string, Table, std::less<>>{
      {v1::IncidentType_descriptor()->full_name(),
       {
           {v1::INCIDENT_TYPE_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::INCIDENT_TYPE_RAPE, "Rape", "Hiếp dâm"},
           {v1::INCIDENT_TYPE_SEXUAL_ASSAULT, "Sexual assault", "Tấn công tình dục"},
           {v1::INCIDENT_TYPE_PHYSICAL_ASSAULT, "Physical assault", "Bạo lực thể chất"},
           {v1::INCIDENT_TYPE_FORCED_MARRIAGE, "Forced marriage", "Cưỡng ép kết hôn"},
           {v1::INCIDENT_TYPE_DENIAL_OF_RESOURCES,
            "Denial of resources, opportunities or services",
            "Từ chối tiếp cận nguồn lực, cơ hội hoặc dịch vụ"},
           {v1::INCIDENT_TYPE_PSYCHOLOGICAL_ABUSE, "Psychological or emotional abuse",
            "Bạo lực tinh thần"},
       }},
      {v1::IncidentContext_descriptor()->full_name(),
       {
           {v1::INCIDENT_CONTEXT_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE, "School violence", "Bạo lực học đường"},
           {v1::INCIDENT_CONTEXT_DOMESTIC_VIOLENCE, "Domestic violence", "Bạo lực gia đình"},
           {v1::INCIDENT_CONTEXT_ONLINE_ABUSE, "Online abuse", "Xâm hại trên không gian mạng"},
           {v1::INCIDENT_CONTEXT_COMMUNITY, "In the community", "Tại cộng đồng"},
           {v1::INCIDENT_CONTEXT_OTHER, "Other", "Khác"},
       }},
      {v1::Severity_descriptor()->full_name(),
       {
           {v1::SEVERITY_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::SEVERITY_LOW, "Low", "Thấp"},
           {v1::SEVERITY_MEDIUM, "Medium", "Trung bình"},
           {v1::SEVERITY_HIGH, "High", "Cao"},
       }},
      {v1::ReporterType_descriptor()->full_name(),
       {
           {v1::REPORTER_TYPE_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::REPORTER_TYPE_SELF, "The victim", "Người bị hại tự báo tin"},
           {v1::REPORTER_TYPE_PEER, "A classmate or friend", "Bạn học, bạn bè"},
           {v1::REPORTER_TYPE_PARENT, "A parent or guardian", "Cha mẹ hoặc người giám hộ"},
           {v1::REPORTER_TYPE_STAFF, "School staff", "Cán bộ, giáo viên nhà trường"},
           {v1::REPORTER_TYPE_ANONYMOUS, "Anonymous", "Ẩn danh"},
       }},
      {v1::Gender_descriptor()->full_name(),
       {
           {v1::GENDER_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::GENDER_FEMALE, "Female", "Nữ"},
           {v1::GENDER_MALE, "Male", "Nam"},
           {v1::GENDER_OTHER, "Other", "Khác"},
           {v1::GENDER_UNDISCLOSED, "Not disclosed", "Không muốn nêu"},
       }},
      {v1::PerpetratorRelation_descriptor()->full_name(),
       {
           {v1::PERPETRATOR_RELATION_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::PERPETRATOR_RELATION_STUDENT, "Student", "Học sinh"},
           {v1::PERPETRATOR_RELATION_STAFF, "School staff", "Cán bộ, giáo viên nhà trường"},
           {v1::PERPETRATOR_RELATION_FAMILY_MEMBER, "Family member", "Thành viên gia đình"},
           {v1::PERPETRATOR_RELATION_OTHER, "Other", "Khác"},
           {v1::PERPETRATOR_RELATION_UNKNOWN, "Unknown", "Không rõ"},
       }},
      {v1::CaseStatus_descriptor()->full_name(),
       {
           {v1::CASE_STATUS_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::CASE_STATUS_OPEN, "Open", "Mới tiếp nhận"},
           {v1::CASE_STATUS_IN_PROGRESS, "In progress", "Đang xử lý"},
           {v1::CASE_STATUS_ESCALATED, "Escalated", "Đã chuyển cấp trên"},
           {v1::CASE_STATUS_RESOLVED, "Resolved", "Đã giải quyết"},
           {v1::CASE_STATUS_CLOSED, "Closed", "Đã đóng"},
       }},
      {v1::Escalation_descriptor()->full_name(),
       {
           {v1::ESCALATION_NONE, "Not escalated", "Chưa chuyển cấp"},
           {v1::ESCALATION_PRINCIPAL, "School leadership", "Ban giám hiệu nhà trường"},
           {v1::ESCALATION_DISTRICT, "District education office", "Phòng Giáo dục và Đào tạo"},
       }},
      {v1::EscalationReason_descriptor()->full_name(),
       {
           {v1::ESCALATION_REASON_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::ESCALATION_REASON_HIGH_SEVERITY, "High severity (when filed)",
            "Mức độ nghiêm trọng cao (khi tiếp nhận)"},
           {v1::ESCALATION_REASON_BEYOND_SCHOOL, "Needs more than the school can do",
            "Vượt quá khả năng xử lý của nhà trường"},
           {v1::ESCALATION_REASON_STAFF_INVOLVED, "School staff involved",
            "Có cán bộ, giáo viên liên quan"},
           {v1::ESCALATION_REASON_OUTSIDE_REFERRAL, "Referral outside the school",
            "Chuyển gửi ra ngoài nhà trường"},
           {v1::ESCALATION_REASON_CONTINUING_RISK, "Continuing risk", "Nguy cơ tiếp diễn"},
           {v1::ESCALATION_REASON_OTHER, "Other", "Lý do khác"},
       }},
      {v1::ClosureReason_descriptor()->full_name(),
       {
           {v1::CLOSURE_REASON_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::CLOSURE_REASON_SUPPORT_COMPLETED, "Support completed", "Đã hoàn thành hỗ trợ"},
           {v1::CLOSURE_REASON_REFERRED_ELSEWHERE, "Referred elsewhere",
            "Đã chuyển gửi cơ quan khác"},
           {v1::CLOSURE_REASON_SURVIVOR_DECLINED, "The survivor declined further support",
            "Người bị hại từ chối hỗ trợ thêm"},
           {v1::CLOSURE_REASON_MOVED_AWAY, "Moved away", "Đã chuyển trường hoặc chuyển nơi ở"},
           {v1::CLOSURE_REASON_NOT_SUBSTANTIATED, "Not substantiated",
            "Không có căn cứ xác thực"},
           {v1::CLOSURE_REASON_DUPLICATE, "Duplicate of another case",
            "Trùng với hồ sơ khác"},
       }},
      {v1::RemovalReason_descriptor()->full_name(),
       {
           {v1::REMOVAL_REASON_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::REMOVAL_REASON_ADDED_IN_ERROR, "Added in error", "Thêm nhầm"},
           {v1::REMOVAL_REASON_CLEARED_AFTER_REVIEW, "Cleared after review",
            "Không còn liên quan sau khi xem xét"},
           {v1::REMOVAL_REASON_OTHER, "Other", "Lý do khác"},
       }},
      {v1::Role_descriptor()->full_name(),
       {
           {v1::ROLE_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::ROLE_COUNSELOR, "School counselor", "Cán bộ tư vấn học đường"},
           {v1::ROLE_PRINCIPAL, "Principal", "Hiệu trưởng"},
           {v1::ROLE_UNION, "Trade union representative", "Đại diện Công đoàn"},
           {v1::ROLE_DISTRICT, "District education office", "Phòng Giáo dục và Đào tạo"},
           {v1::ROLE_AUDITOR, "Auditor", "Kiểm toán viên"},
           {v1::ROLE_ADMIN, "Administrator", "Quản trị viên"},
       }},
      {v1::Environment_descriptor()->full_name(),
       {
           {v1::ENVIRONMENT_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::ENVIRONMENT_SCHOOL, "School", "Nhà trường"},
           {v1::ENVIRONMENT_FAMILY, "Family", "Gia đình"},
           {v1::ENVIRONMENT_SOCIETY, "Society", "Xã hội"},
       }},
      {v1::StepKind_descriptor()->full_name(),
       {
           {v1::STEP_KIND_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::STEP_KIND_COUNSELING_SESSION, "Counseling session", "Buổi tư vấn tâm lý"},
           {v1::STEP_KIND_SAFETY_PLAN, "Safety plan", "Kế hoạch an toàn"},
           {v1::STEP_KIND_CLASS_OR_SCHEDULE_CHANGE, "Class or schedule change",
            "Đổi lớp hoặc thời khóa biểu"},
           {v1::STEP_KIND_TEACHER_BRIEFING, "Briefing the teachers", "Trao đổi với giáo viên"},
           {v1::STEP_KIND_CONTACT_GUARDIAN, "Contact the parent or guardian",
            "Liên hệ cha mẹ hoặc người giám hộ"},
           {v1::STEP_KIND_HOME_VISIT, "Home visit", "Thăm gia đình"},
           {v1::STEP_KIND_FAMILY_MEETING, "Family meeting", "Họp với gia đình"},
           {v1::STEP_KIND_HEALTH_SERVICE_REFERRAL, "Referral to health services",
            "Chuyển gửi cơ sở y tế"},
           {v1::STEP_KIND_POLICE_REPORT, "Report to the police", "Trình báo Công an"},
           {v1::STEP_KIND_COMMUNE_COMMITTEE, "Commune or ward People's Committee",
            "Ủy ban nhân dân xã/phường"},
           {v1::STEP_KIND_WOMENS_UNION, "Women's Union", "Hội Liên hiệp Phụ nữ"},
           {v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111, "Child protection hotline 111",
            "Đường dây nóng bảo vệ trẻ em 111"},
           {v1::STEP_KIND_LEGAL_AID, "Legal aid", "Trợ giúp pháp lý"},
       }},
      {v1::StepStatus_descriptor()->full_name(),
       {
           {v1::STEP_STATUS_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::STEP_STATUS_PLANNED, "Planned", "Đã lên kế hoạch"},
           {v1::STEP_STATUS_IN_PROGRESS, "In progress", "Đang thực hiện"},
           {v1::STEP_STATUS_DONE, "Done", "Đã hoàn thành"},
           {v1::STEP_STATUS_CANCELLED, "Cancelled", "Đã hủy"},
       }},
      {v1::ConsentPurpose_descriptor()->full_name(),
       {
           {v1::CONSENT_PURPOSE_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::CONSENT_PURPOSE_REFERRAL, "Referral to a service", "Chuyển gửi dịch vụ"},
           {v1::CONSENT_PURPOSE_INFORMATION_SHARING, "Sharing information", "Chia sẻ thông tin"},
           {v1::CONSENT_PURPOSE_STATISTICS, "Statistics", "Thống kê"},
       }},
      {v1::ConsentGiver_descriptor()->full_name(),
       {
           {v1::CONSENT_GIVER_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::CONSENT_GIVER_SURVIVOR, "The survivor", "Người bị hại"},
           {v1::CONSENT_GIVER_GUARDIAN, "The parent or guardian", "Cha mẹ hoặc người giám hộ"},
           {v1::CONSENT_GIVER_BOTH, "The survivor and the guardian",
            "Người bị hại và người giám hộ"},
       }},
      {v1::ChildAssent_descriptor()->full_name(),
       {
           {v1::CHILD_ASSENT_UNSPECIFIED, "Not recorded", "Không ghi nhận"},
           {v1::CHILD_ASSENT_GIVEN, "The child agrees", "Trẻ đồng ý"},
           {v1::CHILD_ASSENT_REFUSED, "The child refuses", "Trẻ không đồng ý"},
           {v1::CHILD_ASSENT_NOT_ABLE, "The child cannot express it",
            "Trẻ chưa thể bày tỏ ý kiến"},
       }},
      {v1::OverrideReason_descriptor()->full_name(),
       {
           {v1::OVERRIDE_REASON_UNSPECIFIED, kNotSetEn, kNotSetVi},
           {v1::OVERRIDE_REASON_GUARDIAN_IS_PERPETRATOR,
            "The guardian is the alleged perpetrator",
            "Người giám hộ là người bị tố cáo"},
           {v1::OVERRIDE_REASON_CHILD_IN_DANGER_NOW, "The child is in danger now",
            "Trẻ đang gặp nguy hiểm"},
           {v1::OVERRIDE_REASON_LEGAL_DUTY_TO_REPORT, "A legal duty to report",
            "Nghĩa vụ trình báo theo quy định pháp luật"},
           {v1::OVERRIDE_REASON_SURVIVOR_CANNOT_BE_ASKED, "The survivor cannot be asked",
            "Không thể hỏi ý kiến người bị hại"},
       }},
  };
  return *tables;
}

}  // namespace

std::optional<Language> ParseLanguage(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(text.data(), text.size()));
  if (lower == "en") return Language::kEn;
  if (lower == "vi") return Language::kVi;
  return std::nullopt;
}

std::string_view LanguageCode(Language language) {
  return language == Language::kVi ? "vi" : "en";
}

Language LanguageFromEnvironment(const EnvLookup& env) {
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    std::optional<std::string> value = env(name);
    if (!value.has_value() || value->empty()) continue;
    return absl::StartsWithIgnoreCase(*value, "vi") ? Language::kVi : Language::kEn;
  }
  return Language::kEn;
}

std::optional<std::string_view> FindEnumLabel(std::string_view enum_full_name, int number,
                                              Language language) {
  auto table = Tables().find(enum_full_name);
  if (table == Tables().end()) return std::nullopt;
  for (const LabelRow& row : table->second) {
    if (row.number == number) return language == Language::kVi ? row.vi : row.en;
  }
  return std::nullopt;
}

}  // namespace casevault::client
