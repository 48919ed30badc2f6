#include "domain/role.h"

namespace casevault::domain {

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kCounselor: return "counselor";
    case Role::kPrincipal: return "principal";
    case Role::kUnion: return "union";
    case Role::kDistrict: return "district";
    case Role::kAuditor: return "auditor";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == name) return r;
  }
  return std::nullopt;
}

std::optional<Role> RoleFromNumber(int32_t number) {
  for (Role r : kAllRoles) {
    if (static_cast<int32_t>(r) == number) return r;
  }
  return std::nullopt;
}

}  // namespace casevault::domain
