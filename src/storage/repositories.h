// Repository interfaces, valid only inside a Store transaction callback.
// Every method: OK on success; NOT_FOUND when the row is absent;
// ALREADY_EXISTS on a unique-key clash; UNAVAILABLE/INTERNAL for I/O errors
// (message without data). Inserting a row whose parent is missing (a session
// for an unknown account, a note for an unknown case) is NOT_FOUND.
#ifndef CASEVAULT_STORAGE_REPOSITORIES_H_
#define CASEVAULT_STORAGE_REPOSITORIES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "storage/records.h"

namespace casevault::storage {

class AccountRepository {
 public:
  virtual ~AccountRepository() = default;
  // Sets record.id is ignored; returns the new id.
  virtual absl::StatusOr<int64_t> Insert(const AccountRecord& record) = 0;
  virtual absl::StatusOr<AccountRecord> FindByUsername(const std::string& username) = 0;
  virtual absl::StatusOr<AccountRecord> FindById(int64_t id) = 0;
  // Overwrites every column but id, username and created_at.
  virtual absl::Status Update(const AccountRecord& record) = 0;
  // Ordered by username; at most `limit` after `after_username` (exclusive).
  virtual absl::StatusOr<std::vector<AccountRecord>> List(const std::string& after_username, int32_t limit) = 0;
  virtual absl::StatusOr<int64_t> Count() = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual absl::Status Insert(const SessionRecord& record) = 0;
  virtual absl::StatusOr<SessionRecord> Find(const std::string& token_hash) = 0;
  virtual absl::Status Touch(const std::string& token_hash, UnixMillis last_used_at) = 0;
  virtual absl::Status Delete(const std::string& token_hash) = 0;
  virtual absl::Status DeleteForAccount(int64_t account_id) = 0;
  // Removes sessions whose absolute expiry is before `now`; returns how many.
  virtual absl::StatusOr<int64_t> DeleteExpired(UnixMillis now) = 0;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  virtual absl::Status Insert(const CaseRecord& record) = 0;
  virtual absl::StatusOr<CaseRecord> Find(const std::string& case_id) = 0;
  virtual absl::StatusOr<std::vector<CaseRecord>> List(const CaseFilter& filter) = 0;
  virtual absl::StatusOr<int64_t> Count() = 0;
  // ABORTED if the stored version is not `expected_version`; on success the
  // row holds `record` (whose version the caller has already advanced).
  virtual absl::Status Update(const CaseRecord& record, int64_t expected_version) = 0;
  virtual absl::Status InsertNote(const NoteRecord& note) = 0;
  // Oldest first.
  virtual absl::StatusOr<std::vector<NoteRecord>> ListNotes(const std::string& case_id) = 0;
};

}  // namespace casevault::storage

#endif  // CASEVAULT_STORAGE_REPOSITORIES_H_
