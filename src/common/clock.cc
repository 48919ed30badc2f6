#include "common/clock.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "absl/status/status.h"

namespace casevault {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

}  // namespace

UnixMillis SystemClock::Now() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void SystemClock::SleepFor(UnixMillis ms) const {
  if (ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

int64_t DayOf(UnixMillis t) { return FloorDiv(t, 86400000); }

std::string FormatRfc3339Millis(UnixMillis t) {
  const int64_t days = DayOf(t);
  const int64_t ms_of_day = t - days * 86400000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  if (y < 0 || y > 9999) {  // never a real case's time; kept correct anyway
    char buf[96];
    std::snprintf(buf, sizeof buf,
                  "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(y), m, d,
                  static_cast<long long>(ms_of_day / 3600000),
                  static_cast<long long>(ms_of_day / 60000 % 60),
                  static_cast<long long>(ms_of_day / 1000 % 60),
                  static_cast<long long>(ms_of_day % 1000));
    return buf;
  }
  // Written digit by digit: several times per call on the serving path,
  // where snprintf cost more than the rest of the formatting.
  std::string out = "0000-00-00T00:00:00.000Z";
  auto put = [&out](size_t end, int64_t value, int digits) {
    for (int i = 1; i <= digits; ++i, value /= 10) {
      out[end - i] = static_cast<char>('0' + value % 10);
    }
  };
  put(4, y, 4);
  put(7, m, 2);
  put(10, d, 2);
  put(13, ms_of_day / 3600000, 2);
  put(16, ms_of_day / 60000 % 60, 2);
  put(19, ms_of_day / 1000 % 60, 2);
  put(23, ms_of_day % 1000, 3);
  return out;
}

absl::StatusOr<int64_t> ParseIsoDate(const std::string& text) {
  auto bad = [] {
    return absl::InvalidArgumentError("must be a date written YYYY-MM-DD");
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  const int y = std::stoi(text.substr(0, 4));
  const unsigned m = static_cast<unsigned>(std::stoi(text.substr(5, 2)));
  const unsigned d = static_cast<unsigned>(std::stoi(text.substr(8, 2)));
  if (y < 1900 || m < 1 || m > 12 || d < 1) return bad();
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30,
                                       31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  const unsigned max_day = kDays[m - 1] + (m == 2 && leap ? 1 : 0);
  if (d > max_day) return bad();
  return DaysFromCivil(y, m, d);
}

std::string FormatIsoDate(int64_t day) {
  return FormatRfc3339Millis(day * 86400000).substr(0, 10);
}

}  // namespace casevault
