#include "domain/case_desk.h"

#include <map>

#include "common/field_violation.h"
#include "common/status_macros.h"
#include "crypto/digest.h"
#include "domain/case_validation.h"
#include "domain/limits.h"
#include "domain/policy.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {
namespace {

constexpr size_t kCaseIdBytes = 12;
constexpr size_t kNoteIdBytes = 12;

absl::Status NotFound() {
  return absl::NotFoundError("no case with this id is visible to you");
}

CaseFacts FactsOf(const storage::CaseRecord& r) {
  CaseFacts f;
  f.school_id = r.school_id;
  f.owner_id = r.owner_id;
  f.high_severity = r.severity >= kSeverityHigh;
  return f;
}

crypto::WrappedDek WrappedDekOf(const storage::CaseRecord& r) {
  return crypto::WrappedDek{r.kek_version, r.wrapped_dek};
}

std::string EncodePageToken(UnixMillis created_at, const std::string& id) {
  return crypto::Base64UrlEncode(std::to_string(created_at) + ":" + id);
}

absl::StatusOr<std::pair<UnixMillis, std::string>> DecodePageToken(
    const std::string& token) {
  Violations v;
  v.Add("page_token", "is not a valid page token");
  std::string raw;
  if (!crypto::Base64UrlDecode(token, &raw)) return v.ToStatus();
  const size_t colon = raw.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 19) return v.ToStatus();
  const std::string id = raw.substr(colon + 1);
  if (!IsWellFormedCaseId(id)) return v.ToStatus();
  UnixMillis at = 0;
  for (size_t i = 0; i < colon; ++i) {
    if (raw[i] < '0' || raw[i] > '9') return v.ToStatus();
    at = at * 10 + (raw[i] - '0');
  }
  return std::make_pair(at, id);
}

// Loads usernames for account ids within a transaction.
absl::Status ResolveUsernames(storage::Transaction& tx,
                              std::map<int64_t, std::string>& names) {
  for (auto& [id, name] : names) {
    ASSIGN_OR_RETURN(storage::AccountRecord a, tx.accounts().FindById(id));
    name = a.username;
  }
  return absl::OkStatus();
}

}  // namespace

std::string CaseDesk::NewId() {
  return crypto::HexEncode(random_.Bytes(kCaseIdBytes));
}

absl::StatusOr<CaseView> CaseDesk::File(const Caller& caller, const NewCase& c) {
  const Decision d = Decide(caller, Action::kFileCase, nullptr);
  const UnixMillis now = clock_.Now();
  absl::Status allowed = d.allowed ? ValidateNewCase(c, DayOf(now))
                                   : absl::PermissionDeniedError(d.reason);
  storage::CaseRecord r;
  if (allowed.ok()) {  // sealing encrypts; it needs no transaction
    r.id = NewId();
    r.school_id = caller.unit_id;
    r.owner_id = caller.account_id;
    r.incident_type = c.incident_type;
    r.context = c.context;
    r.severity = c.severity;
    r.reporter_type = c.reporter_type;
    r.status = static_cast<int32_t>(CaseStatus::kOpen);
    r.incident_date = c.incident_date;
    r.created_at = r.updated_at = now;
    r.version = 1;
    crypto::CaseKeyring::NewKey key = keys_.CreateCaseKey(r.id);
    r.kek_version = key.wrapped.kek_version;
    r.wrapped_dek = key.wrapped.envelope;
    SealCaseContent(*key.key, c, r);
  }
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kFileCase)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(allowed);
        RETURN_IF_ERROR(tx.cases().Insert(r));
        e.case_id = r.id;
        e.reason = std::string(RelationName(d.relation));
        return absl::OkStatus();
      }));

  CaseView view;
  view.id = r.id;
  view.content = c;
  view.status = CaseStatus::kOpen;
  view.school_id = r.school_id;
  view.owner = caller.username;
  view.created_at = view.updated_at = now;
  view.version = r.version;
  return view;
}

absl::StatusOr<CaseView> CaseDesk::Get(const Caller& caller,
                                       const std::string& case_id) {
  const absl::Status well_formed = ValidateCaseId(case_id);
  storage::CaseRecord r;
  std::vector<storage::NoteRecord> notes;
  std::map<int64_t, std::string> names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kViewCase)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        RETURN_IF_ERROR(well_formed);
        e.case_id = case_id;  // also when it is missing or hidden
        auto found = tx.cases().Find(case_id);
        if (absl::IsNotFound(found.status())) return NotFound();
        RETURN_IF_ERROR(found.status());
        r = *std::move(found);
        const CaseFacts facts = FactsOf(r);
        const Decision decision = Decide(caller, Action::kViewCase, &facts);
        if (!decision.allowed) return NotFound();
        e.reason = std::string(RelationName(decision.relation));
        ASSIGN_OR_RETURN(notes, tx.cases().ListNotes(case_id));
        names[r.owner_id];
        for (const auto& n : notes) names[n.author_id];
        return ResolveUsernames(tx, names);
      }));

  // Decryption happens here, off the committer thread (invariant 4).
  ASSIGN_OR_RETURN(auto key, keys_.OpenCaseKey(r.id, WrappedDekOf(r)));
  CaseView view;
  ASSIGN_OR_RETURN(view.content, OpenCaseContent(*key, r));
  view.id = r.id;
  view.status = static_cast<CaseStatus>(r.status);
  view.school_id = r.school_id;
  view.owner = names[r.owner_id];
  view.created_at = r.created_at;
  view.updated_at = r.updated_at;
  view.version = r.version;
  for (const auto& n : notes) {
    CaseNote note;
    note.id = n.id;
    note.author = names[n.author_id];
    note.created_at = n.created_at;
    ASSIGN_OR_RETURN(note.text, key->OpenField(NoteField(n.id), n.sealed_text));
    view.notes.push_back(std::move(note));
  }
  return view;
}

