#include "client/export_verifier.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "audit/entry.h"
#include "audit/merkle.h"
#include "client/entry_checker.h"
#include "client/export_file.h"
#include "client/line_reader.h"

namespace casevault::client {
namespace {

using audit::Checkpoint;
using audit::Hash;

absl::Status Fault(absl::string_view what) { return absl::DataLossError(what); }

absl::Status LineFault(uint64_t line, absl::string_view what) {
  return Fault(absl::StrCat("line ", line, ": ", what));
}

absl::Status ReadError() { return absl::InternalError("cannot read the file"); }

// "lines A-B" (or "line A") of the entries with seq [first, last].
std::string EntryLines(uint64_t from, uint64_t first_seq, uint64_t last_seq) {
  const uint64_t a = first_seq - from + 2;
  const uint64_t b = last_seq - from + 2;
  return a == b ? absl::StrCat("line ", a) : absl::StrCat("lines ", a, "-", b);
}

// Opens a signed checkpoint note under `key` and checks its origin.
absl::StatusOr<Checkpoint> OpenNote(std::string_view note, const audit::NoteVerifierKey& key) {
  absl::StatusOr<Checkpoint> checkpoint = audit::OpenCheckpoint(note, key);
  if (!checkpoint.ok()) return Fault(checkpoint.status().message());
  if (checkpoint->origin != key.name) {
    return Fault(absl::StrCat("the checkpoint is for the log \"", checkpoint->origin,
                              "\", the key for \"", key.name, "\""));
  }
  return checkpoint;
}

class Verification {
 public:
  Verification(std::istream& in, const audit::NoteVerifierKey& key, const Checkpoint* previous,
               bool need_anchor)
      : reader_(in, kVerifyBufferBytes),
        key_(key),
        previous_(previous),
        need_anchor_(need_anchor) {}

  absl::StatusOr<VerifiedExport> Run() {
    if (absl::Status s = Header(); !s.ok()) return s;
    if (absl::Status s = Entries(); !s.ok()) return s;
    if (absl::Status s = Note(); !s.ok()) return s;
    if (absl::Status s = Previous(); !s.ok()) return s;
    VerifiedExport result;
    result.from = from_;
    result.entries = frontier_.size() - from_;
    result.checkpoint = std::move(checkpoint_);
    if (previous_ != nullptr) result.previous = *previous_;
    return result;
  }

 private:
  // Step 1, and the anchor of step 4 when the file starts at from > 0.
  absl::Status Header() {
    std::string_view line;
    switch (reader_.Next(kMaxExportHeaderBytes, &line)) {
      case LineReader::Result::kLine:
        break;
      case LineReader::Result::kEnd:
        return LineFault(1, "the file is empty");
      case LineReader::Result::kUnterminated:
        return LineFault(1, "the file ends inside the export header");
      case LineReader::Result::kTooLong:
        return LineFault(1, "not an export header (too long)");
      case LineReader::Result::kReadError:
        return ReadError();
    }
    absl::StatusOr<ExportHeader> header = ParseExportHeader(line);
    if (!header.ok()) return LineFault(1, header.status().message());
    from_ = header->from;
    absl::StatusOr<audit::Frontier> frontier =
        audit::Frontier::FromHashes(from_, std::move(header->frontier));
    if (!frontier.ok()) return LineFault(1, frontier.status().message());
    frontier_ = std::move(*frontier);
    if (from_ > 0 && need_anchor_) {
      if (previous_ == nullptr) {
        return LineFault(
            1, absl::StrCat("the export starts at entry ", from_,
                            ", and nothing signed vouches for the ", from_,
                            " entries before it; give --previous with the checkpoint of size ",
                            from_, " (or the export that ends there), or export from 0"));
      }
      if (previous_->size == from_ && previous_->root != frontier_.Root()) {
        return LineFault(
            1,
            absl::StrCat(
                "the header's frontier (the log before entry ", from_,
                ") does not lead to the previous checkpoint's root: the log was rewritten before "
                "this export's first entry"));
      }
    }
    CaptureRootAtPrevious();
    return absl::OkStatus();
  }

