// The counselor's desk: filing, reading, listing and annotating cases.
//
// Invariants:
//  1. People, place, narrative and notes are stored only sealed under the
//     case's own data key (crypto/case_key.h); each field's associated data
//     names the case and the field.
//  2. Every read is decided by Decide() (policy.h) on facts loaded from the
//     store; a caller without a relation gets NOT_FOUND, exactly as for a
//     case that does not exist.
//  3. A request that fails validation stores nothing but its audit entry.
//  4. Every call, reads and denied or invalid attempts included, appends one
//     audit entry (case.file, case.view, case.list, case.note) in the
//     transaction of the operation, naming the case by its pseudonymous
//     reference and the relation that granted access. When the entry cannot
//     be written the call fails with that error and nothing of it is kept:
//     reads are therefore Write()s. Case fields are decrypted after the
//     transaction, outside the shared committer thread; the entry records
//     that access was granted, a later decryption failure (DATA_LOSS) is
//     the caller's answer.
#ifndef CASEVAULT_DOMAIN_CASE_DESK_H_
#define CASEVAULT_DOMAIN_CASE_DESK_H_

#include <string>

#include "absl/status/statusor.h"
#include "common/clock.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "domain/audit_trail.h"
#include "domain/case_model.h"
#include "domain/role.h"
#include "storage/store.h"

namespace casevault::domain {

class CaseDesk {
 public:
  CaseDesk(storage::Store& store, const AuditTrail& trail,
           const crypto::CaseKeyring& keys, const Clock& clock,
           RandomSource& random)
      : store_(store),
        trail_(trail),
        keys_(keys),
        clock_(clock),
        random_(random) {}

  [[nodiscard]] absl::StatusOr<CaseView> File(const Caller& caller,
                                              const NewCase& c);
  [[nodiscard]] absl::StatusOr<CaseView> Get(const Caller& caller,
                                             const std::string& case_id);
  [[nodiscard]] absl::StatusOr<CaseListPage> List(const Caller& caller,
                                                  const CaseListQuery& q);
  [[nodiscard]] absl::StatusOr<CaseNote> AddNote(const Caller& caller,
                                                 const std::string& case_id,
                                                 const std::string& text);

 private:
  storage::Store& store_;
  const AuditTrail& trail_;
  const crypto::CaseKeyring& keys_;
  const Clock& clock_;
  RandomSource& random_;
};

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_DESK_H_
