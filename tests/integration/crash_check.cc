#include "crash_check.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

bool TookEffect(const Op& op) {
  return op.state == OpState::kAcked || op.state == OpState::kPresent;
}

// The ledger of one actor, indexed, with write-back of resolutions.
class View {
 public:
  View(Ledger& ledger, const std::string& actor) : ledger_(ledger) {
    ops_ = ledger.Snapshot();
    for (size_t i = 0; i < ops_.size(); ++i) {
      if (ops_[i].actor == actor) mine_.push_back(i);
    }
  }
  Op& op(size_t i) { return ops_[i]; }
  const std::vector<size_t>& mine() const { return mine_; }
  void Resolve(size_t i, OpState state) {
    ops_[i].state = state;
    ledger_.Set(i, ops_[i]);
  }
  // The op of `kind` on `case_id` with `digest` (SIZE_MAX if none).
  size_t Find(OpKind kind, const std::string& case_id, const std::string& digest) {
    for (size_t i : mine_) {
      const Op& o = ops_[i];
      if (o.kind == kind && o.digest == digest &&
          (kind == OpKind::kFileCase || o.case_id == case_id)) {
        return i;
      }
    }
    return SIZE_MAX;
  }

 private:
  Ledger& ledger_;
  std::vector<Op> ops_;
  std::vector<size_t> mine_;
};

// A present `i` is fine; an in-flight one becomes present; anything else
// (absent earlier, or no such op) is a failure.
void Seen(View& v, size_t i, const std::string& what) {
  if (i == SIZE_MAX) {
    ADD_FAILURE() << what << " that was never sent";
    return;
  }
  if (v.op(i).state == OpState::kInFlight) v.Resolve(i, OpState::kPresent);
  if (v.op(i).state == OpState::kAbsent) {
    ADD_FAILURE() << what << " that was found absent after an earlier crash";
  }
}

// Every op of `kind` on `case_id` not in `seen`: lost if it took effect,
// else absent.
void Unseen(View& v, OpKind kind, const std::string& case_id, const std::set<size_t>& seen) {
  for (size_t i : v.mine()) {
    Op& o = v.op(i);
    if (o.kind != kind || o.case_id != case_id || seen.count(i) > 0) continue;
    if (TookEffect(o)) {
      ADD_FAILURE() << "lost an acknowledged " << ActionOf(kind) << " on case " << case_id
                    << " (round " << o.round << ")";
    } else if (o.state == OpState::kInFlight) {
      v.Resolve(i, OpState::kAbsent);
    }
  }
}

void CheckCase(View& v, const v1::Case& c, size_t file_op) {
  EXPECT_EQ(CaseDigest(c), v.op(file_op).digest)
      << "case " << c.id() << " differs from what was sent (round " << v.op(file_op).round << ")";
  std::set<size_t> seen;
  for (const v1::Note& n : c.notes()) {
    const size_t i = v.Find(OpKind::kAddNote, c.id(), NoteDigest(c.id(), n.author(), n.text()));
    Seen(v, i, "a note on case " + c.id());
    seen.insert(i);
  }
  Unseen(v, OpKind::kAddNote, c.id(), seen);

  seen.clear();
  std::set<size_t> updates_seen;
  for (const v1::Step& s : c.steps()) {
    const std::string d = StepDigest(s);
    size_t add = SIZE_MAX;
    for (size_t i : v.mine()) {
      const Op& o = v.op(i);
      if (o.kind == OpKind::kAddStep && o.case_id == c.id() &&
          (o.step_id == s.id() || (o.step_id.empty() && o.digest == d))) {
        add = i;
      }
    }
    size_t update = SIZE_MAX;
    for (size_t i : v.mine()) {
      if (v.op(i).kind == OpKind::kUpdateStep && v.op(i).target == add) update = i;
    }
    if (add != SIZE_MAX && v.op(add).step_id.empty()) {
      Op o = v.op(add);
      o.step_id = s.id();
      v.op(add) = o;
    }
    seen.insert(add);
    if (add == SIZE_MAX) {
      ADD_FAILURE() << "step " << s.id() << " on case " << c.id() << " was never sent";
      continue;
    }
    if (update != SIZE_MAX && d == v.op(update).digest) {
      Seen(v, add, "a step");
      Seen(v, update, "a step update");
      updates_seen.insert(update);
    } else if (d == v.op(add).digest) {
      Seen(v, add, "a step");
    } else {
      ADD_FAILURE() << "step " << s.id() << " on case " << c.id()
                    << " matches neither its AddStep nor its UpdateStep";
    }
  }
  Unseen(v, OpKind::kAddStep, c.id(), seen);
  Unseen(v, OpKind::kUpdateStep, c.id(), updates_seen);
}

template <typename Stub, typename Req, typename Resp>
grpc::Status Call(Stub& stub, grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                  const std::string& token, const Req& req, Resp* out) {
  return (stub.*method)(Authed(token).get(), req, out);
}

}  // namespace

