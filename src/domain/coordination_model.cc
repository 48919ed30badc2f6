#include "domain/coordination_model.h"

namespace casevault::domain {

bool IsStepKind(int32_t kind) {
  for (int32_t k : kStepKinds) {
    if (k == kind) return true;
  }
  return false;
}

Environment EnvironmentOf(int32_t kind) {
  return static_cast<Environment>(kind / 10);
}

}  // namespace casevault::domain
