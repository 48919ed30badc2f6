#include "audit/checkpoint.h"

#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "common/status_macros.h"
#include "common/utf8.h"
#include "crypto/digest.h"

namespace casevault::audit {
namespace {

// A checkpoint line: non-empty UTF-8 with no control character (this also
// rules out "\n").
bool IsValidLine(std::string_view line) {
  if (line.empty() || !IsValidUtf8(line)) return false;
  for (char c : line) {
    if (static_cast<uint8_t>(c) < 0x20) return false;
  }
  return true;
}

bool ParseSize(std::string_view text, uint64_t* size) {
  if (text.empty() || text.size() > 20) return false;
  if (text.size() > 1 && text[0] == '0') return false;  // no leading zeros
  uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    const uint64_t digit = static_cast<uint64_t>(c - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) {
      return false;
    }
    value = value * 10 + digit;
  }
  *size = value;
  return true;
}

absl::Status BadCheckpoint(std::string_view why) {
  return absl::InvalidArgumentError("malformed checkpoint: " +
                                    std::string(why));
}

}  // namespace

absl::StatusOr<std::string> FormatCheckpoint(const Checkpoint& checkpoint) {
  if (!IsValidLine(checkpoint.origin)) {
    return absl::InvalidArgumentError(
        "checkpoint origin must be a non-empty line without control "
        "characters");
  }
  std::string text = checkpoint.origin + "\n" +
                     std::to_string(checkpoint.size) + "\n" +
                     crypto::Base64Encode(HashBytes(checkpoint.root)) + "\n";
  for (const std::string& extension : checkpoint.extensions) {
    if (!IsValidLine(extension)) {
      return absl::InvalidArgumentError(
          "checkpoint extension must be a non-empty line without control "
          "characters");
    }
    text += extension + "\n";
  }
  return text;
}

absl::StatusOr<Checkpoint> ParseCheckpoint(std::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return BadCheckpoint("does not end with a newline");
  }
  std::vector<std::string_view> lines;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t newline = rest.find('\n');
    lines.push_back(rest.substr(0, newline));
    rest.remove_prefix(newline + 1);
  }
  if (lines.size() < 3) return BadCheckpoint("fewer than three lines");
  Checkpoint checkpoint;
  if (!IsValidLine(lines[0])) return BadCheckpoint("line 1: bad origin");
  checkpoint.origin = std::string(lines[0]);
  if (!ParseSize(lines[1], &checkpoint.size)) {
    return BadCheckpoint(
        "line 2: tree size must be decimal without leading zeros");
  }
  std::string root;
  if (!crypto::Base64Decode(lines[2], &root) || root.size() != kHashSize) {
    return BadCheckpoint("line 3: root must be base64 of 32 bytes");
  }
  ASSIGN_OR_RETURN(checkpoint.root, HashFromBytes(root));
  for (size_t i = 3; i < lines.size(); ++i) {
    if (!IsValidLine(lines[i])) {
      return BadCheckpoint("line " + std::to_string(i + 1) +
                           ": empty or bad extension line");
    }
    checkpoint.extensions.emplace_back(lines[i]);
  }
  return checkpoint;
}

absl::StatusOr<std::string> SignCheckpoint(const Checkpoint& checkpoint,
                                           const NoteSigner& signer) {
  ASSIGN_OR_RETURN(std::string text, FormatCheckpoint(checkpoint));
  return signer.Sign(text);
}

absl::StatusOr<Checkpoint> OpenCheckpoint(std::string_view signed_note,
                                          const NoteVerifierKey& key) {
  ASSIGN_OR_RETURN(std::string text, OpenSignedNote(signed_note, key));
  return ParseCheckpoint(text);
}

}  // namespace casevault::audit
