#include "client/output.h"

#include "client/client_fakes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

#include <string>
#include <vector>

namespace casevault::client {
namespace {

using ::testing::HasSubstr;

TEST(OutputTest, CaseTextHasEnglishLabelsAndNames) {
  const std::string text = CaseText(testing::SampleCase());
  EXPECT_THAT(text, HasSubstr("Case            case-0001\n"));
  EXPECT_THAT(text, HasSubstr("Status          Open\n"));
  EXPECT_THAT(text, HasSubstr("Owner           counselor-test\n"));
  EXPECT_THAT(text, HasSubstr("Incident type   Sexual assault\n"));
  EXPECT_THAT(text, HasSubstr("Context         School violence\n"));
  EXPECT_THAT(text, HasSubstr("Severity        High\n"));
  EXPECT_THAT(text, HasSubstr("Incident date   2024-03-15\n"));
  EXPECT_THAT(text, HasSubstr("Reporter        A classmate or friend\n"));
  EXPECT_THAT(text, HasSubstr("  Name          Test Victim V1\n"));
  EXPECT_THAT(text, HasSubstr("  Birth year    2010\n"));
  EXPECT_THAT(text, HasSubstr("  Relation      Student\n"));
  EXPECT_THAT(text, HasSubstr("  Name          (not given)\n"));
  EXPECT_THAT(text, HasSubstr("Narrative\n  Test narrative line one.\n  Test narrative line two.\n"));
  EXPECT_THAT(text, HasSubstr("Notes (1)\n  2024-03-16T09:00:00Z by counselor-test [note-1]\n"
                              "    Test note text.\n"));
}

TEST(OutputTest, CaseTextNeutralisesEscapeSequences) {
  v1::Case c = testing::SampleCase();
  c.set_narrative("Test\x1b]0;title\x07 narrative");
  c.mutable_victim()->set_name("Test\rName");
  const std::string text = CaseText(c);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\x07'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(OutputTest, CaseJsonHasStableKeysAndReadableText) {
  const std::string text = JsonText(CaseJson(testing::SampleCase()));
  const nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc["id"], "case-0001");
  EXPECT_EQ(doc["incident_type"], "sexual-assault");
  EXPECT_EQ(doc["context"], "school-violence");
  EXPECT_EQ(doc["severity"], "high");
  EXPECT_EQ(doc["reporter_type"], "peer");
  EXPECT_EQ(doc["status"], "open");
  EXPECT_EQ(doc["place"], "Test Place P1");  // bytes on the wire, text here
  EXPECT_EQ(doc["victim"]["name"], "Test Victim V1");
  EXPECT_EQ(doc["victim"]["gender"], "female");
  EXPECT_EQ(doc["victim"]["birth_year"], 2010);
  EXPECT_EQ(doc["victim"]["is_staff"], false);  // defaults are printed too
  EXPECT_EQ(doc["perpetrator"]["relation"], "student");
  EXPECT_EQ(doc["perpetrator"]["name"], "");
  EXPECT_EQ(doc["narrative"], "Test narrative line one.\nTest narrative line two.");
  EXPECT_EQ(doc["notes"][0]["text"], "Test note text.");
  EXPECT_EQ(doc["version"], 2);
  // Keys come in proto order, so the output diffs well.
  std::vector<std::string> keys;
  const nlohmann::ordered_json ordered = nlohmann::ordered_json::parse(text);
  for (auto it = ordered.begin(); it != ordered.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "id", "incident_type", "context", "severity", "incident_date", "place",
                      "reporter_type", "victim", "perpetrator", "narrative", "status", "school_id",
                      "owner", "created_at", "updated_at", "version", "notes", "state", "steps",
                      "consents", "overrides", "closure_note"}));
}

TEST(OutputTest, CaseJsonKeepsVietnameseAndEscapesControls) {
  v1::Case c = testing::SampleCase();
  const std::string vietnamese = "Tr\xc6\xb0\xe1\xbb\x9dng th\xe1\xbb\xad";
  c.set_place(vietnamese);
  c.set_narrative("Test\x1b[2J narrative \xff");
  const std::string text = JsonText(CaseJson(c));
  EXPECT_THAT(text, HasSubstr(vietnamese));  // not \u-escaped
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  const nlohmann::json doc = nlohmann::json::parse(text);  // still valid JSON
  EXPECT_EQ(doc["narrative"], "Test\x1b[2J narrative \xEF\xBF\xBD");
}

TEST(OutputTest, EmptyCaseJsonStillHasEveryKey) {
  const nlohmann::json doc = nlohmann::json::parse(JsonText(CaseJson(v1::Case())));
  EXPECT_EQ(doc["id"], "");
  EXPECT_EQ(doc["status"], "unspecified");
  EXPECT_TRUE(doc["notes"].is_array());
  EXPECT_EQ(doc["victim"]["name"], "");
}

TEST(OutputTest, ListJson) {
  v1::ListCasesResponse list;
  list.add_cases()->set_id("case-0001");
  list.set_next_page_token("tok-2");
  const nlohmann::json doc = nlohmann::json::parse(JsonText(CaseListJson(list)));
  EXPECT_EQ(doc["cases"][0]["id"], "case-0001");
  EXPECT_EQ(doc["cases"][0]["severity"], "unspecified");
  EXPECT_EQ(doc["next_page_token"], "tok-2");
  const nlohmann::json empty = nlohmann::json::parse(JsonText(AccountListJson({})));
  EXPECT_TRUE(empty["accounts"].is_array());
  EXPECT_TRUE(empty["accounts"].empty());
}

TEST(OutputTest, CaseListTextIsATableWithANextPageHint) {
  v1::ListCasesResponse list;
  v1::CaseSummary* s = list.add_cases();
  s->set_id("case-0001");
  s->set_status(v1::CASE_STATUS_IN_PROGRESS);
  s->set_incident_type(v1::INCIDENT_TYPE_RAPE);
  s->set_severity(v1::SEVERITY_LOW);
  list.set_next_page_token("tok-2");
  const std::string text = CaseListText(list);
  EXPECT_THAT(text, HasSubstr("ID         STATUS       ESCALATION     TYPE  CONTEXT  SEVERITY"));
  EXPECT_THAT(text, HasSubstr("case-0001  In progress  Not escalated  Rape  not set  Low\n"));
  EXPECT_THAT(text, HasSubstr("more: casevault case list --page-token tok-2\n"));
  EXPECT_EQ(CaseListText(v1::ListCasesResponse()), "no cases\n");
}

TEST(OutputTest, TableAlignsByCodePoints) {
  const std::string wide = "\xc4\x90\xe1\xbb\x97";  // two code points, five bytes
  EXPECT_EQ(TableText({{wide, "x"}, {"abc", "y"}}), wide + "   x\nabc  y\n");
}

TEST(OutputTest, AccountText) {
  v1::Account a;
  a.set_username("admin-test");
  a.set_role(v1::ROLE_ADMIN);
  a.set_unit_id("school-test");
  EXPECT_THAT(AccountText(a), HasSubstr("Role            admin\n"));
  EXPECT_THAT(AccountText(a), HasSubstr("Locked until    (not locked)\n"));
}

}  // namespace
}  // namespace casevault::client