absl::StatusOr<CaseListPage> CaseDesk::List(const Caller& caller,
                                            const CaseListQuery& q) {
  storage::CaseFilter filter;
  filter.school_id = caller.unit_id;
  filter.limit = (q.page_size == 0 ? kDefaultPageSize : q.page_size) + 1;
  if (q.status != 0) filter.status = q.status;
  std::vector<storage::CaseRecord> rows;
  std::map<int64_t, std::string> names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kListCases)),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        RETURN_IF_ERROR(ValidateListQuery(q));
        const Decision d = Decide(caller, Action::kListCases, nullptr);
        if (!d.allowed) return absl::PermissionDeniedError(d.reason);
        if (!q.page_token.empty()) {
          ASSIGN_OR_RETURN(auto after, DecodePageToken(q.page_token));
          filter.after = std::move(after);
        }
        // The storage filter mirrors the policy's relations (owner, route);
        // each row is still passed through Decide() below.
        switch (caller.role) {
          case Role::kCounselor:
            filter.owner_id = caller.account_id;
            break;
          case Role::kPrincipal:
            filter.owner_id = caller.account_id;
            filter.min_severity = kSeverityHigh;
            break;
          default:
            return absl::OkStatus();  // no relation reaches other roles yet
        }
        ASSIGN_OR_RETURN(rows, tx.cases().List(filter));
        for (const auto& r : rows) names[r.owner_id];
        return ResolveUsernames(tx, names);
      }));
  CaseListPage page;
  const size_t limit = static_cast<size_t>(filter.limit - 1);
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const storage::CaseRecord& r = rows[i];
    const CaseFacts facts = FactsOf(r);
    if (!Decide(caller, Action::kViewCase, &facts).allowed) continue;
    CaseSummary s;
    s.id = r.id;
    s.incident_type = r.incident_type;
    s.context = r.context;
    s.severity = r.severity;
    s.status = static_cast<CaseStatus>(r.status);
    s.incident_date = r.incident_date;
    s.owner = names[r.owner_id];
    s.created_at = r.created_at;
    s.updated_at = r.updated_at;
    page.cases.push_back(std::move(s));
  }
  if (rows.size() > limit) {
    const storage::CaseRecord& last = rows[limit - 1];
    page.next_page_token = EncodePageToken(last.created_at, last.id);
  }
  return page;
}

absl::StatusOr<CaseNote> CaseDesk::AddNote(const Caller& caller,
                                           const std::string& case_id,
                                           const std::string& text) {
  absl::Status valid = ValidateCaseId(case_id);
  if (valid.ok()) valid = ValidateNoteText(text);
  CaseNote note;
  note.id = crypto::HexEncode(random_.Bytes(kNoteIdBytes));
  note.author = caller.username;
  note.text = text;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kAddNote)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        if (IsWellFormedCaseId(case_id)) e.case_id = case_id;
        RETURN_IF_ERROR(valid);
        auto found = tx.cases().Find(case_id);
        if (absl::IsNotFound(found.status())) return NotFound();
        RETURN_IF_ERROR(found.status());
        storage::CaseRecord r = *std::move(found);
        const CaseFacts facts = FactsOf(r);
        if (!Decide(caller, Action::kViewCase, &facts).allowed) return NotFound();
        const Decision d = Decide(caller, Action::kAddNote, &facts);
        if (!d.allowed) return absl::PermissionDeniedError(d.reason);
        e.reason = std::string(RelationName(d.relation));
        // Sealing needs the case's data key, unwrapped from the row read
        // here; both are a few microseconds of symmetric crypto.
        ASSIGN_OR_RETURN(auto key, keys_.OpenCaseKey(r.id, WrappedDekOf(r)));
        note.created_at = clock_.Now();
        storage::NoteRecord n;
        n.id = note.id;
        n.case_id = r.id;
        n.author_id = caller.account_id;
        n.created_at = note.created_at;
        n.sealed_text = key->SealField(NoteField(note.id), text);
        RETURN_IF_ERROR(tx.cases().InsertNote(n));
        const int64_t expected = r.version;
        r.version += 1;
        r.updated_at = note.created_at;
        return tx.cases().Update(r, expected);
      }));
  return note;
}

}  // namespace casevault::domain
