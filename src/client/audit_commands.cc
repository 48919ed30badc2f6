// audit export | proof | checkpoint | case-ref: the commands that ask the
// server (audit verify, offline, is in audit_verify_command.cc).
#include <chrono>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "audit/checkpoint.h"
#include "audit/entry.h"
#include "audit/proof.h"
#include "client/audit_key.h"
#include "client/commands.h"
#include "client/error_report.h"
#include "client/export_writer.h"

namespace casevault::client {
namespace {

absl::StatusOr<uint64_t> ParseCount(const std::string& flag, const std::string& text) {
  uint64_t value = 0;
  const bool digits_only =
      !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits_only || !absl::SimpleAtoi(text, &value)) {
    return ClientError(ExitCode::kUsage,
                       absl::StrCat(flag, " must be a whole number from 0 to 2^64-1"));
  }
  return value;
}

absl::Status NotVerified(absl::string_view what) {
  return ClientError(ExitCode::kVerificationFailed, absl::StrCat("verification failed: ", what));
}

// "\rexported 12345/1000000 entries" on standard error, when it is a
// terminal, at most ten times a second.
class ExportProgress {
 public:
  explicit ExportProgress(CommandContext& context)
      : err_(context.err()), enabled_(context.err_is_terminal()) {}
  ~ExportProgress() {
    if (shown_) err_ << "\n" << std::flush;
  }
  void Update(uint64_t done, uint64_t total) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && done != total && now - last_ < std::chrono::milliseconds(100)) return;
    err_ << "\rexported " << done << "/" << total << " entries" << std::flush;
    shown_ = true;
    last_ = now;
  }

 private:
  std::ostream& err_;
  const bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_;
};

// The key to check a checkpoint with: --key when given (`*independent` set),
// else the one the server sent along.
absl::StatusOr<audit::NoteVerifierKey> KeyFor(const std::string& option,
                                              const v1::SignedCheckpoint& checkpoint,
                                              bool* independent) {
  *independent = !option.empty();
  if (*independent) return LoadVerifierKey(option);
  absl::StatusOr<audit::NoteVerifierKey> key = audit::ParseVerifierKey(checkpoint.verifier_key());
  if (!key.ok()) return NotVerified("the server sent no valid verifier key; give --key");
  return key;
}

// Opens the server's signed checkpoint under `key` and checks that its
// fields say what the signed text says.
absl::StatusOr<audit::Checkpoint> OpenServerCheckpoint(const v1::SignedCheckpoint& signed_cp,
                                                       const audit::NoteVerifierKey& key) {
  absl::StatusOr<audit::Checkpoint> checkpoint =
      audit::OpenCheckpoint(signed_cp.signed_note(), key);
  if (!checkpoint.ok()) {
    return NotVerified(absl::StrCat(
        "the checkpoint: ", PrintableText(std::string(checkpoint.status().message()), false)));
  }
  if (checkpoint->origin != key.name) {
    return NotVerified("the checkpoint's origin is not the key's name");
  }
  if (checkpoint->size != signed_cp.size() ||
      (!signed_cp.root_hash().empty() &&
       signed_cp.root_hash() != audit::HashBytes(checkpoint->root))) {
    return NotVerified("the checkpoint's size or root differ from what its note signs");
  }
  return checkpoint;
}

std::string KeySource(bool independent) {
  return independent ? "the key given with --key"
                     : "the key the server sent (not an independent check: give --key with the "
                       "published verifier key)";
}

}  // namespace

