#ifndef CASEVAULT_DOMAIN_ROLE_H_
#define CASEVAULT_DOMAIN_ROLE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace casevault::domain {

// Numbered as casevault.v1.Role on the wire.
enum class Role : int32_t {
  kCounselor = 1,
  kPrincipal = 2,
  kUnion = 3,
  kDistrict = 4,
  kAuditor = 5,
  kAdmin = 6,
};

inline constexpr Role kAllRoles[] = {Role::kCounselor, Role::kPrincipal,
                                     Role::kUnion,     Role::kDistrict,
                                     Role::kAuditor,   Role::kAdmin};

// "counselor", "principal", "union", "district", "auditor", "admin": the
// names stored in the database and used by the operator commands.
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
std::optional<Role> RoleFromNumber(int32_t number);

// The signed-in account a request acts for.
struct Caller {
  int64_t account_id = 0;
  std::string username;
  Role role = Role::kCounselor;
  std::string unit_id;     // school, or district for district accounts
  std::string request_id;  // for logs (and the audit log)
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_ROLE_H_
