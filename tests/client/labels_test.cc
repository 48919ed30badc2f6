// Labels in English and Vietnamese: every value of every enum in the protos
// has both, --lang picks one, and the locale decides by default.
#include "client/labels.h"

#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "casevault/v1/account.pb.h"
#include "casevault/v1/audit.pb.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"
#include "client/cli_test_fixture.h"
#include "client/enum_names.h"
#include "common/utf8.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace casevault::client {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FileDescriptor;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::CliTest;

void CollectEnums(const Descriptor* message, std::vector<const EnumDescriptor*>* out) {
  for (int i = 0; i < message->enum_type_count(); ++i) out->push_back(message->enum_type(i));
  for (int i = 0; i < message->nested_type_count(); ++i) {
    CollectEnums(message->nested_type(i), out);
  }
}

// Every enum, top-level or nested, of every casevault proto the client links.
std::vector<const EnumDescriptor*> AllCasevaultEnums() {
  const std::vector<const FileDescriptor*> files = {
      v1::Case::descriptor()->file(), v1::Step::descriptor()->file(),
      v1::LoginRequest::descriptor()->file(), v1::Account::descriptor()->file(),
      v1::ExportLogChunk::descriptor()->file()};
  std::vector<const EnumDescriptor*> enums;
  for (const FileDescriptor* file : files) {
    for (int i = 0; i < file->enum_type_count(); ++i) enums.push_back(file->enum_type(i));
    for (int i = 0; i < file->message_type_count(); ++i) {
      CollectEnums(file->message_type(i), &enums);
    }
  }
  return enums;
}

TEST(LabelsTest, EveryProtoEnumValueHasALabelInBothLanguages) {
  const std::vector<const EnumDescriptor*> enums = AllCasevaultEnums();
  ASSERT_GE(enums.size(), 19u);  // the walk found the files
  for (const EnumDescriptor* e : enums) {
    for (int i = 0; i < e->value_count(); ++i) {
      const int number = e->value(i)->number();
      const std::string where = e->value(i)->full_name();
      std::optional<std::string_view> en = FindEnumLabel(e->full_name(), number, Language::kEn);
      std::optional<std::string_view> vi = FindEnumLabel(e->full_name(), number, Language::kVi);
      ASSERT_TRUE(en.has_value()) << where << " has no English label (src/client/labels.cc)";
      ASSERT_TRUE(vi.has_value()) << where << " has no Vietnamese label (src/client/labels.cc)";
      EXPECT_FALSE(en->empty()) << where;
      EXPECT_FALSE(vi->empty()) << where;
      EXPECT_TRUE(IsValidUtf8(*vi)) << where;
      EXPECT_NE(*en, *vi) << where << ": the Vietnamese label is a copy of the English one";
    }
  }
}

TEST(LabelsTest, LabelsWithinOneEnumAreDistinct) {
  for (const EnumDescriptor* e : AllCasevaultEnums()) {
    for (Language language : {Language::kEn, Language::kVi}) {
      std::set<std::string> seen;
      for (int i = 0; i < e->value_count(); ++i) {
        const std::string label(*FindEnumLabel(e->full_name(), e->value(i)->number(), language));
        EXPECT_TRUE(seen.insert(label).second)
            << e->full_name() << " has two values labelled \"" << label << "\"";
      }
    }
  }
}

TEST(LabelsTest, WellKnownVietnameseNames) {
  EXPECT_EQ(EnumLabel(v1::STEP_KIND_CHILD_PROTECTION_HOTLINE_111, Language::kVi),
            "Đường dây nóng bảo vệ trẻ em 111");
  EXPECT_EQ(EnumLabel(v1::STEP_KIND_WOMENS_UNION, Language::kVi), "Hội Liên hiệp Phụ nữ");
  EXPECT_EQ(EnumLabel(v1::STEP_KIND_COMMUNE_COMMITTEE, Language::kVi),
            "Ủy ban nhân dân xã/phường");
  EXPECT_EQ(EnumLabel(v1::STEP_KIND_POLICE_REPORT, Language::kVi), "Trình báo Công an");
  EXPECT_EQ(EnumLabel(v1::INCIDENT_CONTEXT_SCHOOL_VIOLENCE, Language::kVi), "Bạo lực học đường");
  EXPECT_EQ(EnumLabel(v1::SEVERITY_HIGH, Language::kEn), "High");
  EXPECT_EQ(EnumLabel(v1::SEVERITY_HIGH, Language::kVi), "Cao");
}

