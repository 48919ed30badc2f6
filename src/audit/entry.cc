#include "audit/entry.h"

#include <array>
#include <limits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/clock.h"
#include "common/status_macros.h"
#include "common/utf8.h"

namespace casevault::audit {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

// Every outcome, indexed by absl::StatusCode (0..16).
constexpr std::array<std::string_view, 17> kOutcomes = {"ok",
                                                        "cancelled",
                                                        "unknown",
                                                        "invalid_argument",
                                                        "deadline_exceeded",
                                                        "not_found",
                                                        "already_exists",
                                                        "permission_denied",
                                                        "resource_exhausted",
                                                        "failed_precondition",
                                                        "aborted",
                                                        "out_of_range",
                                                        "unimplemented",
                                                        "internal",
                                                        "unavailable",
                                                        "data_loss",
                                                        "unauthenticated"};

constexpr std::array<std::string_view, 8> kRoles = {
    "",         "counselor", "principal", "union",
    "district", "auditor",   "admin",     "operator"};

// The members of an entry after "seq", in order, with where each lives.
// `prefix` is what precedes the value in the encoding: ,"key":
struct Member {
  const char* key;
  std::string_view prefix;
  std::string AuditEntry::*field;
};
constexpr std::array<Member, 10> kMembers = {{
    {"time", ",\"time\":", &AuditEntry::time},
    {"actor", ",\"actor\":", &AuditEntry::actor},
    {"role", ",\"role\":", &AuditEntry::role},
    {"unit", ",\"unit\":", &AuditEntry::unit},
    {"action", ",\"action\":", &AuditEntry::action},
    {"outcome", ",\"outcome\":", &AuditEntry::outcome},
    {"request", ",\"request\":", &AuditEntry::request},
    {"case", ",\"case\":", &AuditEntry::case_ref},
    {"target", ",\"target\":", &AuditEntry::target},
    {"reason", ",\"reason\":", &AuditEntry::reason},
}};

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("malformed audit entry: ", std::string(what)));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

int TwoDigits(std::string_view s, size_t at) {
  return (s[at] - '0') * 10 + (s[at + 1] - '0');
}

// YYYY-MM-DDTHH:MM:SS.mmmZ with a real calendar date and time of day.
bool IsValidTime(std::string_view t) {
  static constexpr char kShape[] = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (t.size() != sizeof(kShape) - 1) return false;
  for (size_t i = 0; i < t.size(); ++i) {
    if (kShape[i] == 'd' ? !IsDigit(t[i]) : t[i] != kShape[i]) return false;
  }
  if (!ParseIsoDate(std::string(t.substr(0, 10))).ok()) return false;
  return TwoDigits(t, 11) < 24 && TwoDigits(t, 14) < 60 &&
         TwoDigits(t, 17) < 60;
}

// word "." word, each 1*(a-z / "_"), the first starting with a letter.
bool IsValidAction(std::string_view a) {
  const size_t dot = a.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == a.size()) {
    return false;
  }
  if (a.size() > 64 || !IsLower(a[0]) || !IsLower(a[dot + 1])) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (i != dot && !IsLower(a[i]) && a[i] != '_') return false;
  }
  return true;
}

bool IsValidCaseRef(std::string_view ref) {
  if (ref.empty()) return true;
  if (ref.size() != kCaseRefHexDigits) return false;
  for (char c : ref) {
    if (!IsDigit(c) && !(c >= 'a' && c <= 'f')) return false;
  }
  return true;
}

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& set, std::string_view v) {
  for (std::string_view s : set) {
    if (s == v) return true;
  }
  return false;
}

// The checks EncodeEntry and ParseEntry share: an entry is encodable exactly
// when its encoding parses.
absl::Status CheckValues(const AuditEntry& e) {
  for (const Member& m : kMembers) {
    const std::string& value = e.*m.field;
    if (value.size() > kMaxEntryFieldBytes) {
      return Bad(absl::StrCat("\"", m.key, "\" is longer than ",
                              kMaxEntryFieldBytes, " bytes"));
    }
    if (!IsValidUtf8(value)) {
      return Bad(absl::StrCat("\"", m.key, "\" is not UTF-8"));
    }
  }
  if (!IsValidTime(e.time)) {
    return Bad("\"time\" is not YYYY-MM-DDTHH:MM:SS.mmmZ");
  }
  if (!OneOf(kRoles, e.role)) return Bad("\"role\" is not a known role");
  if (!IsValidAction(e.action)) return Bad("\"action\" is not word.word");
  if (!OneOf(kOutcomes, e.outcome)) {
    return Bad("\"outcome\" is not a known outcome");
  }
  if (!IsValidCaseRef(e.case_ref)) {
    return Bad("\"case\" is not 32 lower-case hex digits");
  }
  return absl::OkStatus();
}

bool NeedsEscape(char c) {
  return c == '"' || c == '\\' || static_cast<uint8_t>(c) < 0x20;
}

void AppendString(std::string& out, std::string_view value) {
  out.push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (!NeedsEscape(c)) continue;
    out.append(value.data() + run, i - run);
    run = i + 1;
    const auto byte = static_cast<uint8_t>(c);
    if (byte >= 0x20) {
      out.push_back('\\');
      out.push_back(c);
    } else {
      out.append("\\u00");
      out.push_back(kHexDigits[byte >> 4]);
      out.push_back(kHexDigits[byte & 0xF]);
    }
  }
  out.append(value.data() + run, value.size() - run);
  out.push_back('"');
}