absl::Status RunAuditExport(const AuditExportOptions& options, CommandContext& context) {
  if (options.out.empty()) return ClientError(ExitCode::kUsage, "--out must not be empty");
  absl::StatusOr<uint64_t> from = ParseCount("--from", options.from);
  if (!from.ok()) return from.status();
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  absl::StatusOr<std::unique_ptr<ExportWriter>> writer = ExportWriter::Create(options.out, *from);
  if (!writer.ok()) return writer.status();

  v1::ExportLogRequest request;
  request.set_from_index(*from);
  {
    ExportProgress progress(context);
    absl::Status streamed =
        (*api)->ExportLog(request, [&](const v1::ExportLogChunk& chunk) -> absl::Status {
          if (absl::Status s = (*writer)->Add(chunk); !s.ok()) return s;
          progress.Update((*writer)->entries_written(), (*writer)->total_entries());
          return absl::OkStatus();
        });
    if (!streamed.ok()) return streamed;  // the writer removes FILE.tmp
  }
  if (absl::Status s = (*writer)->Commit(); !s.ok()) return s;

  const audit::Checkpoint& checkpoint = (*writer)->checkpoint();
  const uint64_t entries = (*writer)->entries_written();
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"file", options.out},
                               {"from", *from},
                               {"entries", entries},
                               {"checkpoint_size", checkpoint.size},
                               {"origin", checkpoint.origin}});
  } else {
    context.out() << "exported " << entries << " entries";
    if (entries > 0) context.out() << " (seq " << *from << " to " << checkpoint.size - 1 << ")";
    context.out() << " and the checkpoint of size " << checkpoint.size << " to "
                  << PrintableText(options.out, false) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunAuditProof(const AuditProofOptions& options, CommandContext& context) {
  absl::StatusOr<uint64_t> index = ParseCount("--index", options.index);
  if (!index.ok()) return index.status();
  uint64_t size = 0;
  if (!options.size.empty()) {
    absl::StatusOr<uint64_t> parsed = ParseCount("--size", options.size);
    if (!parsed.ok()) return parsed.status();
    size = *parsed;
    if (size == 0) return ClientError(ExitCode::kUsage, "--size must be more than 0");
  }
  if (!options.key.empty()) {  // a bad --key is a usage error, before any call
    if (absl::Status s = LoadVerifierKey(options.key).status(); !s.ok()) return s;
  }
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::GetInclusionProofRequest request;
  request.set_index(*index);
  request.set_tree_size(size);
  absl::StatusOr<v1::InclusionProof> proof = (*api)->GetInclusionProof(request);
  if (!proof.ok()) return proof.status();
  if (!proof->has_checkpoint()) {
    return ClientError(
        ExitCode::kNotFound,
        absl::StrCat("the server has no signed checkpoint of size ", proof->tree_size(),
                     " to check the proof against; omit --size to use the latest"));
  }
  bool independent = false;
  absl::StatusOr<audit::NoteVerifierKey> key =
      KeyFor(options.key, proof->checkpoint(), &independent);
  if (!key.ok()) return key.status();
  absl::StatusOr<audit::Checkpoint> checkpoint = OpenServerCheckpoint(proof->checkpoint(), *key);
  if (!checkpoint.ok()) return checkpoint.status();
  if (proof->index() != *index || proof->tree_size() != checkpoint->size ||
      (size != 0 && proof->tree_size() != size)) {
    return NotVerified(absl::StrCat(
        "the server answered for entry ", proof->index(), " in a tree of ", proof->tree_size(),
        " entries, not for entry ", *index, size != 0 ? absl::StrCat(" of ", size) : ""));
  }
  absl::StatusOr<audit::AuditEntry> entry = audit::ParseEntry(proof->entry());
  if (!entry.ok() || entry->seq != *index) {
    return NotVerified(
        absl::StrCat("the server's entry ", *index, " is not a valid entry ", "with that seq"));
  }
  audit::InclusionProof inclusion;
  inclusion.leaf_index = *index;
  inclusion.tree_size = checkpoint->size;
  for (const std::string& bytes : proof->hashes()) {
    absl::StatusOr<audit::Hash> hash = audit::HashFromBytes(bytes);
    if (!hash.ok()) return NotVerified("a proof hash is not 32 bytes");
    inclusion.hashes.push_back(*hash);
  }
  if (absl::Status s =
          audit::VerifyInclusion(inclusion, audit::LeafHash(proof->entry()), checkpoint->root);
      !s.ok()) {
    return NotVerified(absl::StrCat("the inclusion proof of entry ", *index,
                                    " does not lead to the root signed for size ", checkpoint->size,
                                    ": ", s.message()));
  }

  if (context.format() == OutputFormat::kJson) {
    nlohmann::ordered_json doc = {
        {"index", *index},
        {"entry", nlohmann::ordered_json::parse(proof->entry(), nullptr, false)},
        {"checkpoint_size", checkpoint->size},
        {"origin", checkpoint->origin},
        {"root", audit::HashHex(checkpoint->root)},
        {"key", audit::FormatVerifierKey(*key)},
        {"key_source", independent ? "option" : "server"}};
    context.out() << JsonText(doc);
  } else {
    context.out() << PrintableText(proof->entry(), false) << "\n"
                  << "included in checkpoint of size " << checkpoint->size << " of "
                  << PrintableText(checkpoint->origin, false) << ", signature checked with "
                  << KeySource(independent) << "\n";
  }
  return absl::OkStatus();
}

absl::Status RunAuditCheckpoint(const AuditCheckpointOptions& options, CommandContext& context) {
  if (!options.key.empty()) {
    if (absl::Status s = LoadVerifierKey(options.key).status(); !s.ok()) return s;
  }
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::GetCheckpointRequest request;
  request.set_sign_now(options.sign_now);
  absl::StatusOr<v1::SignedCheckpoint> signed_cp = (*api)->GetCheckpoint(request);
  if (!signed_cp.ok()) return signed_cp.status();
  bool independent = false;
  absl::StatusOr<audit::NoteVerifierKey> key = KeyFor(options.key, *signed_cp, &independent);
  if (!key.ok()) return key.status();
  absl::StatusOr<audit::Checkpoint> checkpoint = OpenServerCheckpoint(*signed_cp, *key);
  if (!checkpoint.ok()) return checkpoint.status();
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"size", checkpoint->size},
                               {"origin", checkpoint->origin},
                               {"root", audit::HashHex(checkpoint->root)},
                               {"signed_note", signed_cp->signed_note()},
                               {"verifier_key", signed_cp->verifier_key()},
                               {"key_source", independent ? "option" : "server"}});
  } else {
    // Verbatim, so that `> FILE` makes a file for `audit verify --previous`.
    // It opened as a note: UTF-8 with no control character but LF.
    context.out() << signed_cp->signed_note();
  }
  return absl::OkStatus();
}

absl::Status RunAuditCaseRef(const std::string& case_id, CommandContext& context) {
  if (case_id.empty()) return ClientError(ExitCode::kUsage, "the case ID must not be empty");
  absl::StatusOr<std::unique_ptr<ServerApi>> api = context.SignedIn();
  if (!api.ok()) return api.status();
  v1::LookupCaseReferenceRequest request;
  request.set_case_id(case_id);
  absl::StatusOr<v1::CaseReference> reference = (*api)->LookupCaseReference(request);
  if (!reference.ok()) {
    if (ExitCodeOf(reference.status()) != ExitCode::kNotFound) return reference.status();
    return ClientError(ExitCode::kNotFound, absl::StrCat("case ", PrintableText(case_id, false),
                                                         " not found (or not yours to see)"));
  }
  if (context.format() == OutputFormat::kJson) {
    context.out() << JsonText({{"case_id", case_id}, {"case_ref", reference->case_ref()}});
  } else {
    context.out() << PrintableText(reference->case_ref(), false) << "\n";
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
