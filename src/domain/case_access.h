// The one way the desks reach a case: load it with its memberships inside
// the operation's transaction, turn that into CaseFacts, and ask Decide().
// Also the small pieces every change shares (version check, save, state,
// account lookup, sealed notes).
#ifndef CASEVAULT_DOMAIN_CASE_ACCESS_H_
#define CASEVAULT_DOMAIN_CASE_ACCESS_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/random.h"
#include "crypto/case_key.h"
#include "domain/audit_trail.h"
#include "domain/case_model.h"
#include "domain/denial.h"
#include "domain/policy.h"
#include "domain/role.h"
#include "storage/records.h"
#include "storage/store.h"

namespace casevault::domain {

struct CaseContext {
  storage::CaseRecord record;
  std::vector<storage::CaseMemberRecord> members;
  CaseFacts facts;
  Decision decision;  // allowed
};

CaseFacts FactsOf(const storage::CaseRecord& record,
                  const std::vector<storage::CaseMemberRecord>& members);

// Loads `case_id` and decides `action` for `caller`. Sets event.case_id
// when the id is well formed (also when the case is missing or hidden) and
// event.reason to the relation when allowed. INVALID_ARGUMENT for a
// malformed id (field "case_id"); NOT_FOUND when missing or hidden;
// PERMISSION_DENIED (with reason) when visible but not allowed.
absl::StatusOr<CaseContext> OpenCase(storage::Transaction& tx,
                                     const Caller& caller, Action action,
                                     const std::string& case_id,
                                     AuditEvent& event);

// ABORTED ("reload it and try again") unless `expected` is the case's
// version. INVALID_ARGUMENT (field "version") when `expected` < 1.
absl::Status CheckVersion(const storage::CaseRecord& record, int64_t expected);

// Stores `record` with its version bumped and updated_at = now (ABORTED on
// a concurrent change).
absl::Status SaveCase(storage::Transaction& tx, storage::CaseRecord& record,
                      UnixMillis now);

// SaveCase for a change that leaves every other field of the case as stored
// (a note added): only version and updated_at are written
// (CaseRepository::Touch), so none of the case's index entries move.
absl::Status TouchCase(storage::Transaction& tx, storage::CaseRecord& record,
                       UnixMillis now);

// Where the case stands, usernames resolved.
absl::StatusOr<CaseState> StateOf(
    storage::Transaction& tx, const storage::CaseRecord& record,
    const std::vector<storage::CaseMemberRecord>& members);

// An active (not disabled) account named `username`; INVALID_ARGUMENT on
// `field` ("no active account with this username") otherwise.
absl::StatusOr<storage::AccountRecord> FindActiveAccount(
    storage::Transaction& tx, const std::string& username,
    const std::string& field);

// The role of a stored account (INTERNAL if unknown).
absl::StatusOr<Role> RoleOf(const storage::AccountRecord& account);

bool IsImplicated(const CaseFacts& facts, int64_t account_id);
bool IsParticipant(const CaseFacts& facts, int64_t account_id);

// The case's data key, unwrapped from its row (DATA_LOSS if it does not
// open).
absl::StatusOr<std::unique_ptr<crypto::CaseKey>> OpenKeyOf(
    const crypto::CaseKeyring& keys, const storage::CaseRecord& record);

// Seals `text` under the case's key as a new note by `author_id`.
absl::Status AddSealedNote(storage::Transaction& tx,
                           const crypto::CaseKeyring& keys,
                           RandomSource& random,
                           const storage::CaseRecord& record,
                           int64_t author_id, UnixMillis now,
                           const std::string& text);

// The storage filter that reaches the cases `caller` may view. It mirrors
// RelationTo() (policy.h); every row it returns is still passed through
// Decide() before it is shown.
std::vector<storage::CaseRoute> RoutesOf(const Caller& caller);

// Usernames of account ids, looked up once each within one transaction.
class Usernames {
 public:
  // "" for id 0.
  absl::StatusOr<std::string> Of(storage::Transaction& tx, int64_t id);
  // After the transaction: a name looked up before ("" otherwise).
  std::string Known(int64_t id) const;

 private:
  std::map<int64_t, std::string> names_;
};

// The active account named `username` (INVALID_ARGUMENT on `field`
// otherwise), recorded as the entry's target, that may work the case
// (own a step, take part): a counselor, principal or union officer of the
// case's school, or a district account, not implicated in the case (FAILED_PRECONDITION
// otherwise, without saying which).
absl::StatusOr<storage::AccountRecord> FindCaseWorker(
    storage::Transaction& tx, const CaseContext& context,
    const std::string& username, const std::string& field,
    AuditEvent& event);

// Makes `account_id` a participant of the case (already one: OK).
absl::Status MakeParticipant(storage::Transaction& tx,
                             const std::string& case_id, int64_t account_id,
                             int64_t added_by, UnixMillis now);

// A new random id: 24 lowercase hex digits.
std::string NewRecordId(RandomSource& random);

}  // namespace casevault::domain

#endif  // CASEVAULT_DOMAIN_CASE_ACCESS_H_
