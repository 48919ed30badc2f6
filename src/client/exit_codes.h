// The exit codes of the `casevault` client. Scripts depend on these numbers:
// never renumber one; add new ones at the end. Documented in docs/client.md.
#ifndef CASEVAULT_CLIENT_EXIT_CODES_H_
#define CASEVAULT_CLIENT_EXIT_CODES_H_

namespace casevault::client {

enum class ExitCode : int {
  kOk = 0,
  // Anything not covered below: INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED,
  // CANCELLED, and local failures that "cannot happen".
  kInternal = 1,
  // Bad flags or arguments (including every CLI11 parse error), a secret
  // offered on argv, no terminal to prompt on and no other source given.
  kUsage = 2,
  // Not signed in, session expired or revoked, sign-in refused
  // (UNAUTHENTICATED).
  kUnauthenticated = 3,
  // PERMISSION_DENIED.
  kPermissionDenied = 4,
  // NOT_FOUND (also what the server answers for a case the caller may not
  // see).
  kNotFound = 5,
  // INVALID_ARGUMENT and OUT_OF_RANGE; the server's google.rpc.BadRequest
  // field violations are printed one per line after the first line.
  kInvalidInput = 6,
  // ABORTED (someone changed the case or step since it was loaded: reload
  // it and try again), ALREADY_EXISTS.
  kConflict = 7,
  // UNAVAILABLE, DEADLINE_EXCEEDED: the server could not be reached in time.
  kUnavailable = 8,
  // The CA file is missing, unreadable or not PEM; the TLS handshake failed.
  kTls = 9,
  // A local file: input file missing, unreadable, too large or bad JSON;
  // session file unsafe, unreadable or not writable.
  kLocalFile = 10,
  // RESOURCE_EXHAUSTED: the server cannot take the request now (too many
  // sign-ins at once) or is rate limiting.
  kRateLimited = 11,
  // `audit verify`, `audit proof`, `audit checkpoint`: the export, proof or
  // checkpoint does not verify (bad signature, an entry altered, missing,
  // swapped or added, a truncated file, the log shrank or was rewritten,
  // an export that nothing signed anchors).
  kVerificationFailed = 12,
  // FAILED_PRECONDITION: not possible in the case's current state (a
  // transition the lifecycle does not allow, a referral without consent in
  // force, a step already done...). Reloading does not help.
  kNotPossible = 13,
};

// The last code; ExitCodeOf trusts no number above it.
inline constexpr ExitCode kLastExitCode = ExitCode::kNotPossible;

inline int ToInt(ExitCode code) { return static_cast<int>(code); }

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_EXIT_CODES_H_
