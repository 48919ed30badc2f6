// The audit export file (docs/audit-log.md, "Export file"): a header line,
// one entry per line, then the signed checkpoint note verbatim.
//
//   header = '{"format":"casevault-audit-export/v1","from":' from
//            ',"frontier":[' [hash *("," hash)] ']}'
//   hash   = '"' 64 lower-case hex digits '"'
//
// Shared by the writer (`casevault audit export`) and the offline verifier,
// so that both agree on the one canonical spelling of the header. Pure: no
// I/O, no gRPC.
#ifndef CASEVAULT_CLIENT_EXPORT_FILE_H_
#define CASEVAULT_CLIENT_EXPORT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "audit/merkle.h"

namespace casevault::client {

inline constexpr char kExportFormat[] = "casevault-audit-export/v1";
// `from` is below 2^63, so the frontier holds at most 63 hashes and the
// header is shorter than this.
inline constexpr size_t kMaxExportHeaderBytes = 8 * 1024;

struct ExportHeader {
  uint64_t from = 0;
  std::vector<audit::Hash> frontier;  // popcount(from) hashes, largest first
};

// The header line, without its line feed.
std::string FormatExportHeader(uint64_t from, const std::vector<audit::Hash>& frontier);

// Parses line 1 of an export (without its line feed). InvalidArgument, saying
// what is wrong, unless `line` is exactly FormatExportHeader of the values it
// holds: no white space, keys in order, no leading zeros, `from` < 2^63,
// lower-case hex, popcount(from) hashes.
absl::StatusOr<ExportHeader> ParseExportHeader(std::string_view line);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_EXPORT_FILE_H_
