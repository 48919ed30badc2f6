#include "client/enum_names.h"

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