void CheckCases(const ChildServer& server, Ledger& ledger, std::vector<ClientSlot>& slots,
                int round, size_t sample, std::mt19937_64& rng) {
  for (ClientSlot& slot : slots) {
    SCOPED_TRACE("client " + slot.user);
    const auto channel = server.NewChannel();
    auto cases = v1::CaseService::NewStub(channel);
    auto steps = v1::StepService::NewStub(channel);
    const std::string token = SignIn(channel, slot.user, slot.password);
    View v(ledger, slot.user);

    // Every case listed is one that was sent; every acknowledged one is listed.
    std::set<std::string> listed;
    v1::ListCasesRequest list;
    list.set_page_size(100);
    do {
      v1::ListCasesResponse page;
      const grpc::Status s = Call(*cases, &v1::CaseService::Stub::ListCases, token, list, &page);
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const auto& summary : page.cases()) listed.insert(summary.id());
      list.set_page_token(page.next_page_token());
    } while (!list.page_token().empty());
    std::map<std::string, size_t> file_op;  // case id -> its FileCase
    std::set<std::string> detail;            // cases to read back
    std::vector<std::string> older;
    for (size_t i : v.mine()) {
      const Op& o = v.op(i);
      if (o.kind == OpKind::kFileCase && TookEffect(o)) file_op[o.case_id] = i;
      if (o.round == round && !o.case_id.empty()) detail.insert(o.case_id);
    }
    for (const std::string& id : listed) {
      if (file_op.count(id) > 0) continue;
      v1::GetCaseRequest get;
      get.set_case_id(id);
      v1::Case c;
      ASSERT_TRUE(Call(*cases, &v1::CaseService::Stub::GetCase, token, get, &c).ok());
      const size_t i = v.Find(OpKind::kFileCase, "", CaseDigest(c));
      Seen(v, i, "case " + id);
      if (i == SIZE_MAX) continue;
      Op o = v.op(i);
      o.case_id = id;
      v.op(i) = o;
      ledger.Set(i, o);
      file_op[id] = i;
      detail.insert(id);
    }
    for (const auto& [id, i] : file_op) {
      if (listed.count(id) == 0) {
        ADD_FAILURE() << "lost acknowledged case " << id << " (round " << v.op(i).round << ")";
      } else if (detail.count(id) == 0) {
        older.push_back(id);
      }
    }
    for (size_t i : v.mine()) {  // FileCases in flight and not found
      if (v.op(i).kind == OpKind::kFileCase && v.op(i).state == OpState::kInFlight) {
        v.Resolve(i, OpState::kAbsent);
      }
    }
    std::shuffle(older.begin(), older.end(), rng);
    older.resize(std::min(older.size(), sample));
    detail.insert(older.begin(), older.end());

    for (const std::string& id : detail) {
      if (file_op.count(id) == 0) continue;  // reported above
      v1::GetCaseRequest get;
      get.set_case_id(id);
      v1::Case c;
      const grpc::Status s = Call(*cases, &v1::CaseService::Stub::GetCase, token, get, &c);
      ASSERT_TRUE(s.ok()) << id << ": " << s.error_message();
      CheckCase(v, c, file_op[id]);
    }
    // Write back step ids learned from present steps.
    for (size_t i : v.mine()) ledger.Set(i, v.op(i));

    // Every step of every case the client works is one that was sent.
    std::set<std::string> known_steps;
    for (size_t i : v.mine()) {
      if (v.op(i).kind == OpKind::kAddStep && TookEffect(v.op(i))) {
        known_steps.insert(v.op(i).step_id);
      }
    }
    v1::ListStepsRequest step_list;
    step_list.set_page_size(200);
    do {
      v1::ListStepsResponse page;
      const grpc::Status s =
          Call(*steps, &v1::StepService::Stub::ListSteps, token, step_list, &page);
      ASSERT_TRUE(s.ok()) << s.error_message();
      for (const auto& step : page.steps()) {
        EXPECT_EQ(known_steps.count(step.id()), 1u)
            << "step " << step.id() << " on case " << step.case_id() << " was never sent";
      }
      step_list.set_page_token(page.next_page_token());
    } while (!step_list.page_token().empty());
  }
}

void CheckAuditEntries(const std::vector<AuditRow>& rows, const std::vector<Op>& ops,
                       const std::function<std::string(const std::string&)>& case_ref) {
  using Key = std::tuple<std::string, std::string, std::string>;  // actor, action, case
  std::map<Key, int64_t> expected, found;
  std::set<std::string> actors;
  for (const Op& op : ops) {
    actors.insert(op.actor);
    if (TookEffect(op)) ++expected[{op.actor, ActionOf(op.kind), case_ref(op.case_id)}];
  }
  const std::set<std::string> actions = {"case.file", "case.note", "step.add", "step.update"};
  for (const AuditRow& r : rows) {
    if (r.outcome == "ok" && actions.count(r.action) > 0 && actors.count(r.actor) > 0) {
      ++found[{r.actor, r.action, r.case_ref}];
    }
  }
  for (const auto& [key, n] : expected) {
    const auto it = found.find(key);
    EXPECT_EQ(it == found.end() ? 0 : it->second, n)
        << "audit entries of " << std::get<0>(key) << " " << std::get<1>(key) << " on case "
        << std::get<2>(key).substr(0, 8);
  }
  for (const auto& [key, n] : found) {
    EXPECT_GT(expected.count(key), 0u)
        << n << " audit entries of " << std::get<0>(key) << " " << std::get<1>(key)
        << " on case " << std::get<2>(key).substr(0, 8) << " for operations that did not happen";
  }
}

}  // namespace casevault::testing
