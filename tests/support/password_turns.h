// Holding a password hasher's only turn while a call runs, for the tests
// of PasswordHashConcurrency (crypto) and of sign-ins turned away
// (domain). Header-only: only test binaries that link the crypto layer
// include it.
#ifndef CASEVAULT_TESTS_SUPPORT_PASSWORD_TURNS_H_
#define CASEVAULT_TESTS_SUPPORT_PASSWORD_TURNS_H_

#include <atomic>
#include <chrono>
#include <thread>

#include "crypto/password_hasher.h"

namespace casevault::testing {

// Limits that make one hash take tens of milliseconds: long enough to be
// seen running and to be waited for.
inline constexpr crypto::PasswordHashLimits kSlowHash{2, 32u << 20};

// `parallel` turns; at most `max_waiting` wait, each at most `max_wait`.
inline crypto::PasswordHashConcurrency Turns(
    int parallel, int max_waiting,
    std::chrono::milliseconds max_wait = std::chrono::seconds(30)) {
  crypto::PasswordHashConcurrency c;
  c.parallel = parallel;
  c.max_waiting = max_waiting;
  c.max_wait = max_wait;
  return c;
}

// Waits up to 5 s for `condition`; its last value.
template <typename Condition>
bool Eventually(Condition condition) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!condition() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  return condition();
}

// Runs `call` while another thread's hash holds a turn of `hasher` (whose
// `parallel` is 1 and whose limits make a hash take tens of ms). True once
// `call` ran entirely inside that hash; a try where the hash ended first is
// repeated, up to 20 times.
template <typename Call>
bool DuringAHeldTurn(const crypto::PasswordHasher& hasher, Call call) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::atomic<bool> held_done{false};
    std::thread holder([&] {
      (void)hasher.Hash("held");
      held_done = true;
    });
    bool inside = false;
    if (Eventually([&] { return hasher.running() == 1 || held_done; }) &&
        !held_done) {
      call();
      inside = !held_done;
    }
    holder.join();
    if (inside) return true;
  }
  return false;
}

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_SUPPORT_PASSWORD_TURNS_H_