  void CaptureRootAtPrevious() {
    if (previous_ != nullptr && frontier_.size() == previous_->size) {
      root_at_previous_ = frontier_.Root();
    }
  }

  // Step 2. The entries' own checks run on the checker's thread; a fault
  // found here is reported only if the checker found none before it.
  absl::Status Entries() {
    for (;;) {
      const int next = reader_.Peek();
      if (next < 0) {
        if (reader_.read_error()) return ReadError();
        const std::string what =
            frontier_.size() == from_
                ? std::string("the file ends after the header, without the signed checkpoint")
                : absl::StrCat("the file ends after entry seq ", frontier_.size() - 1,
                               ", without the signed checkpoint (truncated?)");
        return AfterChecker(LineFault(line_ + 1, what));
      }
      if (next != '{') return AfterChecker(absl::OkStatus());  // the note begins
      ++line_;
      const uint64_t seq = frontier_.size();
      std::string_view entry;
      switch (reader_.Next(audit::kMaxEntryBytes, &entry)) {
        case LineReader::Result::kLine:
          break;
        case LineReader::Result::kTooLong:
          return AfterChecker(EntryFault(seq, "longer than 16 KiB, not an entry"));
        case LineReader::Result::kUnterminated:
          return AfterChecker(EntryFault(
              seq, "the file ends inside this entry (truncated); no signed checkpoint follows"));
        case LineReader::Result::kEnd:
        case LineReader::Result::kReadError:
          return AfterChecker(ReadError());
      }
      checker_.Add(entry, line_, seq);
      if (checker_.failed()) return checker_.Finish();
      frontier_.Append(audit::LeafHash(entry));
      CaptureRootAtPrevious();
    }
  }

  absl::Status EntryFault(uint64_t seq, absl::string_view what) const {
    return Fault(absl::StrCat("line ", line_, " (entry seq ", seq, "): ", what));
  }

  // The checker's first fault (on an earlier line) if any, else `own`.
  absl::Status AfterChecker(absl::Status own) {
    absl::Status checked = checker_.Finish();
    return checked.ok() ? own : checked;
  }

  // Step 3.
  absl::Status Note() {
    const uint64_t note_line = line_ + 1;
    std::string note;
    if (!reader_.ReadRest(audit::kMaxNoteSize, &note)) {
      if (reader_.read_error()) return ReadError();
      return LineFault(note_line, "the checkpoint note is larger than 1 MiB");
    }
    absl::StatusOr<Checkpoint> checkpoint = OpenNote(note, key_);
    if (!checkpoint.ok()) {
      const std::string_view first_line = std::string_view(note).substr(0, note.find('\n'));
      // A damaged line before more entries, or before the real note.
      const bool first_line_complete = first_line.size() < note.size();
      if (first_line_complete && first_line != key_.name &&
          (note.find("\n{") != std::string::npos ||
           note.find(absl::StrCat("\n", key_.name, "\n")) != std::string::npos)) {
        return LineFault(note_line,
                         absl::StrCat("neither an entry (it does not start with '{') nor the "
                                      "start of the signed checkpoint (the origin line \"",
                                      key_.name, "\")"));
      }
      return LineFault(note_line,
                       absl::StrCat("the signed checkpoint: ", checkpoint.status().message()));
    }
    checkpoint_ = std::move(*checkpoint);
    const uint64_t size = frontier_.size();
    if (checkpoint_.size < from_) {
      return LineFault(note_line,
                       absl::StrCat("the checkpoint signs ", checkpoint_.size,
                                    " entries, fewer than where the export starts (", from_, ")"));
    }
    if (checkpoint_.size < size) {
      return Fault(absl::StrCat("the checkpoint (line ", note_line, ") signs ", checkpoint_.size,
                                " entries, but the file holds entries up to seq ", size - 1, ": ",
                                EntryLines(from_, checkpoint_.size, size - 1),
                                " are not covered by the signature (appended?)"));
    }
    if (checkpoint_.size > size) {
      return Fault(absl::StrCat("the checkpoint (line ", note_line, ") signs ", checkpoint_.size,
                                " entries, but the file ends before entry seq ", size,
                                ": entries are missing (removed, or the file was cut)"));
    }
    const Hash root = frontier_.Root();
    if (root != checkpoint_.root) return RootMismatch(root, note_line);
    return absl::OkStatus();
  }

