// Linked into test binaries that ctest also runs with
// CASEVAULT_REPLAY_BATCHES=1 (tests/CMakeLists.txt): then every batch of
// every store in the process is rolled back once it has run without
// savepoints and run again with them (sqlcipher_store.cc, G4), so each
// Write() callback runs twice and the suite shows callbacks are safe to
// re-run (store.h, Store::Write).
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "gtest/gtest.h"
#include "storage/store_testing.h"

namespace casevault {
namespace {

class ReplayBatchesEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* value = std::getenv("CASEVAULT_REPLAY_BATCHES");
    if (value != nullptr && std::strcmp(value, "1") == 0) {
      storage::ReplayEveryBatchForTest(true);
      std::fprintf(stderr,
                   "casevault tests: every store batch runs twice "
                   "(CASEVAULT_REPLAY_BATCHES=1)\n");
    }
  }
};

const ::testing::Environment* const kReplayBatches =
    ::testing::AddGlobalTestEnvironment(new ReplayBatchesEnvironment);

}  // namespace
}  // namespace casevault
