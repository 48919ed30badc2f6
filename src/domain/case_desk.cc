#include "domain/case_desk.h"


#include "common/field_violation.h"
#include "common/status_macros.h"
#include "crypto/digest.h"
#include "domain/case_access.h"
#include "domain/case_validation.h"
#include "domain/coordination_views.h"
#include "domain/lifecycle.h"
#include "domain/limits.h"
#include "domain/policy.h"
#include "domain/sealed_fields.h"

namespace casevault::domain {
namespace {

// Rape and sexual assault, and any case the counselor marks high severity
// (physical assault with injury, a child in danger now), reach the
// principal at filing.
bool RoutedAtFiling(const NewCase& c) {
  return c.severity >= kSeverityHigh || c.incident_type == kIncidentRape ||
         c.incident_type == kIncidentSexualAssault;
}

// A victim who is not staff and whose birth year is unknown is taken to be
// a child: the stricter consent rules apply.
bool VictimIsMinor(const NewCase& c) {
  if (c.victim.is_staff) return false;
  if (c.victim.birth_year == 0) return true;
  const int incident_year = std::stoi(c.incident_date.substr(0, 4));
  return incident_year - c.victim.birth_year < 18;
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

}  // namespace

absl::StatusOr<CaseView> CaseDesk::File(const Caller& caller, const NewCase& c) {
  const Decision d = Decide(caller, Action::kFileCase, nullptr);
  const UnixMillis now = clock_.Now();
  absl::Status allowed = d.allowed ? ValidateNewCase(c, DayOf(now))
                                   : DenialStatus(d);
  storage::CaseRecord r;
  if (allowed.ok()) {  // sealing encrypts; it needs no transaction
    r.id = NewRecordId(random_);
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
    r.staff_involved = c.victim.is_staff ||
                       c.perpetrator.relation == kPerpetratorRelationStaff;
    r.victim_minor = VictimIsMinor(c);
    if (RoutedAtFiling(c)) {
      r.escalation = kEscalationPrincipal;
      r.escalation_reason = kEscalationReasonHighSeverity;
    }
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
  view.state.case_id = r.id;
  view.state.status = CaseStatus::kOpen;
  view.state.version = r.version;
  view.state.owner = caller.username;
  view.state.escalation = r.escalation;
  view.state.escalation_reason = r.escalation_reason;
  view.state.staff_involved = r.staff_involved;
  view.state.updated_at = now;
  return view;
}

absl::StatusOr<CaseView> CaseDesk::Get(const Caller& caller,
                                       const std::string& case_id) {
  CaseContext c;
  CaseState state;
  std::vector<storage::NoteRecord> notes;
  std::vector<storage::StepRecord> steps;
  std::vector<storage::ConsentRecord> consents;
  std::vector<storage::OverrideRecord> overrides;
  Usernames names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kViewCase)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        ASSIGN_OR_RETURN(c, OpenCase(tx, caller, Action::kViewCase, case_id, e));
        ASSIGN_OR_RETURN(state, StateOf(tx, c.record, c.members));
        ASSIGN_OR_RETURN(notes, tx.cases().ListNotes(case_id));
        ASSIGN_OR_RETURN(steps, tx.coordination().ListSteps(case_id));
        ASSIGN_OR_RETURN(consents, tx.coordination().ListConsents(case_id));
        ASSIGN_OR_RETURN(overrides, tx.coordination().ListOverrides(case_id));
        for (const auto& n : notes) RETURN_IF_ERROR(names.Of(tx, n.author_id).status());
        for (const auto& s : steps) {
          RETURN_IF_ERROR(names.Of(tx, s.owner_id).status());
          RETURN_IF_ERROR(names.Of(tx, s.created_by).status());
        }
        for (const auto& k : consents) {
          RETURN_IF_ERROR(names.Of(tx, k.recorded_by).status());
          RETURN_IF_ERROR(names.Of(tx, k.withdrawn_by).status());
        }
        for (const auto& o : overrides) {
          RETURN_IF_ERROR(names.Of(tx, o.recorded_by).status());
        }
        return absl::OkStatus();
      }));

  // Decryption happens here, off the committer thread (invariant 4).
  const storage::CaseRecord& r = c.record;
  ASSIGN_OR_RETURN(auto key, OpenKeyOf(keys_, r));
  CaseView view;
  ASSIGN_OR_RETURN(view.content, OpenCaseContent(*key, r));
  view.id = r.id;
  view.status = static_cast<CaseStatus>(r.status);
  view.school_id = r.school_id;
  view.owner = state.owner;
  view.created_at = r.created_at;
  view.updated_at = r.updated_at;
  view.version = r.version;
  view.state = std::move(state);
  for (const auto& n : notes) {
    CaseNote note;
    note.id = n.id;
    note.author = names.Known(n.author_id);
    note.created_at = n.created_at;
    ASSIGN_OR_RETURN(note.text, key->OpenField(NoteField(n.id), n.sealed_text));
    view.notes.push_back(std::move(note));
  }
  const std::string today = FormatIsoDate(DayOf(clock_.Now()));
  for (const auto& s : steps) {
    StepView step = StepViewOf(s, names, today);
    RETURN_IF_ERROR(OpenStepFields(*key, s, step));
    view.steps.push_back(std::move(step));
  }
  for (const auto& k : consents) {
    view.consents.push_back(ConsentViewOf(k, r.victim_minor, names));
  }
  for (const auto& o : overrides) {
    view.overrides.push_back(OverrideViewOf(o, names));
  }
  if (!r.sealed_closure_note.empty()) {
    ASSIGN_OR_RETURN(view.closure_note,
                     key->OpenField(kFieldClosureNote, r.sealed_closure_note));
  }
  return view;
}

