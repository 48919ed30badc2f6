// The crash harness's checks after a restart: nothing acknowledged is
// lost, nothing appears that was never sent, an operation in flight at the
// kill is wholly there or wholly absent, and the audit log holds exactly one
// entry for each operation that took effect. Failures are reported with
// ADD_FAILURE; in-flight operations are resolved in the ledger (present or
// absent) as they are found.
#ifndef CASEVAULT_TESTS_INTEGRATION_CRASH_CHECK_H_
#define CASEVAULT_TESTS_INTEGRATION_CRASH_CHECK_H_

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "child_process.h"
#include "crash_ledger.h"
#include "crash_load.h"
#include "routing_audit.h"

namespace casevault::testing {

// Lists each slot's cases (every page) and steps, reads back with GetCase
// every case this round touched plus `sample` older ones per client, and
// compares digests with the ledger.
void CheckCases(const ChildServer& server, Ledger& ledger,
                std::vector<ClientSlot>& slots, int round, size_t sample,
                std::mt19937_64& rng);

// For each (actor, action, case reference) of the four write actions, the
// log's "ok" entries are exactly the operations that took effect (acked or
// found present).
void CheckAuditEntries(const std::vector<AuditRow>& rows, const std::vector<Op>& ops,
                       const std::function<std::string(const std::string&)>& case_ref);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_INTEGRATION_CRASH_CHECK_H_
