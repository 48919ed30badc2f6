// The crash harness's load: several client threads, each with its own TLS
// channel and signed-in counselor account, filing cases, adding notes,
// adding steps and updating them, every operation recorded in a Ledger
// before it is sent; and an auditor thread fetching signed checkpoints.
#ifndef CASEVAULT_TESTS_INTEGRATION_CRASH_LOAD_H_
#define CASEVAULT_TESTS_INTEGRATION_CRASH_LOAD_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "child_process.h"
#include "crash_ledger.h"

namespace casevault::testing {

// One client's state across rounds.
struct ClientSlot {
  std::string user, password;
  std::vector<std::string> cases;  // acknowledged cases it owns
  struct PendingStep {
    size_t add_op;  // the AddStep in the ledger
    std::string step_id;
    int64_t version;
    std::string due;
  };
  std::vector<PendingStep> steps;  // acknowledged steps not yet updated
  uint64_t counter = 0;            // makes markers and due dates unique
  std::string unexpected;          // an error no crash explains
};

class Load {
 public:
  Load(const ChildServer& server, Ledger& ledger, std::vector<ClientSlot>& slots,
       const std::string& auditor_password, int round, uint64_t seed);
  ~Load();

  // Signs every client in (false on failure), then starts the threads.
  bool Start();
  // Says the server is about to be killed: calls may fail from now on.
  void NoteKill() { killed_ = true; }
  // Tells the threads to stop and waits for them (after a kill they stop
  // at their first failed call).
  void StopAndJoin();

  // The signed checkpoint with the largest size fetched so far ("" if none).
  std::string latest_checkpoint() const;
  int64_t operations_sent() const { return sent_.load(); }

 private:
  void RunClient(size_t slot, std::string token, uint64_t seed);
  void RunAuditor(std::string token);

  const ChildServer& server_;
  Ledger& ledger_;
  std::vector<ClientSlot>& slots_;
  std::string auditor_password_;
  int round_;
  uint64_t seed_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> killed_{false};
  std::atomic<int64_t> sent_{0};
  std::vector<std::thread> threads_;
  mutable std::mutex mu_;
  std::string checkpoint_;
  uint64_t checkpoint_size_ = 0;
};

// A due date that is unique for each `n` < 9000.
std::string DueDate(uint64_t n);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_CRASH_LOAD_H_
