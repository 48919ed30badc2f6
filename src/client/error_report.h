// How the client fails: every failure is an absl::Status that carries the
// exit code to use and a message written for the person at the terminal.
// The one place that turns a grpc::Status into such a failure.
#ifndef CASEVAULT_CLIENT_ERROR_REPORT_H_
#define CASEVAULT_CLIENT_ERROR_REPORT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "client/exit_codes.h"
#include "grpcpp/support/status.h"

namespace casevault::client {

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
// Text that came from the server is stripped of control characters.
absl::Status FromGrpcStatus(const grpc::Status& status, std::string_view target);

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
