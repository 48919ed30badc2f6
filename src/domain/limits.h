// Sizes the API accepts. Counted in Unicode code points unless noted.
#ifndef CASEVAULT_DOMAIN_LIMITS_H_
#define CASEVAULT_DOMAIN_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace casevault::domain {

inline constexpr size_t kMaxNameLength = 200;
inline constexpr size_t kMaxClassOrJobLength = 100;
inline constexpr size_t kMaxPlaceLength = 300;
inline constexpr size_t kMaxNarrativeLength = 20000;
inline constexpr size_t kMaxNoteLength = 20000;
inline constexpr int32_t kDefaultPageSize = 20;
inline constexpr int32_t kMaxPageSize = 100;
inline constexpr size_t kMinPasswordLength = 12;
inline constexpr size_t kMaxPasswordBytes = 1024;
inline constexpr int32_t kOldestBirthYear = 1900;

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_LIMITS_H_
