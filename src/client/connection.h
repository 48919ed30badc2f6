// Which server to talk to and how: the target, the CA that vouches for it,
// the per-call timeout. Resolved once per run from flags, the environment
// and the saved session.
#ifndef CASEVAULT_CLIENT_CONNECTION_H_
#define CASEVAULT_CLIENT_CONNECTION_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "client/session_file.h"

namespace casevault::client {

inline constexpr char kDefaultServer[] = "localhost:7443";
inline constexpr double kDefaultTimeoutSeconds = 10;

// The global flags, as given ("" / false when not given).
struct ConnectionFlags {
  std::string server;
  std::string ca_path;
  bool insecure_loopback = false;
  double timeout_seconds = kDefaultTimeoutSeconds;
};

struct Connection {
  std::string target;            // HOST:PORT
  std::string ca_path;           // absolute; "" with insecure_loopback
  std::string ca_pem;            // contents of ca_path
  bool insecure_loopback = false;
  double timeout_seconds = kDefaultTimeoutSeconds;
};

// The host part of "HOST:PORT" or "[IPv6]:PORT". kUsage when `target` is not
// of that form or the port is not 1..65535.
absl::StatusOr<std::string> HostOfTarget(std::string_view target);

// True for "localhost", 127.0.0.0/8 and ::1.
bool IsLoopbackHost(std::string_view host);

// The checks of the global flags that need nothing else (kUsage): --server
// is HOST:PORT, --timeout is sane, --insecure-loopback names no remote host
// and comes without --ca. Run first, so that a usage error is reported as
// one whatever the state of the session.
absl::Status ValidateConnectionFlags(const ConnectionFlags& flags);

// The connection for this run:
//  - target: --server, else the session's server, else $CASEVAULT_SERVER,
//    else localhost:7443;
//  - CA: --ca, else $CASEVAULT_CA, else the path saved at login; its file
//    must exist and hold a PEM certificate (kTls otherwise);
//  - --insecure-loopback (plaintext, no CA) only for a loopback host (kUsage
//    otherwise) and not together with --ca;
//  - timeout: must be in (0, 3600] seconds (kUsage otherwise).
absl::StatusOr<Connection> ResolveConnection(const ConnectionFlags& flags,
                                             const std::optional<Session>& session,
                                             const EnvLookup& env);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_CONNECTION_H_
