// audit verify: offline. No server, no session: the export file, the
// verifier key and optionally an older checkpoint or export.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>

#include "absl/strings/str_cat.h"
#include "audit/merkle.h"
#include "client/audit_key.h"
#include "client/commands.h"
#include "client/error_report.h"
#include "client/export_verifier.h"

namespace casevault::client {
namespace {

// Opens `path` for one unbuffered pass: the verifier reads in 1 MiB blocks
// of its own.
absl::Status OpenForReading(const std::string& path, std::string_view what, std::ifstream* in) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    return ClientError(ExitCode::kLocalFile, absl::StrCat("cannot read ", std::string(what), " ",
                                                          path, ": it is a directory"));
  }
  in->rdbuf()->pubsetbuf(nullptr, 0);
  in->open(path, std::ios::in | std::ios::binary);
  if (!in->is_open()) {
    return ClientError(ExitCode::kLocalFile, absl::StrCat("cannot read ", std::string(what), " ",
                                                          path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// A verifier failure as the client reports it: DATA_LOSS is a failed
// verification (exit code 12), anything else a file that could not be read.
absl::Status Failed(const absl::Status& status, const std::string& what) {
  const std::string message = PrintableText(std::string(status.message()), false);
  if (status.code() == absl::StatusCode::kDataLoss) {
    return ClientError(ExitCode::kVerificationFailed,
                       absl::StrCat("verification failed: ", what, ": ", message));
  }
  return ClientError(ExitCode::kLocalFile, absl::StrCat("cannot read ", what, ": ", message));
}

}  // namespace

absl::Status RunAuditVerify(const AuditVerifyOptions& options, CommandContext& context) {
  if (options.file.empty()) return ClientError(ExitCode::kUsage, "the export FILE is missing");
  absl::StatusOr<audit::NoteVerifierKey> key = LoadVerifierKey(options.key);
  if (!key.ok()) return key.status();

  std::optional<PreviousCheckpoint> previous;
  if (!options.previous.empty()) {
    std::ifstream in;
    if (absl::Status s = OpenForReading(options.previous, "previous file", &in); !s.ok()) {
      return s;
    }
    absl::StatusOr<PreviousCheckpoint> read = ReadPreviousCheckpoint(in, *key);
    if (!read.ok()) return Failed(read.status(), absl::StrCat("--previous ", options.previous));
    previous = std::move(*read);
  }

  std::ifstream in;
  if (absl::Status s = OpenForReading(options.file, "export file", &in); !s.ok()) return s;
  absl::StatusOr<VerifiedExport> verified =
      VerifyExport(in, *key, previous.has_value() ? &previous->checkpoint : nullptr);
  if (!verified.ok()) return Failed(verified.status(), options.file);

  const audit::Checkpoint& checkpoint = verified->checkpoint;
  if (context.format() == OutputFormat::kJson) {
    nlohmann::ordered_json doc = {
        {"verified", true},
        {"file", options.file},
        {"from", verified->from},
        {"entries", verified->entries},
        {"checkpoint_size", checkpoint.size},
        {"origin", checkpoint.origin},
        {"root", audit::HashHex(checkpoint.root)},
        {"previous_size", nullptr},
    };
    if (previous.has_value()) doc["previous_size"] = previous->checkpoint.size;
    context.out() << JsonText(doc);
    return absl::OkStatus();
  }
  context.out() << "verified: " << verified->entries << " entries, checkpoint size "
                << checkpoint.size << ", origin " << PrintableText(checkpoint.origin, false)
                << "\n";
  if (previous.has_value()) {
    context.out() << "consistent with the previous checkpoint of size " << previous->checkpoint.size
                  << " (the log only grew)\n";
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