  absl::Status RootMismatch(const Hash& root, uint64_t note_line) const {
    std::string message = absl::StrCat(
        "the rebuilt root of the ", checkpoint_.size, " entries (", audit::HashHex(root),
        ") does not match the root the checkpoint (line ", note_line, ") signs (",
        audit::HashHex(checkpoint_.root), "): ",
        from_ == 0 ? "an entry was altered" : "an entry or the header's frontier was altered",
        "; the file alone cannot say which");
    if (previous_ != nullptr && root_at_previous_.has_value() && previous_->size > from_) {
      const std::string lines = EntryLines(from_, from_, previous_->size - 1);
      if (*root_at_previous_ == previous_->root) {
        absl::StrAppend(&message, "; the first ", previous_->size,
                        " entries match the previous checkpoint, so the fault is after ", lines);
      } else {
        absl::StrAppend(&message, "; the first ", previous_->size,
                        " entries do not match the previous checkpoint either: a fault is "
                        "within ",
                        lines);
      }
    }
    return Fault(message);
  }

  // Steps 4 and 5: the export extends the previous checkpoint.
  absl::Status Previous() const {
    if (previous_ == nullptr) return absl::OkStatus();
    const uint64_t p = previous_->size;
    if (p > checkpoint_.size) {
      return Fault(absl::StrCat("the log shrank: the previous checkpoint has size ", p,
                                ", this export's checkpoint ", checkpoint_.size));
    }
    if (from_ > 0 && p != from_) {
      return LineFault(
          1, absl::StrCat("the previous checkpoint has size ", p,
                          " but the export starts at entry ", from_,
                          ": the file holds no proof linking them; give the checkpoint of size ",
                          from_, ", or export from 0"));
    }
    if (!root_at_previous_.has_value() || *root_at_previous_ != previous_->root) {
      return Fault(absl::StrCat(
          "the tree of the first ", p, " entries (", p == 0 ? "none" : EntryLines(0, 0, p - 1),
          ") does not have the previous checkpoint's root: the log was rewritten since the "
          "previous checkpoint"));
    }
    return absl::OkStatus();
  }

  LineReader reader_;
  const audit::NoteVerifierKey& key_;
  const Checkpoint* previous_;
  const bool need_anchor_;
  EntryChecker checker_;
  uint64_t from_ = 0;
  uint64_t line_ = 1;  // the last line read
  audit::Frontier frontier_;
  std::optional<Hash> root_at_previous_;
  Checkpoint checkpoint_;
};

}  // namespace

absl::StatusOr<PreviousCheckpoint> ReadPreviousCheckpoint(std::istream& in,
                                                          const audit::NoteVerifierKey& key) {
  PreviousCheckpoint previous;
  const int first = in.peek();
  if (in.bad()) return ReadError();
  if (first == '{') {
    absl::StatusOr<VerifiedExport> verified =
        Verification(in, key, nullptr, /*need_anchor=*/false).Run();
    if (!verified.ok()) return verified.status();
    previous.checkpoint = std::move(verified->checkpoint);
    previous.from_export = true;
    return previous;
  }
  LineReader reader(in, 64 * 1024);
  std::string note;
  if (!reader.ReadRest(audit::kMaxNoteSize, &note)) {
    if (reader.read_error()) return ReadError();
    return Fault("neither an export nor a signed checkpoint note (larger than 1 MiB)");
  }
  if (note.empty()) return Fault("the file is empty");
  absl::StatusOr<Checkpoint> checkpoint = OpenNote(note, key);
  if (!checkpoint.ok()) {
    return Fault(absl::StrCat("not a valid signed checkpoint: ", checkpoint.status().message()));
  }
  previous.checkpoint = std::move(*checkpoint);
  return previous;
}

absl::StatusOr<VerifiedExport> VerifyExport(std::istream& in, const audit::NoteVerifierKey& key,
                                            const audit::Checkpoint* previous) {
  return Verification(in, key, previous, /*need_anchor=*/true).Run();
}

}  // namespace casevault::client
