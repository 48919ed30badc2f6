#include "domain/case_access.h"

#include <algorithm>
#include <map>

#include "common/field_violation.h"
#include "common/status_macros.h"
#include "crypto/digest.h"
#include "domain/case_validation.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {
namespace {

constexpr size_t kRecordIdBytes = 12;

bool Contains(const std::vector<int64_t>& ids, int64_t id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

CaseFacts FactsOf(const storage::CaseRecord& record,
                  const std::vector<storage::CaseMemberRecord>& members) {
  CaseFacts f;
  f.school_id = record.school_id;
  f.owner_id = record.owner_id;
  f.pending_owner_id = record.pending_owner_id;
  f.escalation = record.escalation;
  f.staff_involved = record.staff_involved;
  f.principal_recused = record.principal_recused;
  for (const auto& m : members) {
    if (m.kind == storage::MemberKind::kImplicated) {
      f.implicated.push_back(m.account_id);
    } else {
      f.participants.push_back(m.account_id);
    }
  }
  return f;
}

absl::StatusOr<CaseContext> OpenCase(storage::Transaction& tx,
                                     const Caller& caller, Action action,
                                     const std::string& case_id,
                                     AuditEvent& event) {
  RETURN_IF_ERROR(ValidateCaseId(case_id));
  event.case_id = case_id;
  CaseContext c;
  auto found = tx.cases().Find(case_id);
  if (absl::IsNotFound(found.status())) return CaseNotFound();
  RETURN_IF_ERROR(found.status());
  c.record = *std::move(found);
  ASSIGN_OR_RETURN(c.members, tx.cases().ListMembers(case_id));
  c.facts = FactsOf(c.record, c.members);
  c.decision = Decide(caller, action, &c.facts);
  if (!c.decision.allowed) return DenialStatus(c.decision);
  event.reason = std::string(RelationName(c.decision.relation));
  return c;
}

absl::Status CheckVersion(const storage::CaseRecord& record,
                          int64_t expected) {
  if (expected < 1) {
    Violations v;
    v.Add("version", "is required: the case version you are changing");
    return v.ToStatus();
  }
  if (record.version != expected) {
    return absl::AbortedError(
        "the case was changed by someone else; reload it and try again");
  }
  return absl::OkStatus();
}

absl::Status SaveCase(storage::Transaction& tx, storage::CaseRecord& record,
                      UnixMillis now) {
  const int64_t expected = record.version;
  record.version += 1;
  record.updated_at = now;
  return tx.cases().Update(record, expected);
}

absl::Status TouchCase(storage::Transaction& tx, storage::CaseRecord& record,
                       UnixMillis now) {
  const int64_t expected = record.version;
  record.version += 1;
  record.updated_at = now;
  return tx.cases().Touch(record.id, now, expected);
}

absl::StatusOr<CaseState> StateOf(
    storage::Transaction& tx, const storage::CaseRecord& record,
    const std::vector<storage::CaseMemberRecord>& members) {
  Usernames names;
  auto name_of = [&](int64_t id) { return names.Of(tx, id); };
  CaseState s;
  s.case_id = record.id;
  s.status = static_cast<CaseStatus>(record.status);
  s.version = record.version;
  ASSIGN_OR_RETURN(s.owner, name_of(record.owner_id));
  if (record.pending_owner_id != 0) {
    ASSIGN_OR_RETURN(s.pending_owner, name_of(record.pending_owner_id));
  }
  s.escalation = record.escalation;
  s.escalation_reason = record.escalation_reason;
  s.staff_involved = record.staff_involved;
  s.closure_pending = record.closure_pending;
  s.closure_reason = record.closure_reason;
  for (const auto& m : members) {
    ASSIGN_OR_RETURN(std::string name, name_of(m.account_id));
    if (m.kind == storage::MemberKind::kImplicated) {
      s.implicated.push_back(std::move(name));
    } else {
      s.participants.push_back(std::move(name));
    }
  }
  s.updated_at = record.updated_at;
  return s;
}

absl::StatusOr<storage::AccountRecord> FindActiveAccount(
    storage::Transaction& tx, const std::string& username,
    const std::string& field) {
  Violations v;
  if (username.empty()) {
    v.Add(field, "is required");
    return v.ToStatus();
  }
  auto found = tx.accounts().FindByUsername(username);
  if (absl::IsNotFound(found.status()) || (found.ok() && found->disabled)) {
    v.Add(field, "no active account with this username");
    return v.ToStatus();
  }
  return found;
}

absl::StatusOr<Role> RoleOf(const storage::AccountRecord& account) {
  auto role = ParseRole(account.role);
  if (!role) return absl::InternalError("stored account has an unknown role");
  return *role;
}

bool IsImplicated(const CaseFacts& facts, int64_t account_id) {
  return Contains(facts.implicated, account_id);
}

bool IsParticipant(const CaseFacts& facts, int64_t account_id) {
  return Contains(facts.participants, account_id);
}

absl::StatusOr<std::unique_ptr<crypto::CaseKey>> OpenKeyOf(
    const crypto::CaseKeyring& keys, const storage::CaseRecord& record) {
  return keys.OpenCaseKey(
      record.id, crypto::WrappedDek{record.kek_version, record.wrapped_dek});
}

absl::Status AddSealedNote(storage::Transaction& tx,
                           const crypto::CaseKeyring& keys,
                           RandomSource& random,
                           const storage::CaseRecord& record,
                           int64_t author_id, UnixMillis now,
                           const std::string& text) {
  ASSIGN_OR_RETURN(auto key, OpenKeyOf(keys, record));
  storage::NoteRecord n;
  n.id = NewRecordId(random);
  n.case_id = record.id;
  n.author_id = author_id;
  n.created_at = now;
  n.sealed_text = key->SealField(NoteField(n.id), text);
  return tx.cases().InsertNote(n);
}

std::vector<storage::CaseRoute> RoutesOf(const Caller& caller) {
  std::vector<storage::CaseRoute> routes;
  switch (caller.role) {
    case Role::kPrincipal: {
      storage::CaseRoute r;
      r.school_id = caller.unit_id;
      r.min_escalation = kEscalationPrincipal;
      routes.push_back(r);
      break;
    }
    case Role::kUnion: {
      storage::CaseRoute r;
      r.school_id = caller.unit_id;
      r.staff_involved = true;
      routes.push_back(r);
      break;
    }
    case Role::kDistrict: {
      storage::CaseRoute escalated;
      escalated.min_escalation = kEscalationDistrict;
      routes.push_back(escalated);
      storage::CaseRoute recused;
      recused.principal_recused = true;
      routes.push_back(recused);
      break;
    }
    default:
      break;
  }
  return routes;
}

absl::StatusOr<std::string> Usernames::Of(storage::Transaction& tx,
                                          int64_t id) {
  if (id == 0) return std::string();
  auto it = names_.find(id);
  if (it != names_.end()) return it->second;
  ASSIGN_OR_RETURN(storage::AccountRecord account, tx.accounts().FindById(id));
  names_[id] = account.username;
  return account.username;
}

std::string Usernames::Known(int64_t id) const {
  auto it = names_.find(id);
  return it == names_.end() ? std::string() : it->second;
}

absl::StatusOr<storage::AccountRecord> FindCaseWorker(
    storage::Transaction& tx, const CaseContext& context,
    const std::string& username, const std::string& field,
    AuditEvent& event) {
  ASSIGN_OR_RETURN(storage::AccountRecord account,
                   FindActiveAccount(tx, username, field));
  event.target = account.username;
  ASSIGN_OR_RETURN(Role role, RoleOf(account));
  bool eligible = false;
  switch (role) {
    case Role::kCounselor:
    case Role::kPrincipal:
    case Role::kUnion:
      eligible = account.unit_id == context.record.school_id;
      break;
    case Role::kDistrict:
      eligible = true;  // one deployment serves one district
      break;
    case Role::kAuditor:
    case Role::kAdmin:
      break;
  }
  // One answer for every reason, so that it does not tell who is
  // implicated in the case.
  if (!eligible || IsImplicated(context.facts, account.id)) {
    return absl::FailedPreconditionError(
        "this account cannot be given this case");
  }
  return account;
}

absl::Status MakeParticipant(storage::Transaction& tx,
                             const std::string& case_id, int64_t account_id,
                             int64_t added_by, UnixMillis now) {
  storage::CaseMemberRecord m;
  m.case_id = case_id;
  m.account_id = account_id;
  m.kind = storage::MemberKind::kParticipant;
  m.added_by = added_by;
  m.added_at = now;
  absl::Status s = tx.cases().AddMember(m);
  if (absl::IsAlreadyExists(s)) return absl::OkStatus();
  return s;
}

std::string NewRecordId(RandomSource& random) {
  return crypto::HexEncode(random.Bytes(kRecordIdBytes));
}

}  // namespace casevault::domain
