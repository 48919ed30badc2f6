// How the client fails: every failure is an absl::Status that carries the
// exit code to use and a message written for the person at the terminal.
// The one place that turns a grpc::Status into such a failure.
#ifndef CASEVAULT_CLIENT_ERROR_REPORT_H_
#define CASEVAULT_CLIENT_ERROR_REPORT_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "client/exit_codes.h"
#include "grpcpp/support/status.h"

namespace casevault::client {

// What ABORTED says: someone changed the case (or the step) since the
// caller read its version. Commands that know the case say which one.
inline constexpr char kReloadMessage[] =
    "the case changed since you loaded it; reload it (casevault case show CASE_ID) and try "
    "again";

// A failure with an explicit exit code. `message` is what follows
// "casevault: "; it may hold further lines (each starting with two spaces)
// that detail the first one.
absl::Status ClientError(ExitCode code, absl::string_view message);

// The exit code for `status`: the one given to ClientError, otherwise the
// code the status would have if it came from the server. kOk for OK.
ExitCode ExitCodeOf(const absl::Status& status);

// The failure for a call that ended with `status` (which must not be OK),
// addressed to the server `target` (HOST:PORT, named in connection errors).
// INVALID_ARGUMENT gets one "  <field>: <description>" line per
// google.rpc.BadRequest field violation found in status.error_details().
// When the details hold a google.rpc.ErrorInfo of domain "casevault.v1"
// whose reason is an UPPER_SNAKE_CASE code (PERMISSION_DENIED carries one),
// the first line ends in " (reason: CODE)" and ReasonOf() returns the code.
// Text that came from the server is stripped of control characters.
absl::Status FromGrpcStatus(const grpc::Status& status, std::string_view target);

// The reason code of the first casevault.v1 ErrorInfo in `error_details` (a
// serialized google.rpc.Status); "" when there is none, the bytes do not
// parse, or the reason is not an UPPER_SNAKE_CASE code of at most 64
// characters.
std::string ErrorInfoReason(const std::string& error_details);

// The server's reason code carried by a failure from FromGrpcStatus; "".
std::string ReasonOf(const absl::Status& status);

// The gRPC code of a failure from FromGrpcStatus; nullopt for any other.
std::optional<grpc::StatusCode> ServerCodeOf(const absl::Status& status);

// `failure` with another message (a command that knows better what went
// wrong), keeping its exit code, reason code and gRPC code.
absl::Status Reworded(const absl::Status& failure, absl::string_view message);

// "  <field>: <description>" for every field violation of every BadRequest
// in `error_details` (a serialized google.rpc.Status). Empty when there are
// none or the bytes do not parse.
std::vector<std::string> FieldViolationLines(const std::string& error_details);

// What goes to stderr for a failure: "casevault: <message>\n" plus the detail
// lines, each ending in a newline.
std::string FailureText(const absl::Status& status);

// `text` with control characters (C0 other than tab and, when `multiline`,
// LF; DEL; C1) replaced by U+FFFD, so that text from the server cannot move
// the cursor or recolour a terminal. Invalid UTF-8 bytes are replaced too.
std::string PrintableText(std::string_view text, bool multiline);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_ERROR_REPORT_H_