TEST(LabelsTest, AValueFromANewerServerIsShownAsUnrecognized) {
  EXPECT_EQ(EnumLabel(static_cast<v1::StepKind>(99), Language::kEn), "unrecognized (99)");
  EXPECT_EQ(EnumLabel(static_cast<v1::StepKind>(99), Language::kVi), "không rõ (99)");
}

TEST(LabelsTest, ParseLanguage) {
  EXPECT_EQ(ParseLanguage("vi"), Language::kVi);
  EXPECT_EQ(ParseLanguage("EN"), Language::kEn);
  EXPECT_FALSE(ParseLanguage("fr").has_value());
  EXPECT_FALSE(ParseLanguage("").has_value());
  EXPECT_FALSE(ParseLanguage("vi_VN").has_value());
  EXPECT_EQ(LanguageCode(Language::kVi), "vi");
}

TEST(LabelsTest, LanguageFromTheLocaleVariablesInPosixOrder) {
  std::map<std::string, std::string> vars;
  const EnvLookup env = testing::MapEnv(&vars);
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kEn);  // nothing set
  vars["LANG"] = "vi_VN.UTF-8";
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kVi);
  vars["LC_MESSAGES"] = "en_US.UTF-8";
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kEn);  // LC_MESSAGES beats LANG
  vars["LC_ALL"] = "vi";
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kVi);  // LC_ALL beats both
  vars["LC_ALL"] = "";
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kEn);  // empty counts as unset
  vars["LC_ALL"] = "C";
  vars["LANG"] = "vi_VN";
  EXPECT_EQ(LanguageFromEnvironment(env), Language::kEn);
}

