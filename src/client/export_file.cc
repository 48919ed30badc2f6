#include "client/export_file.h"

#include <cstring>
#include <limits>

#include "absl/numeric/bits.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace casevault::client {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::string_view kPrefix = "{\"format\":\"casevault-audit-export/v1\",\"from\":";
constexpr std::string_view kFrontierKey = ",\"frontier\":[";
constexpr std::string_view kSuffix = "]}";
constexpr uint64_t kMaxFrom = uint64_t{1} << 63;

absl::Status NotCanonical(absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(
      "not the canonical export header (", what,
      "); expected {\"format\":\"casevault-audit-export/v1\",\"from\":N,\"frontier\":[...]} "
      "with no white space"));
}

int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string FormatExportHeader(uint64_t from, const std::vector<audit::Hash>& frontier) {
  std::string out;
  out.reserve(kPrefix.size() + 20 + kFrontierKey.size() + frontier.size() * 67 + 2);
  out.append(kPrefix);
  absl::StrAppend(&out, from);
  out.append(kFrontierKey);
  for (size_t i = 0; i < frontier.size(); ++i) {
    if (i > 0) out.push_back(',');
    out.push_back('"');
    for (uint8_t byte : frontier[i]) {
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0xF]);
    }
    out.push_back('"');
  }
  out.append(kSuffix);
  return out;
}

absl::StatusOr<ExportHeader> ParseExportHeader(std::string_view line) {
  if (line.size() > kMaxExportHeaderBytes) return NotCanonical("too long");
  if (line.substr(0, kPrefix.size()) != kPrefix) {
    return NotCanonical("it does not start with the format and \"from\"");
  }
  size_t pos = kPrefix.size();
  const size_t digits_start = pos;
  ExportHeader header;
  while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9') {
    const uint64_t digit = static_cast<uint64_t>(line[pos] - '0');
    if (header.from > (kMaxFrom - 1 - digit) / 10) return NotCanonical("\"from\" is 2^63 or more");
    header.from = header.from * 10 + digit;
    ++pos;
  }
  if (pos == digits_start) return NotCanonical("\"from\" is not a decimal integer");
  if (pos - digits_start > 1 && line[digits_start] == '0') {
    return NotCanonical("\"from\" has a leading zero");
  }
  if (line.substr(pos, kFrontierKey.size()) != kFrontierKey) {
    return NotCanonical("\"frontier\" does not follow \"from\"");
  }
  pos += kFrontierKey.size();
  while (pos < line.size() && line[pos] != ']') {
    if (!header.frontier.empty()) {
      if (line[pos] != ',') return NotCanonical("frontier hashes not separated by one comma");
      ++pos;
    }
    // '"' 64 lower-case hex digits '"'
    if (line.size() - pos < 66 || line[pos] != '"' || line[pos + 65] != '"') {
      return NotCanonical("a frontier hash is not 64 hex digits in quotes");
    }
    audit::Hash hash;
    for (size_t i = 0; i < audit::kHashSize; ++i) {
      const int high = LowerHexValue(line[pos + 1 + 2 * i]);
      const int low = LowerHexValue(line[pos + 2 + 2 * i]);
      if (high < 0 || low < 0) return NotCanonical("a frontier hash is not lower-case hex");
      hash[i] = static_cast<uint8_t>(high * 16 + low);
    }
    header.frontier.push_back(hash);
    pos += 66;
    if (header.frontier.size() > 64) return NotCanonical("too many frontier hashes");
  }
  if (line.substr(pos) != kSuffix) return NotCanonical("it does not end with ]}");
  if (header.frontier.size() != static_cast<size_t>(absl::popcount(header.from))) {
    return absl::InvalidArgumentError(
        absl::StrCat("the header's frontier has ", header.frontier.size(), " hashes; a tree of ",
                     header.from, " entries has ", absl::popcount(header.from)));
  }
  // Belt and braces: the one spelling, byte for byte.
  if (FormatExportHeader(header.from, header.frontier) != line) return NotCanonical("re-encoded");
  return header;
}

}  // namespace casevault::client
