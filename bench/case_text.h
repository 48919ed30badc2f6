// Synthetic but realistic case content for casevault-bench: about 1 KiB of
// Vietnamese text (narrative, people, place), varied by an index. Invented
// illustration data; the bench never prints it.
#ifndef CASEVAULT_BENCH_CASE_TEXT_H_
#define CASEVAULT_BENCH_CASE_TEXT_H_

#include <cstdint>
#include <string>

namespace casevault::bench {

struct CaseText {
  int32_t incident_type = 0;   // 1..6, never 0
  int32_t context = 0;         // 1..5
  int32_t severity = 0;        // 1 low or 2 medium (high would escalate)
  std::string incident_date;   // YYYY-MM-DD, in the past
  std::string place;
  int32_t reporter_type = 0;   // 1..5
  std::string victim_name;
  int32_t victim_gender = 0;   // 1..4
  int32_t victim_birth_year = 0;
  std::string victim_class;
  int32_t perpetrator_relation = 0;  // 1 student, 3 family, 4 other, 5 unknown
  std::string perpetrator_name;
  std::string narrative;
};

CaseText MakeCaseText(uint64_t index);
// A counselor's note of a few hundred bytes.
std::string MakeNoteText(uint64_t index);
// Bytes of the free-text fields (what "about 1 KiB" measures).
size_t TextBytes(const CaseText& c);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_CASE_TEXT_H_
