#include "client/error_report.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/utf8.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace casevault::client {
namespace {

constexpr char kExitCodePayload[] = "casevault.client/exit-code";
constexpr char kReasonPayload[] = "casevault.client/reason";
constexpr char kGrpcCodePayload[] = "casevault.client/grpc-code";
// The ErrorInfo domain of the casevault server's reason codes.
constexpr char kErrorDomain[] = "casevault.v1";
constexpr size_t kMaxReasonLength = 64;
constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD
// Longest server message we repeat; the rest is cut at a code point.
constexpr size_t kMaxServerMessage = 200;

// The exit code for a canonical status code (absl and gRPC share numbers).
ExitCode ExitCodeForCanonical(int code) {
  switch (static_cast<absl::StatusCode>(code)) {
    case absl::StatusCode::kOk: return ExitCode::kOk;
    case absl::StatusCode::kUnauthenticated: return ExitCode::kUnauthenticated;
    case absl::StatusCode::kPermissionDenied: return ExitCode::kPermissionDenied;
    case absl::StatusCode::kNotFound: return ExitCode::kNotFound;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange: return ExitCode::kInvalidInput;
    case absl::StatusCode::kAborted:
    case absl::StatusCode::kAlreadyExists: return ExitCode::kConflict;
    case absl::StatusCode::kFailedPrecondition: return ExitCode::kNotPossible;
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded: return ExitCode::kUnavailable;
    case absl::StatusCode::kResourceExhausted: return ExitCode::kRateLimited;
    default: return ExitCode::kInternal;
  }
}

// An absl code that matches `exit` in spirit, so that a ClientError still
// reads sensibly to code that only looks at the canonical code.
absl::StatusCode CanonicalFor(ExitCode exit) {
  switch (exit) {
    case ExitCode::kOk: return absl::StatusCode::kOk;
    case ExitCode::kUsage: return absl::StatusCode::kInvalidArgument;
    case ExitCode::kUnauthenticated: return absl::StatusCode::kUnauthenticated;
    case ExitCode::kPermissionDenied: return absl::StatusCode::kPermissionDenied;
    case ExitCode::kNotFound: return absl::StatusCode::kNotFound;
    case ExitCode::kInvalidInput: return absl::StatusCode::kInvalidArgument;
    case ExitCode::kConflict: return absl::StatusCode::kAborted;
    case ExitCode::kUnavailable: return absl::StatusCode::kUnavailable;
    case ExitCode::kTls: return absl::StatusCode::kUnavailable;
    case ExitCode::kLocalFile: return absl::StatusCode::kFailedPrecondition;
    case ExitCode::kRateLimited: return absl::StatusCode::kResourceExhausted;
    case ExitCode::kVerificationFailed: return absl::StatusCode::kDataLoss;
    case ExitCode::kNotPossible: return absl::StatusCode::kFailedPrecondition;
    case ExitCode::kInternal: break;
  }
  return absl::StatusCode::kInternal;
}

// Length of the UTF-8 sequence that starts with `lead`, 0 if none does.
size_t SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

// The server's message made safe for one line, cut to a sane length.
std::string ServerMessage(const grpc::Status& status) {
  std::string text = PrintableText(status.error_message(), false);
  if (text.size() > kMaxServerMessage) {
    size_t cut = kMaxServerMessage;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    text.resize(cut);
    text += "...";
  }
  return std::string(absl::StripAsciiWhitespace(text));
}

std::string WithReason(absl::string_view first, const std::string& reason) {
  if (reason.empty()) return std::string(first);
  return absl::StrCat(first, ": ", reason);
}

// A reason code as the server writes them: UPPER_SNAKE_CASE, short.
bool IsReasonCode(const std::string& reason) {
  if (reason.empty() || reason.size() > kMaxReasonLength) return false;
  if (!absl::ascii_isupper(static_cast<unsigned char>(reason[0]))) return false;
  for (char c : reason) {
    if (!absl::ascii_isupper(static_cast<unsigned char>(c)) &&
        !absl::ascii_isdigit(static_cast<unsigned char>(c)) && c != '_') {
      return false;
    }
  }
  return true;
}

// `message` with " (reason: CODE)" after its first line, when there is a
// reason.
std::string WithReasonCode(const std::string& message, const std::string& code) {
  if (code.empty()) return message;
  const size_t end = message.find('\n');
  if (end == std::string::npos) return absl::StrCat(message, " (reason: ", code, ")");
  return absl::StrCat(message.substr(0, end), " (reason: ", code, ")", message.substr(end));
}

bool LooksLikeTlsFailure(const std::string& message) {
  std::string lower = absl::AsciiStrToLower(message);
  for (const char* word : {"handshake", "ssl", "certificate", "tsi_", "tls"}) {
    if (absl::StrContains(lower, word)) return true;
  }
  return false;
}

}  // namespace

