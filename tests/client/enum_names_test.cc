#include "client/enum_names.h"

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"

namespace casevault::client {
namespace {

template <typename E>
void ExpectRoundTrip(bool (*is_valid)(int), int count) {
  // Every proto value but UNSPECIFIED has a name, and the name parses back.
  for (int i = 1; i < count; ++i) {
    ASSERT_TRUE(is_valid(i));
    const E value = static_cast<E>(i);
    const std::string_view name = EnumNameOf(value);
    EXPECT_NE(name, "unrecognized") << i;
    EXPECT_EQ(ParseEnumName<E>(name), value) << name;
  }
  EXPECT_FALSE(is_valid(count));
  EXPECT_EQ(EnumNames<E>().size(), static_cast<size_t>(count - 1));
  EXPECT_EQ(EnumNameOf(static_cast<E>(0)), "unspecified");
  EXPECT_EQ(EnumNameOf(static_cast<E>(count + 7)), "unrecognized");
  EXPECT_FALSE(ParseEnumName<E>("unspecified").has_value());
  EXPECT_FALSE(ParseEnumName<E>("").has_value());
  EXPECT_FALSE(ParseEnumName<E>("no-such-name").has_value());
}

TEST(EnumNamesTest, EveryEnumRoundTrips) {
  ExpectRoundTrip<v1::IncidentType>(v1::IncidentType_IsValid, 7);
  ExpectRoundTrip<v1::IncidentContext>(v1::IncidentContext_IsValid, 6);
  ExpectRoundTrip<v1::Severity>(v1::Severity_IsValid, 4);
  ExpectRoundTrip<v1::ReporterType>(v1::ReporterType_IsValid, 6);
  ExpectRoundTrip<v1::Gender>(v1::Gender_IsValid, 5);
  ExpectRoundTrip<v1::PerpetratorRelation>(v1::PerpetratorRelation_IsValid, 6);
  ExpectRoundTrip<v1::CaseStatus>(v1::CaseStatus_IsValid, 6);
  ExpectRoundTrip<v1::Role>(v1::Role_IsValid, 7);
  ExpectRoundTrip<v1::EscalationReason>(v1::EscalationReason_IsValid, 7);
  ExpectRoundTrip<v1::ClosureReason>(v1::ClosureReason_IsValid, 7);
  ExpectRoundTrip<v1::RemovalReason>(v1::RemovalReason_IsValid, 4);
  ExpectRoundTrip<v1::Environment>(v1::Environment_IsValid, 4);
  ExpectRoundTrip<v1::StepStatus>(v1::StepStatus_IsValid, 5);
  ExpectRoundTrip<v1::ConsentPurpose>(v1::ConsentPurpose_IsValid, 4);
  ExpectRoundTrip<v1::ConsentGiver>(v1::ConsentGiver_IsValid, 4);
  ExpectRoundTrip<v1::ChildAssent>(v1::ChildAssent_IsValid, 4);
  ExpectRoundTrip<v1::OverrideReason>(v1::OverrideReason_IsValid, 5);
}

// Enums whose numbers are not 0..N-1: every value the descriptor lists has
// a name that parses back, including by its proto spelling.
template <typename E>
void ExpectEveryDescriptorValueNamed() {
  const google::protobuf::EnumDescriptor* d = google::protobuf::GetEnumDescriptor<E>();
  size_t named = 0;
  for (int i = 0; i < d->value_count(); ++i) {
    const E value = static_cast<E>(d->value(i)->number());
    const std::string_view name = EnumNameOf(value);
    if (d->value(i)->name().find("UNSPECIFIED") != std::string::npos) {
      EXPECT_EQ(name, "unspecified");
      continue;
    }
    ++named;
    EXPECT_NE(name, "unrecognized") << d->value(i)->name();
    EXPECT_EQ(ParseEnumName<E>(name), value) << name;
    EXPECT_EQ(ParseEnumName<E>(d->value(i)->name()), value) << d->value(i)->name();
  }
  EXPECT_EQ(EnumNames<E>().size(), named);
}

TEST(EnumNamesTest, SparseAndZeroBasedEnums) {
  ExpectEveryDescriptorValueNamed<v1::StepKind>();
  ExpectEveryDescriptorValueNamed<v1::Escalation>();  // 0 is "none", a real value
  EXPECT_EQ(EnumNameOf(v1::ESCALATION_NONE), "none");
}

TEST(EnumNamesTest, DocumentedNames) {
  EXPECT_EQ(EnumChoices<v1::IncidentType>(),
            "rape|sexual-assault|physical-assault|forced-marriage|denial-of-resources|"
            "psychological-abuse");
  EXPECT_EQ(EnumChoices<v1::IncidentContext>(),
            "school-violence|domestic-violence|online-abuse|community|other");
  EXPECT_EQ(EnumChoices<v1::Severity>(), "low|medium|high");
  EXPECT_EQ(EnumChoices<v1::ReporterType>(), "self|peer|parent|staff|anonymous");
  EXPECT_EQ(EnumChoices<v1::Gender>(), "female|male|other|undisclosed");
  EXPECT_EQ(EnumChoices<v1::PerpetratorRelation>(), "student|staff|family-member|other|unknown");
  EXPECT_EQ(EnumChoices<v1::CaseStatus>(), "open|in-progress|escalated|resolved|closed");
  EXPECT_EQ(EnumChoices<v1::Role>(), "counselor|principal|union|district|auditor|admin");
  EXPECT_EQ(EnumChoices<v1::StepKind>(),
            "counseling-session|safety-plan|class-change|teacher-briefing|contact-guardian|"
            "home-visit|family-meeting|health-referral|police-report|commune-committee|"
            "womens-union|hotline-111|legal-aid");
  EXPECT_EQ(EnumChoices<v1::EscalationReason>(),
            "high-severity|beyond-school|staff-involved|outside-referral|continuing-risk|other");
  EXPECT_EQ(EnumChoices<v1::ClosureReason>(),
            "support-completed|referred-elsewhere|survivor-declined|moved-away|"
            "not-substantiated|duplicate");
  EXPECT_EQ(EnumChoices<v1::RemovalReason>(), "added-in-error|cleared-after-review|other");
  EXPECT_EQ(EnumChoices<v1::Environment>(), "school|family|society");
  EXPECT_EQ(EnumChoices<v1::StepStatus>(), "planned|in-progress|done|cancelled");
  EXPECT_EQ(EnumChoices<v1::ConsentPurpose>(), "referral|information-sharing|statistics");
  EXPECT_EQ(EnumChoices<v1::ConsentGiver>(), "survivor|guardian|both");
  EXPECT_EQ(EnumChoices<v1::ChildAssent>(), "given|refused|not-able");
  EXPECT_EQ(EnumChoices<v1::OverrideReason>(),
            "guardian-is-perpetrator|child-in-danger-now|legal-duty-to-report|"
            "survivor-cannot-be-asked");
}

TEST(EnumNamesTest, ProtoSpellingsAreAccepted) {
  EXPECT_EQ(ParseEnumName<v1::IncidentType>("SEXUAL_ASSAULT"), v1::INCIDENT_TYPE_SEXUAL_ASSAULT);
  EXPECT_EQ(ParseEnumName<v1::IncidentType>("INCIDENT_TYPE_SEXUAL_ASSAULT"),
            v1::INCIDENT_TYPE_SEXUAL_ASSAULT);
  EXPECT_EQ(ParseEnumName<v1::PerpetratorRelation>("family_member"),
            v1::PERPETRATOR_RELATION_FAMILY_MEMBER);
  EXPECT_EQ(ParseEnumName<v1::CaseStatus>("In-Progress"), v1::CASE_STATUS_IN_PROGRESS);
  EXPECT_FALSE(ParseEnumName<v1::Severity>("SEVERITY_").has_value());
  EXPECT_FALSE(ParseEnumName<v1::Severity>("SEVERITY_UNSPECIFIED").has_value());
}

}  // namespace
}  // namespace casevault::client
