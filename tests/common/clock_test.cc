#include "common/clock.h"

#include <ctime>
#include <random>

#include "gtest/gtest.h"
#include "support/status_matchers.h"

namespace casevault {
namespace {

using ::casevault::testing::StatusIs;

TEST(ClockTest, FormatsRfc3339WithMillis) {
  EXPECT_EQ(FormatRfc3339Millis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(1795917113123), "2026-11-29T01:51:53.123Z");
  EXPECT_EQ(FormatRfc3339Millis(951782400000), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339Millis(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339Millis(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatRfc3339Millis(-62167219200001), "-001-12-31T23:59:59.999Z");
}

TEST(ClockTest, FormatsAsTheCLibraryDoes) {
  std::mt19937_64 rng(0x5eed'c10c);
  std::uniform_int_distribution<int64_t> millis(0, 4102444800000);  // 2100
  for (int i = 0; i < 20000; ++i) {
    const int64_t t = millis(rng);
    const std::time_t seconds = t / 1000;
    std::tm tm{};
    ASSERT_NE(gmtime_r(&seconds, &tm), nullptr);
    char want[40];
    const size_t n = std::strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S", &tm);
    std::snprintf(want + n, sizeof want - n, ".%03dZ", int(t % 1000));
    ASSERT_EQ(FormatRfc3339Millis(t), want) << t;
  }
}

TEST(ClockTest, ParsesRealDatesOnly) {
  EXPECT_EQ(*ParseIsoDate("1970-01-01"), 0);
  EXPECT_EQ(*ParseIsoDate("2000-02-29"), 11016);
  EXPECT_EQ(*ParseIsoDate("2026-11-29"), DayOf(1795917113123));
  for (const char* bad : {"2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10",
                          "2024-04-31", "2024-1-01", "20240101", "", "abcd-ef-gh",
                          "2024-01-01T00:00", "1899-12-31", " 2024-01-01"}) {
    EXPECT_THAT(ParseIsoDate(bad), StatusIs(absl::StatusCode::kInvalidArgument))
        << bad;
  }
}

TEST(ClockTest, FakeClockMovesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.Now(), 1000);
  clock.SleepFor(500);
  EXPECT_EQ(clock.Now(), 1500);
  clock.Set(42);
  EXPECT_EQ(clock.Now(), 42);
}

TEST(ClockTest, DayOfRoundsDown) {
  EXPECT_EQ(DayOf(0), 0);
  EXPECT_EQ(DayOf(86399999), 0);
  EXPECT_EQ(DayOf(86400000), 1);
  EXPECT_EQ(DayOf(-1), -1);
}

}  // namespace
}  // namespace casevault