absl::Status ClientError(ExitCode code, absl::string_view message) {
  absl::Status status(CanonicalFor(code), message);
  status.SetPayload(kExitCodePayload, absl::Cord(absl::StrCat(ToInt(code))));
  return status;
}

ExitCode ExitCodeOf(const absl::Status& status) {
  if (status.ok()) return ExitCode::kOk;
  auto payload = status.GetPayload(kExitCodePayload);
  int value = 0;
  if (payload.has_value() && absl::SimpleAtoi(std::string(*payload), &value) &&
      value > 0 && value <= ToInt(kLastExitCode)) {
    return static_cast<ExitCode>(value);
  }
  return ExitCodeForCanonical(static_cast<int>(status.code()));
}

std::vector<std::string> FieldViolationLines(const std::string& error_details) {
  std::vector<std::string> lines;
  google::rpc::Status rpc_status;
  if (error_details.empty() || !rpc_status.ParseFromString(error_details)) return lines;
  for (const google::protobuf::Any& detail : rpc_status.details()) {
    google::rpc::BadRequest bad_request;
    if (!detail.Is<google::rpc::BadRequest>() || !detail.UnpackTo(&bad_request)) continue;
    for (const auto& violation : bad_request.field_violations()) {
      lines.push_back(absl::StrCat("  ", PrintableText(violation.field(), false), ": ",
                                   PrintableText(violation.description(), false)));
    }
  }
  return lines;
}

static absl::Status FromGrpcStatusWithoutReason(const grpc::Status& status,
                                                std::string_view target_view);

std::string ErrorInfoReason(const std::string& error_details) {
  google::rpc::Status rpc_status;
  if (error_details.empty() || !rpc_status.ParseFromString(error_details)) return "";
  for (const google::protobuf::Any& detail : rpc_status.details()) {
    google::rpc::ErrorInfo info;
    if (!detail.Is<google::rpc::ErrorInfo>() || !detail.UnpackTo(&info)) continue;
    if (info.domain() == kErrorDomain && IsReasonCode(info.reason())) return info.reason();
  }
  return "";
}

std::string ReasonOf(const absl::Status& status) {
  auto payload = status.GetPayload(kReasonPayload);
  if (!payload.has_value()) return "";
  return std::string(*payload);
}

std::optional<grpc::StatusCode> ServerCodeOf(const absl::Status& status) {
  auto payload = status.GetPayload(kGrpcCodePayload);
  int value = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &value)) {
    return std::nullopt;
  }
  return static_cast<grpc::StatusCode>(value);
}

absl::Status Reworded(const absl::Status& failure, absl::string_view message) {
  const std::string reason = ReasonOf(failure);
  absl::Status status =
      ClientError(ExitCodeOf(failure), WithReasonCode(std::string(message), reason));
  if (!reason.empty()) status.SetPayload(kReasonPayload, absl::Cord(reason));
  if (auto code = failure.GetPayload(kGrpcCodePayload)) status.SetPayload(kGrpcCodePayload, *code);
  return status;
}