// The encoding of values already checked by CheckValues.
std::string EncodeChecked(const AuditEntry& entry) {
  std::string out;
  out.reserve(256);
  absl::StrAppend(&out, "{\"seq\":", entry.seq);
  for (const Member& m : kMembers) {
    out.append(m.prefix.data(), m.prefix.size());
    AppendString(out, entry.*m.field);
  }
  out.push_back('}');
  return out;
}

// A cursor over the bytes being parsed.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  absl::Status Literal(std::string_view expected) {
    if (bytes_.substr(pos_, expected.size()) != expected) {
      return Error(absl::StrCat("expected ", std::string(expected)));
    }
    pos_ += expected.size();
    return absl::OkStatus();
  }

  absl::StatusOr<uint64_t> Integer() {
    const size_t start = pos_;
    while (pos_ < bytes_.size() && IsDigit(bytes_[pos_])) ++pos_;
    const std::string_view digits = bytes_.substr(start, pos_ - start);
    if (digits.empty()) return Error("expected an integer", start);
    if (digits.size() > 1 && digits[0] == '0') {
      return Error("integer with a leading zero", start);
    }
    uint64_t value = 0;
    for (char c : digits) {
      const uint64_t d = static_cast<uint64_t>(c - '0');
      if (value > (std::numeric_limits<uint64_t>::max() - d) / 10) {
        return Error("integer does not fit in 64 bits", start);
      }
      value = value * 10 + d;
    }
    return value;
  }

  absl::StatusOr<std::string> String() {
    RETURN_IF_ERROR(Literal("\""));
    std::string out;
    while (true) {
      // Copy the run of plain bytes up to the next quote, backslash or
      // control character in one go.
      size_t end = pos_;
      while (end < bytes_.size() && !NeedsEscape(bytes_[end])) ++end;
      out.append(bytes_.data() + pos_, end - pos_);
      pos_ = end;
      if (pos_ >= bytes_.size()) return Error("unterminated string");
      const char c = bytes_[pos_];
      if (c == '"') break;
      if (static_cast<uint8_t>(c) < 0x20) return Error("unescaped control");
      const std::string_view rest = bytes_.substr(pos_);
      if (rest.size() >= 2 && (rest[1] == '"' || rest[1] == '\\')) {
        out.push_back(rest[1]);
        pos_ += 2;
        continue;
      }
      // Only \u00XX with lower-case hex, for a control character.
      if (rest.size() < 6 || rest.substr(0, 4) != "\\u00" ||
          (rest[4] != '0' && rest[4] != '1') || !IsLowerHex(rest[5])) {
        return Error("escape other than \\\", \\\\ or \\u00XX for a control");
      }
      out.push_back(
          static_cast<char>((rest[4] - '0') * 16 + HexValue(rest[5])));
      pos_ += 6;
    }
    ++pos_;  // the closing quote
    return out;
  }

  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t pos() const { return pos_; }

  absl::Status Error(std::string_view what) const { return Error(what, pos_); }
  static absl::Status Error(std::string_view what, size_t at) {
    return Bad(absl::StrCat(std::string(what), " at byte ", at));
  }

 private:
  static bool IsLowerHex(char c) {
    return IsDigit(c) || (c >= 'a' && c <= 'f');
  }
  static int HexValue(char c) { return IsDigit(c) ? c - '0' : c - 'a' + 10; }

  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace

bool operator==(const AuditEntry& a, const AuditEntry& b) {
  if (a.seq != b.seq) return false;
  for (const Member& m : kMembers) {
    if (a.*m.field != b.*m.field) return false;
  }
  return true;
}

std::string_view OutcomeName(absl::StatusCode code) {
  const auto index = static_cast<size_t>(code);
  return index < kOutcomes.size() ? kOutcomes[index] : "unknown";
}

absl::StatusOr<std::string> EncodeEntry(const AuditEntry& entry) {
  RETURN_IF_ERROR(CheckValues(entry));
  std::string out = EncodeChecked(entry);
  if (out.size() > kMaxEntryBytes) return Bad("longer than 16 KiB");
  return out;
}

absl::StatusOr<AuditEntry> ParseEntry(std::string_view bytes) {
  if (bytes.size() > kMaxEntryBytes) return Bad("longer than 16 KiB");
  Reader in(bytes);
  AuditEntry entry;
  RETURN_IF_ERROR(in.Literal("{\"seq\":"));
  ASSIGN_OR_RETURN(entry.seq, in.Integer());
  for (const Member& m : kMembers) {
    RETURN_IF_ERROR(in.Literal(m.prefix));
    ASSIGN_OR_RETURN(entry.*m.field, in.String());
  }
  RETURN_IF_ERROR(in.Literal("}"));
  if (!in.AtEnd()) return in.Error("bytes after the closing brace");
  RETURN_IF_ERROR(CheckValues(entry));
  return entry;
}

absl::StatusOr<AuditEntry> ParseCanonicalEntry(std::string_view bytes) {
  ASSIGN_OR_RETURN(AuditEntry entry, ParseEntry(bytes));
  // ParseEntry already accepts only canonical bytes; re-encoding proves it
  // independently of the parser (a fault here is a parser bug).
  if (EncodeChecked(entry) != bytes) {
    return Bad("not in the canonical encoding");
  }
  return entry;
}

}  // namespace casevault::audit
