#include "client/connection.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <filesystem>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "client/error_report.h"
#include "client/secret_input.h"

namespace casevault::client {
namespace {

constexpr size_t kMaxCaFileBytes = 1024 * 1024;
constexpr double kMaxTimeoutSeconds = 3600;

absl::Status BadTarget(absl::string_view target) {
  return ClientError(ExitCode::kUsage,
                     absl::StrCat("--server must be HOST:PORT, not \"",
                                  PrintableText(std::string(target), false), "\""));
}

// True when `pem` holds at least one certificate block whose body is base64
// of something shaped like DER (a SEQUENCE). gRPC turns a corrupt CA into a
// vague "empty address list", so catch the common damage here.
bool HasPlausibleCertificate(const std::string& pem) {
  constexpr absl::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  constexpr absl::string_view kEnd = "-----END CERTIFICATE-----";
  size_t pos = 0;
  while ((pos = pem.find(kBegin.data(), pos, kBegin.size())) != std::string::npos) {
    const size_t body = pos + kBegin.size();
    const size_t end = pem.find(kEnd.data(), body, kEnd.size());
    if (end == std::string::npos) return false;
    std::string base64;
    for (size_t i = body; i < end; ++i) {
      if (!absl::ascii_isspace(static_cast<unsigned char>(pem[i]))) base64 += pem[i];
    }
    std::string der;
    if (absl::Base64Unescape(base64, &der) && der.size() >= 64 &&
        static_cast<unsigned char>(der[0]) == 0x30) {
      return true;
    }
    pos = end;
  }
  return false;
}

absl::StatusOr<std::string> ReadCa(const std::string& path) {
  std::istringstream no_stdin;
  absl::StatusOr<std::string> pem = ReadInputFile(path, "CA file", kMaxCaFileBytes, no_stdin);
  if (!pem.ok()) return ClientError(ExitCode::kTls, pem.status().message());
  if (!HasPlausibleCertificate(*pem)) {
    return ClientError(ExitCode::kTls,
                       absl::StrCat("CA file ", path, " holds no valid PEM certificate"));
  }
  return pem;
}

absl::Status InsecureRefused(const std::string& host) {
  return ClientError(ExitCode::kUsage,
                     absl::StrCat("--insecure-loopback is only allowed for a loopback server "
                                  "(localhost, 127.0.0.1, ::1), not ",
                                  PrintableText(host, false)));
}

std::string Absolute(const std::string& path) {
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(path, ec);
  return ec ? path : absolute.lexically_normal().string();
}

}  // namespace

absl::StatusOr<std::string> HostOfTarget(std::string_view target_text) {
  const absl::string_view target(target_text.data(), target_text.size());
  absl::string_view host;
  absl::string_view port;
  if (absl::StartsWith(target, "[")) {
    const size_t close = target.find("]:");
    if (close == absl::string_view::npos) return BadTarget(target);
    host = target.substr(1, close - 1);
    port = target.substr(close + 2);
  } else {
    const size_t colon = target.rfind(':');
    if (colon == absl::string_view::npos) return BadTarget(target);
    host = target.substr(0, colon);
    port = target.substr(colon + 1);
    if (absl::StrContains(host, ':')) return BadTarget(target);  // bare IPv6
  }
  int port_number = 0;
  if (host.empty() || port.empty() || !absl::SimpleAtoi(port, &port_number) ||
      port_number < 1 || port_number > 65535 || port.find_first_not_of("0123456789") !=
                                                    absl::string_view::npos) {
    return BadTarget(target);
  }
  for (char c : host) {
    if (absl::ascii_isspace(static_cast<unsigned char>(c)) || c == '/' || c == '@' ||
        static_cast<unsigned char>(c) < 0x20) {
      return BadTarget(target);
    }
  }
  return std::string(host);
}

bool IsLoopbackHost(std::string_view host) {
  const std::string text(host);
  if (absl::EqualsIgnoreCase(text, "localhost")) return true;
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return std::memcmp(&v6, &in6addr_loopback, sizeof v6) == 0;
  }
  return false;
}

absl::Status ValidateConnectionFlags(const ConnectionFlags& flags) {
  if (!(flags.timeout_seconds > 0 && flags.timeout_seconds <= kMaxTimeoutSeconds)) {
    return ClientError(ExitCode::kUsage, "--timeout must be more than 0 and at most 3600 seconds");
  }
  if (flags.insecure_loopback && !flags.ca_path.empty()) {
    return ClientError(ExitCode::kUsage, "--insecure-loopback and --ca exclude each other");
  }
  if (flags.server.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> host = HostOfTarget(flags.server);
  if (!host.ok()) return host.status();
  if (flags.insecure_loopback && !IsLoopbackHost(*host)) return InsecureRefused(*host);
  return absl::OkStatus();
}

absl::StatusOr<Connection> ResolveConnection(const ConnectionFlags& flags,
                                             const std::optional<Session>& session,
                                             const EnvLookup& env) {
  Connection connection;
  if (!flags.server.empty()) {
    connection.target = flags.server;
  } else if (session.has_value()) {
    connection.target = session->server;
  } else if (auto from_env = env("CASEVAULT_SERVER"); from_env.has_value() && !from_env->empty()) {
    connection.target = *from_env;
  } else {
    connection.target = kDefaultServer;
  }
  absl::StatusOr<std::string> host = HostOfTarget(connection.target);
  if (!host.ok()) return host.status();

  if (absl::Status valid = ValidateConnectionFlags(flags); !valid.ok()) return valid;
  connection.timeout_seconds = flags.timeout_seconds;

  if (flags.insecure_loopback) {
    if (!IsLoopbackHost(*host)) return InsecureRefused(*host);
    connection.insecure_loopback = true;
    return connection;
  }

  std::string ca_path = flags.ca_path;
  if (ca_path.empty()) {
    if (auto from_env = env("CASEVAULT_CA"); from_env.has_value() && !from_env->empty()) {
      ca_path = *from_env;
    } else if (session.has_value()) {
      ca_path = session->ca_path;
    }
  }
  if (ca_path.empty()) {
    return ClientError(ExitCode::kTls,
                       "no CA certificate to check the server with; pass --ca PATH or set "
                       "CASEVAULT_CA");
  }
  connection.ca_path = Absolute(ca_path);
  absl::StatusOr<std::string> pem = ReadCa(connection.ca_path);
  if (!pem.ok()) return pem.status();
  connection.ca_pem = std::move(*pem);
  return connection;
}

}  // namespace casevault::client
