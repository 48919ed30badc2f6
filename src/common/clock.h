// Time as the rest of casevault sees it: injected, never read directly.
#ifndef CASEVAULT_COMMON_CLOCK_H_
#define CASEVAULT_COMMON_CLOCK_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace casevault {

// Milliseconds since the Unix epoch, UTC.
using UnixMillis = int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual UnixMillis Now() const = 0;
  // Blocks the calling thread for `ms` (a fake clock just advances).
  virtual void SleepFor(UnixMillis ms) const = 0;
};

// The wall clock. Constructed only in main() and in integration tests.
class SystemClock final : public Clock {
 public:
  UnixMillis Now() const override;
  void SleepFor(UnixMillis ms) const override;
};

// A clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(UnixMillis start) : now_(start) {}
  UnixMillis Now() const override { return now_.load(); }
  void SleepFor(UnixMillis ms) const override { now_.fetch_add(ms); }
  void Advance(UnixMillis by) { now_.fetch_add(by); }
  void Set(UnixMillis to) { now_.store(to); }

 private:
  mutable std::atomic<UnixMillis> now_;
};

// "2026-11-29T01:51:53.123Z".
std::string FormatRfc3339Millis(UnixMillis t);

// Days since 1970-01-01 of a proleptic Gregorian date; rejects anything but
// a real calendar date written as YYYY-MM-DD.
absl::StatusOr<int64_t> ParseIsoDate(const std::string& text);

// The UTC calendar day of `t`, in days since 1970-01-01.
int64_t DayOf(UnixMillis t);

// "YYYY-MM-DD" of a day since 1970-01-01 (the inverse of ParseIsoDate).
std::string FormatIsoDate(int64_t day);

}  // namespace casevault

#endif  // CASEVAULT_COMMON_CLOCK_H_