// The real process environment, set for one test and put back after.
class ScopedEnv {
 public:
  explicit ScopedEnv(std::map<std::string, std::optional<std::string>> values) {
    for (const auto& [name, value] : values) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old == nullptr ? std::nullopt : std::optional<std::string>(old);
      if (value.has_value()) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }
  ~ScopedEnv() {
    for (const auto& [name, value] : saved_) {
      if (value.has_value()) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

std::optional<std::string> ProcessEnv(const std::string& name) {
  const char* value = std::getenv(name.c_str());
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

TEST(LabelsTest, LanguageFromTheRealEnvironment) {
  const std::optional<std::string> lang_before = ProcessEnv("LANG");
  {
    ScopedEnv env({{"LC_ALL", std::nullopt}, {"LC_MESSAGES", std::nullopt},
                   {"LANG", "vi_VN.UTF-8"}});
    EXPECT_EQ(LanguageFromEnvironment(ProcessEnv), Language::kVi);
  }
  {
    ScopedEnv env({{"LC_ALL", "en_GB.UTF-8"}, {"LANG", "vi_VN.UTF-8"}});
    EXPECT_EQ(LanguageFromEnvironment(ProcessEnv), Language::kEn);
  }
  EXPECT_EQ(ProcessEnv("LANG"), lang_before);  // restored
}

class LanguageCliTest : public CliTest {
 protected:
  void SetUp() override {
    SignIn();
    state_.case_response = testing::SampleCoordinatedCase();
  }
};

TEST_F(LanguageCliTest, LangViShowsVietnameseLabels) {
  ASSERT_EQ(Run({"--lang", "vi", "case", "show", "case-0001"}), 0) << err_.str();
  const std::string text = out_.str();
  EXPECT_THAT(text, HasSubstr("Tấn công tình dục"));
  EXPECT_THAT(text, HasSubstr("Bạo lực học đường"));
  EXPECT_THAT(text, HasSubstr("Đã chuyển cấp trên"));
  EXPECT_THAT(text, HasSubstr("Ban giám hiệu nhà trường (Vượt quá khả năng xử lý của nhà trường)"));
  EXPECT_THAT(text, HasSubstr("Đường dây nóng bảo vệ trẻ em 111"));
  EXPECT_THAT(text, HasSubstr("Hội Liên hiệp Phụ nữ"));
  EXPECT_THAT(text, HasSubstr("Trẻ đang gặp nguy hiểm"));
  EXPECT_THAT(text, HasSubstr("Trạng thái"));
  EXPECT_THAT(text, Not(HasSubstr("Sexual assault")));
  // Label columns line up by code points, not bytes.
  EXPECT_THAT(text, HasSubstr("Hồ sơ                case-0001\n"));
  EXPECT_THAT(text, HasSubstr("Trạng thái           Đã chuyển cấp trên\n"));
}

TEST_F(LanguageCliTest, TheLocaleDecidesWithoutLang) {
  vars_["LANG"] = "vi_VN.UTF-8";
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Tấn công tình dục"));
  ASSERT_EQ(Run({"case", "show", "case-0001", "--lang", "en"}), 0);  // --lang wins
  EXPECT_THAT(out_.str(), HasSubstr("Sexual assault"));
  vars_["LC_ALL"] = "C.UTF-8";
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Sexual assault"));
  vars_.erase("LC_ALL");
  vars_.erase("LANG");
  ASSERT_EQ(Run({"case", "show", "case-0001"}), 0);
  EXPECT_THAT(out_.str(), HasSubstr("Sexual assault"));
}

TEST_F(LanguageCliTest, JsonIgnoresTheLanguage) {
  ASSERT_EQ(Run({"--output", "json", "case", "show", "case-0001"}), 0);
  const std::string english = out_.str();
  ASSERT_EQ(Run({"--lang", "vi", "--output", "json", "case", "show", "case-0001"}), 0);
  EXPECT_EQ(out_.str(), english);
  vars_["LANG"] = "vi_VN.UTF-8";
  ASSERT_EQ(Run({"--output", "json", "case", "show", "case-0001"}), 0);
  EXPECT_EQ(out_.str(), english);
  EXPECT_EQ(nlohmann::json::parse(english)["incident_type"], "sexual-assault");
}

TEST_F(LanguageCliTest, AnUnknownLanguageIsAUsageError) {
  EXPECT_EQ(Run({"--lang", "fr", "case", "show", "case-0001"}), 2);
  EXPECT_EQ(err_.str(), "casevault: --lang must be vi or en\n");
  EXPECT_THAT(state_.targets_seen, ::testing::IsEmpty());
}

TEST_F(LanguageCliTest, CaseListInVietnamese) {
  v1::ListCasesResponse page;
  v1::CaseSummary* s = page.add_cases();
  s->set_id("case-0001");
  s->set_status(v1::CASE_STATUS_IN_PROGRESS);
  s->set_escalation(v1::ESCALATION_DISTRICT);
  s->set_incident_type(v1::INCIDENT_TYPE_PHYSICAL_ASSAULT);
  s->set_context(v1::INCIDENT_CONTEXT_DOMESTIC_VIOLENCE);
  s->set_severity(v1::SEVERITY_MEDIUM);
  state_.list_responses = {page};
  ASSERT_EQ(Run({"--lang", "vi", "case", "list"}), 0) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Đang xử lý"));
  EXPECT_THAT(out_.str(), HasSubstr("Phòng Giáo dục và Đào tạo"));
  EXPECT_THAT(out_.str(), HasSubstr("Bạo lực thể chất"));
  EXPECT_THAT(out_.str(), HasSubstr("Bạo lực gia đình"));
  EXPECT_THAT(out_.str(), HasSubstr("Trung bình"));
  ASSERT_EQ(Run({"--lang", "vi", "case", "list"}), 0);
  EXPECT_EQ(out_.str(), "không có hồ sơ nào\n");
}

}  // namespace
}  // namespace casevault::client