absl::Status FromGrpcStatus(const grpc::Status& status, std::string_view target_view) {
  absl::Status failure = FromGrpcStatusWithoutReason(status, target_view);
  if (failure.ok()) return failure;
  const std::string reason = ErrorInfoReason(status.error_details());
  if (!reason.empty()) {
    failure =
        ClientError(ExitCodeOf(failure), WithReasonCode(std::string(failure.message()), reason));
    failure.SetPayload(kReasonPayload, absl::Cord(reason));
  }
  failure.SetPayload(kGrpcCodePayload,
                     absl::Cord(absl::StrCat(static_cast<int>(status.error_code()))));
  return failure;
}

static absl::Status FromGrpcStatusWithoutReason(const grpc::Status& status,
                                                std::string_view target_view) {
  const std::string target(target_view);
  const std::string reason = ServerMessage(status);
  const int code = static_cast<int>(status.error_code());
  const ExitCode exit = ExitCodeForCanonical(code);
  switch (status.error_code()) {
    case grpc::StatusCode::OK:
      return ClientError(ExitCode::kInternal, "internal error: a successful call reported as a failure");
    case grpc::StatusCode::UNAUTHENTICATED:
      return ClientError(exit, "not signed in or session expired; run: casevault login");
    case grpc::StatusCode::PERMISSION_DENIED:
      return ClientError(exit, WithReason("permission denied", reason));
    case grpc::StatusCode::NOT_FOUND:
      return ClientError(exit, WithReason("not found", reason));
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::OUT_OF_RANGE: {
      // With field violations the server's message only repeats them.
      const std::vector<std::string> lines = FieldViolationLines(status.error_details());
      std::string message = lines.empty() ? WithReason("invalid input", reason) : "invalid input";
      for (const std::string& line : lines) absl::StrAppend(&message, "\n", line);
      return ClientError(exit, message);
    }
    case grpc::StatusCode::ABORTED:
      return ClientError(exit, kReloadMessage);
    case grpc::StatusCode::ALREADY_EXISTS:
      return ClientError(exit, WithReason("already exists", reason));
    case grpc::StatusCode::FAILED_PRECONDITION:
      return ClientError(exit, WithReason("not possible in the case's current state", reason));
    case grpc::StatusCode::UNAVAILABLE:
      if (LooksLikeTlsFailure(status.error_message())) {
        return ClientError(ExitCode::kTls,
                           absl::StrCat("TLS handshake with ", target,
                                        " failed: the server certificate is not signed by the "
                                        "given CA or does not name this host"));
      }
      return ClientError(exit, absl::StrCat("cannot reach the server at ", target));
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return ClientError(exit, absl::StrCat("cannot reach the server at ", target,
                                            " (no answer before the timeout)"));
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      if (absl::StrContains(status.error_message(), "larger than max")) {
        return ClientError(ExitCode::kInvalidInput, "the request or its answer is too large");
      }
      return ClientError(
          exit, WithReason("the server cannot take this now; wait a few seconds and try again",
                           reason));
    case grpc::StatusCode::CANCELLED:
      return ClientError(exit, "the request was cancelled");
    case grpc::StatusCode::UNIMPLEMENTED:
      return ClientError(exit, absl::StrCat("the server at ", target,
                                            " does not support this request (version mismatch?)"));
    default:
      return ClientError(exit, WithReason("the server failed to handle the request", reason));
  }
}

std::string FailureText(const absl::Status& status) {
  std::string text;
  bool first = true;
  for (absl::string_view line : absl::StrSplit(status.message(), '\n')) {
    absl::StrAppend(&text, first ? "casevault: " : "", line, "\n");
    first = false;
  }
  return text;
}

std::string PrintableText(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = SequenceLength(c);
    if (length == 0 || i + length > text.size() ||
        !IsValidUtf8(text.substr(i, length))) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (length == 1) {
      const bool allowed = c == '\t' || (multiline && c == '\n') || (c >= 0x20 && c != 0x7F);
      if (allowed) {
        out += static_cast<char>(c);
      } else {
        out += kReplacement;
      }
    } else if (c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out += kReplacement;  // C1 control character
    } else {
      out.append(text.substr(i, length));
    }
    i += length;
  }
  return out;
}

}  // namespace casevault::client
