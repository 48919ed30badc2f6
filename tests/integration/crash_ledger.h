// What the crash harness's clients sent: every write operation with a
// SHA-256 digest of its content, and what became of it (acknowledged, or in
// flight when the server died and then found present or absent after the
// restart).
#ifndef CASEVAULT_TESTS_INTEGRATION_CRASH_LEDGER_H_
#define CASEVAULT_TESTS_INTEGRATION_CRASH_LEDGER_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"

namespace casevault::testing {

enum class OpKind { kFileCase, kAddNote, kAddStep, kUpdateStep };
enum class OpState {
  kInFlight,  // sent, no answer yet (or an error: it may have been applied)
  kAcked,     // the server answered OK
  kPresent,   // was in flight at the kill, found applied after the restart
  kAbsent,    // was in flight at the kill, found not applied
};

// The audit action of an operation ("case.file", ...).
const char* ActionOf(OpKind kind);

struct Op {
  OpKind kind = OpKind::kFileCase;
  std::string actor;
  int round = 0;
  std::string case_id;  // FileCase: known once acked or found present
  std::string step_id;  // AddStep: known once acked or found present
  std::string digest;   // of the content sent (hex SHA-256)
  // AddStep: the digest of the step as UpdateStep would leave it, once an
  // update is sent (UpdateStep ops point back with `target`).
  size_t target = SIZE_MAX;  // UpdateStep: index of its AddStep op
  OpState state = OpState::kInFlight;
  std::string error;  // the status an unanswered call got
};

// Digests of content, computed the same way from a request and from what
// GetCase returns.
std::string CaseDigest(const std::string& owner, const v1::FileCaseRequest& req);
std::string CaseDigest(const v1::Case& c);
std::string NoteDigest(const std::string& case_id, const std::string& author,
                       const std::string& text);
std::string StepDigest(const std::string& case_id, int kind, const std::string& owner,
                       const std::string& due, int status, const std::string& outcome);
std::string StepDigest(const v1::Step& s);

// Thread-safe list of operations; indexes stay valid.
class Ledger {
 public:
  size_t Begin(Op op);
  void Ack(size_t index, const std::string& case_id, const std::string& step_id = "");
  void Fail(size_t index, const std::string& error);
  // A copy of every operation.
  std::vector<Op> Snapshot() const;
  Op Get(size_t index) const;
  void Set(size_t index, const Op& op);
  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::vector<Op> ops_;
};

// Totals over a ledger, for the report.
struct LedgerCounts {
  int64_t acked = 0, present = 0, absent = 0, in_flight = 0;
  std::map<std::string, int64_t> acked_by_action;
};
LedgerCounts Count(const std::vector<Op>& ops);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_CRASH_LEDGER_H_
