// The counselor's desk: filing, reading, listing and annotating cases.
//
// Invariants:
//  1. People, place, narrative and notes are stored only sealed under the
//     case's own data key (crypto/case_key.h); each field's associated data
//     names the case and the field.
//  2. Every read is decided by Decide() (policy.h) on facts loaded from the
//     store; a caller without a relation gets NOT_FOUND, exactly as for a
//     case that does not exist.
//  3. A request that fails validation stores nothing.
#ifndef CASEVAULT_DOMAIN_CASE_DESK_H_
#define CASEVAULT_DOMAIN_CASE_DESK_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "domain/case_model.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

class CaseDesk {
 public:
  CaseDesk(storage::Store& store, const crypto::CaseKeyring& keys,
           const Clock& clock, RandomSource& random)
      : store_(store), keys_(keys), clock_(clock), random_(random) {}

  absl::StatusOr<CaseView> File(const Caller& caller, const NewCase& c);
  absl::StatusOr<CaseView> Get(const Caller& caller, const std::string& case_id);
  absl::StatusOr<CaseListPage> List(const Caller& caller, const CaseListQuery& q);
  absl::StatusOr<CaseNote> AddNote(const Caller& caller,
                                   const std::string& case_id,
                                   const std::string& text);

 private:
  std::string NewId();

  storage::Store& store_;
  const crypto::CaseKeyring& keys_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_DESK_H_