absl::StatusOr<CaseListPage> CaseDesk::List(const Caller& caller,
                                            const CaseListQuery& q) {
  storage::CaseFilter filter;
  filter.viewer_id = caller.account_id;
  filter.routes = RoutesOf(caller);
  filter.limit = (q.page_size == 0 ? kDefaultPageSize : q.page_size) + 1;
  if (q.status != 0) filter.status = q.status;
  if (q.severity != 0) filter.severity = q.severity;
  if (q.environment != 0) filter.environment = q.environment;
  if (q.overdue) filter.overdue_before = FormatIsoDate(DayOf(clock_.Now()));
  std::vector<storage::CaseRecord> rows;
  std::vector<std::vector<storage::CaseMemberRecord>> members;
  Usernames names;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kListCases)),
      [&](storage::Transaction& tx, AuditEvent&) -> absl::Status {
        members.clear();  // a re-run (Store::Write) starts afresh
        RETURN_IF_ERROR(ValidateListQuery(q));
        const Decision d = Decide(caller, Action::kListCases, nullptr);
        if (!d.allowed) return DenialStatus(d);
        if (!q.page_token.empty()) {
          ASSIGN_OR_RETURN(auto after, DecodePageToken(q.page_token));
          filter.after = std::move(after);
        }
        ASSIGN_OR_RETURN(rows, tx.cases().List(filter));
        for (const auto& r : rows) {
          RETURN_IF_ERROR(names.Of(tx, r.owner_id).status());
          ASSIGN_OR_RETURN(auto m, tx.cases().ListMembers(r.id));
          members.push_back(std::move(m));
        }
        return absl::OkStatus();
      }));
  CaseListPage page;
  const size_t limit = static_cast<size_t>(filter.limit - 1);
  for (size_t i = 0; i < rows.size() && i < limit; ++i) {
    const storage::CaseRecord& r = rows[i];
    // The storage filter mirrors the policy; the policy still decides.
    const CaseFacts facts = FactsOf(r, members[i]);
    if (!Decide(caller, Action::kViewCase, &facts).allowed) continue;
    CaseSummary s;
    s.id = r.id;
    s.incident_type = r.incident_type;
    s.context = r.context;
    s.severity = r.severity;
    s.status = static_cast<CaseStatus>(r.status);
    s.incident_date = r.incident_date;
    s.owner = names.Known(r.owner_id);
    s.created_at = r.created_at;
    s.updated_at = r.updated_at;
    s.escalation = r.escalation;
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
  const absl::Status valid = ValidateNoteText(text);
  CaseNote note;
  note.id = NewRecordId(random_);
  note.author = caller.username;
  note.text = text;
  RETURN_IF_ERROR(trail_.Record(
      store_, EventOf(caller, ActionName(Action::kAddNote)),
      [&](storage::Transaction& tx, AuditEvent& e) -> absl::Status {
        ASSIGN_OR_RETURN(CaseContext c,
                         OpenCase(tx, caller, Action::kAddNote, case_id, e));
        RETURN_IF_ERROR(valid);
        const auto status = static_cast<CaseStatus>(c.record.status);
        RETURN_IF_ERROR(NextStatus(status, CaseEvent::kAmend).status());
        // Sealing needs the case's data key, unwrapped from the row read
        // here; both are a few microseconds of symmetric crypto.
        ASSIGN_OR_RETURN(auto key,
                         OpenKeyOf(keys_, c.record));
        note.created_at = clock_.Now();
        storage::NoteRecord n;
        n.id = note.id;
        n.case_id = c.record.id;
        n.author_id = caller.account_id;
        n.created_at = note.created_at;
        n.sealed_text = key->SealField(NoteField(note.id), text);
        RETURN_IF_ERROR(tx.cases().InsertNote(n));
        return TouchCase(tx, c.record, note.created_at);
      }));
  return note;
}

}  // namespace casevault::domain
