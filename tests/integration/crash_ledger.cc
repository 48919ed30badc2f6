#include "crash_ledger.h"

#include <string_view>

#include "crypto/digest.h"

namespace casevault::testing {
namespace {

// Length-prefixed fields, so that no two field lists hash alike.
class Fields {
 public:
  Fields& Add(std::string_view value) {
    hasher_.Update(std::to_string(value.size()) + ":");
    hasher_.Update(value);
    return *this;
  }
  Fields& Add(int64_t value) { return Add(std::to_string(value)); }
  std::string Hex() {
    const crypto::Sha256Digest d = hasher_.Finish();
    return crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
  }

 private:
  crypto::Sha256Hasher hasher_;
};

}  // namespace

const char* ActionOf(OpKind kind) {
  switch (kind) {
    case OpKind::kFileCase: return "case.file";
    case OpKind::kAddNote: return "case.note";
    case OpKind::kAddStep: return "step.add";
    case OpKind::kUpdateStep: return "step.update";
  }
  return "";
}

std::string CaseDigest(const std::string& owner, const v1::FileCaseRequest& req) {
  std::string bytes;
  req.SerializeToString(&bytes);  // no maps: the encoding is deterministic
  return Fields().Add("case").Add(owner).Add(bytes).Hex();
}

std::string CaseDigest(const v1::Case& c) {
  v1::FileCaseRequest req;
  req.set_incident_type(c.incident_type());
  req.set_context(c.context());
  req.set_severity(c.severity());
  req.set_incident_date(c.incident_date());
  req.set_place(c.place());
  req.set_reporter_type(c.reporter_type());
  if (c.has_victim()) *req.mutable_victim() = c.victim();
  if (c.has_perpetrator()) *req.mutable_perpetrator() = c.perpetrator();
  req.set_narrative(c.narrative());
  return CaseDigest(c.owner(), req);
}

std::string NoteDigest(const std::string& case_id, const std::string& author,
                       const std::string& text) {
  return Fields().Add("note").Add(case_id).Add(author).Add(text).Hex();
}

std::string StepDigest(const std::string& case_id, int kind, const std::string& owner,
                       const std::string& due, int status, const std::string& outcome) {
  return Fields().Add("step").Add(case_id).Add(kind).Add(owner).Add(due).Add(status)
      .Add(outcome).Hex();
}

std::string StepDigest(const v1::Step& s) {
  return StepDigest(s.case_id(), s.kind(), s.owner(), s.due_date(), s.status(), s.outcome());
}

size_t Ledger::Begin(Op op) {
  std::lock_guard<std::mutex> lock(mu_);
  ops_.push_back(std::move(op));
  return ops_.size() - 1;
}

void Ledger::Ack(size_t index, const std::string& case_id, const std::string& step_id) {
  std::lock_guard<std::mutex> lock(mu_);
  Op& op = ops_[index];
  op.state = OpState::kAcked;
  if (!case_id.empty()) op.case_id = case_id;
  if (!step_id.empty()) op.step_id = step_id;
}

void Ledger::Fail(size_t index, const std::string& error) {
  std::lock_guard<std::mutex> lock(mu_);
  ops_[index].error = error;
}

std::vector<Op> Ledger::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ops_;
}

Op Ledger::Get(size_t index) const {
  std::lock_guard<std::mutex> lock(mu_);
  return ops_[index];
}

void Ledger::Set(size_t index, const Op& op) {
  std::lock_guard<std::mutex> lock(mu_);
  ops_[index] = op;
}

size_t Ledger::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return ops_.size();
}

LedgerCounts Count(const std::vector<Op>& ops) {
  LedgerCounts c;
  for (const Op& op : ops) {
    switch (op.state) {
      case OpState::kAcked:
        ++c.acked;
        ++c.acked_by_action[ActionOf(op.kind)];
        break;
      case OpState::kPresent: ++c.present; break;
      case OpState::kAbsent: ++c.absent; break;
      case OpState::kInFlight: ++c.in_flight; break;
    }
  }
  return c;
}

}  // namespace casevault::testing
