#include "crash_load.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "casevault/v1/audit.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "casevault/v1/coordination.grpc.pb.h"
#include "harness.h"

namespace casevault::testing {
namespace {

std::unique_ptr<grpc::ClientContext> Context(const std::string& token) {
  auto ctx = Authed(token);
  ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(15));
  return ctx;
}

}  // namespace

std::string DueDate(uint64_t n) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(2027 + n / 336),
                static_cast<int>(1 + (n / 28) % 12), static_cast<int>(1 + n % 28));
  return buf;
}

Load::Load(const ChildServer& server, Ledger& ledger, std::vector<ClientSlot>& slots,
           const std::string& auditor_password, int round, uint64_t seed)
    : server_(server), ledger_(ledger), slots_(slots),
      auditor_password_(auditor_password), round_(round), seed_(seed) {}

Load::~Load() { StopAndJoin(); }

bool Load::Start() {
  std::vector<std::string> tokens;
  for (const ClientSlot& slot : slots_) {
    tokens.push_back(SignIn(server_.NewChannel(), slot.user, slot.password));
    if (tokens.back().empty()) return false;
  }
  const std::string auditor = SignIn(server_.NewChannel(), "auditor", auditor_password_);
  if (auditor.empty()) return false;
  for (size_t i = 0; i < slots_.size(); ++i) {
    threads_.emplace_back(&Load::RunClient, this, i, tokens[i], seed_ * 31 + i);
  }
  threads_.emplace_back(&Load::RunAuditor, this, auditor);
  return true;
}

void Load::StopAndJoin() {
  stop_ = true;
  for (auto& t : threads_) t.join();
  threads_.clear();
}

std::string Load::latest_checkpoint() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoint_;
}

void Load::RunAuditor(std::string token) {
  auto audit = v1::AuditService::NewStub(server_.NewChannel());
  while (!stop_) {
    v1::GetCheckpointRequest req;
    req.set_sign_now(true);
    v1::SignedCheckpoint cp;
    if (!audit->GetCheckpoint(Context(token).get(), req, &cp).ok()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (cp.size() >= checkpoint_size_) {
        checkpoint_size_ = cp.size();
        checkpoint_ = cp.signed_note();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void Load::RunClient(size_t index, std::string token, uint64_t seed) {
  ClientSlot& slot = slots_[index];
  std::mt19937_64 rng(seed);
  auto channel = server_.NewChannel();
  auto cases = v1::CaseService::NewStub(channel);
  auto steps = v1::StepService::NewStub(channel);
  // Runs one call recorded as `op`; false once calls fail.
  auto record = [&](Op op, auto&& call, auto&& on_ok) {
    op.actor = slot.user;
    op.round = round_;
    const size_t i = ledger_.Begin(std::move(op));
    ++sent_;
    const grpc::Status s = call();
    if (s.ok()) {
      on_ok(i);
      return true;
    }
    ledger_.Fail(i, std::to_string(s.error_code()) + " " + s.error_message());
    // Before the kill, no call may fail; after it, any may.
    if (!killed_ && slot.unexpected.empty()) {
      slot.unexpected = std::to_string(s.error_code()) + " " + s.error_message();
    }
    return false;
  };
  bool alive = true;
  while (alive && !stop_) {
    const uint64_t n = slot.counter++;
    const int pick = static_cast<int>(rng() % 100);
    const std::string marker = "#r" + std::to_string(round_) + "c" + std::to_string(index) +
                               "n" + std::to_string(n);
    if (slot.cases.empty() || pick < 40) {
      v1::FileCaseRequest req = SampleCase(marker);
      Op op;
      op.kind = OpKind::kFileCase;
      op.digest = CaseDigest(slot.user, req);
      v1::Case out;
      alive = record(
          op, [&] { return cases->FileCase(Context(token).get(), req, &out); },
          [&](size_t i) {
            ledger_.Ack(i, out.id());
            slot.cases.push_back(out.id());
          });
    } else if (pick < 70 || (pick >= 85 && slot.steps.empty())) {
      v1::AddNoteRequest req;
      req.set_case_id(slot.cases[rng() % slot.cases.size()]);
      req.set_text("Ghi chú buổi gặp: em đã bình tĩnh hơn, cần theo dõi tiếp " + marker);
      Op op;
      op.kind = OpKind::kAddNote;
      op.case_id = req.case_id();
      op.digest = NoteDigest(req.case_id(), slot.user, req.text());
      v1::Note out;
      alive = record(
          op, [&] { return cases->AddNote(Context(token).get(), req, &out); },
          [&](size_t i) { ledger_.Ack(i, req.case_id(), out.id()); });
    } else if (pick < 85) {
      v1::AddStepRequest req;
      req.set_case_id(slot.cases[rng() % slot.cases.size()]);
      req.set_kind(v1::STEP_KIND_COUNSELING_SESSION);
      req.set_owner(slot.user);
      req.set_due_date(DueDate(n));
      Op op;
      op.kind = OpKind::kAddStep;
      op.case_id = req.case_id();
      op.digest = StepDigest(req.case_id(), req.kind(), slot.user, req.due_date(),
                             v1::STEP_STATUS_PLANNED, "");
      v1::Step out;
      alive = record(
          op, [&] { return steps->AddStep(Context(token).get(), req, &out); },
          [&](size_t i) {
            ledger_.Ack(i, req.case_id(), out.id());
            slot.steps.push_back({i, out.id(), out.version(), req.due_date()});
          });
    } else {
      const size_t k = rng() % slot.steps.size();
      const ClientSlot::PendingStep pending = slot.steps[k];
      slot.steps.erase(slot.steps.begin() + static_cast<long>(k));  // one update each
      const Op added = ledger_.Get(pending.add_op);
      v1::UpdateStepRequest req;
      req.set_step_id(pending.step_id);
      req.set_version(pending.version);
      req.set_status(v1::STEP_STATUS_IN_PROGRESS);
      req.set_outcome("Đã gặp em lần đầu, lập kế hoạch an toàn " + marker);
      v1::Step out;
      Op op;
      op.kind = OpKind::kUpdateStep;
      op.case_id = added.case_id;
      op.step_id = pending.step_id;
      op.target = pending.add_op;
      // The step as the update leaves it: same kind, owner and due date.
      op.digest = StepDigest(added.case_id, v1::STEP_KIND_COUNSELING_SESSION, slot.user,
                             pending.due, v1::STEP_STATUS_IN_PROGRESS, req.outcome());
      alive = record(
          op, [&] { return steps->UpdateStep(Context(token).get(), req, &out); },
          [&](size_t i) { ledger_.Ack(i, added.case_id, pending.step_id); });
    }
  }
}

}  // namespace casevault::testing
