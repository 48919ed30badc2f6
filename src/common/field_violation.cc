#include "common/field_violation.h"

#include <cstdint>

#include "absl/strings/cord.h"

namespace casevault {
namespace {

constexpr char kPayloadUrl[] = "casevault.internal/FieldViolations";

void PutString(std::string& out, const std::string& s) {
  const uint32_t n = static_cast<uint32_t>(s.size());
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(n >> (8 * i)));
  out += s;
}

bool GetString(const std::string& in, size_t& pos, std::string& s) {
  if (in.size() - pos < 4) return false;
  uint32_t n = 0;
  for (int i = 0; i < 4; ++i) {
    n |= static_cast<uint32_t>(static_cast<uint8_t>(in[pos + i])) << (8 * i);
  }
  pos += 4;
  if (in.size() - pos < n) return false;
  s = in.substr(pos, n);
  pos += n;
  return true;
}

}  // namespace

absl::Status Violations::ToStatus() const {
  if (list_.empty()) return absl::OkStatus();
  std::string message = "invalid request: ";
  std::string payload;
  for (size_t i = 0; i < list_.size(); ++i) {
    if (i > 0) message += "; ";
    message += list_[i].field + ": " + list_[i].description;
    PutString(payload, list_[i].field);
    PutString(payload, list_[i].description);
  }
  absl::Status status = absl::InvalidArgumentError(message);
  status.SetPayload(kPayloadUrl, absl::Cord(payload));
  return status;
}

std::vector<FieldViolation> FieldViolationsOf(const absl::Status& status) {
  std::vector<FieldViolation> out;
  auto payload = status.GetPayload(kPayloadUrl);
  if (!payload.has_value()) return out;
  const std::string in(*payload);
  size_t pos = 0;
  while (pos < in.size()) {
    FieldViolation v;
    if (!GetString(in, pos, v.field) || !GetString(in, pos, v.description)) {
      break;
    }
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace casevault
