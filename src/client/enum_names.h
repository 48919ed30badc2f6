// The names people type and read for the wire enums, one table per enum,
// shared by flag parsing, --from-file parsing and text output so the two
// directions cannot drift apart.
#ifndef CASEVAULT_CLIENT_ENUM_NAMES_H_
#define CASEVAULT_CLIENT_ENUM_NAMES_H_

#include <optional>
#include <string>
#include <string_view>

#include "absl/types/span.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"

namespace casevault::client {

template <typename E>
struct EnumName {
  E value;
  const char* name;             // lower case, words joined by '-'
  const char* alias = nullptr;  // another accepted name (the proto's, when it differs)
};

// Every value of E except UNSPECIFIED, with its name. Defined for the enums
// below only. (Escalation has no UNSPECIFIED: its 0 is "none".)
template <typename E>
absl::Span<const EnumName<E>> EnumNames();
// The prefix of E's proto value names, e.g. "INCIDENT_TYPE_".
template <typename E>
std::string_view EnumProtoPrefix();

template <> absl::Span<const EnumName<v1::IncidentType>> EnumNames();
template <> absl::Span<const EnumName<v1::IncidentContext>> EnumNames();
template <> absl::Span<const EnumName<v1::Severity>> EnumNames();
template <> absl::Span<const EnumName<v1::ReporterType>> EnumNames();
template <> absl::Span<const EnumName<v1::Gender>> EnumNames();
template <> absl::Span<const EnumName<v1::PerpetratorRelation>> EnumNames();
template <> absl::Span<const EnumName<v1::CaseStatus>> EnumNames();
template <> absl::Span<const EnumName<v1::Role>> EnumNames();
template <> std::string_view EnumProtoPrefix<v1::IncidentType>();
template <> std::string_view EnumProtoPrefix<v1::IncidentContext>();
template <> std::string_view EnumProtoPrefix<v1::Severity>();
template <> std::string_view EnumProtoPrefix<v1::ReporterType>();
template <> std::string_view EnumProtoPrefix<v1::Gender>();
template <> std::string_view EnumProtoPrefix<v1::PerpetratorRelation>();
template <> std::string_view EnumProtoPrefix<v1::CaseStatus>();
template <> std::string_view EnumProtoPrefix<v1::Role>();
template <> absl::Span<const EnumName<v1::Escalation>> EnumNames();
template <> absl::Span<const EnumName<v1::EscalationReason>> EnumNames();
template <> absl::Span<const EnumName<v1::ClosureReason>> EnumNames();
template <> absl::Span<const EnumName<v1::RemovalReason>> EnumNames();
template <> absl::Span<const EnumName<v1::Environment>> EnumNames();
template <> absl::Span<const EnumName<v1::StepKind>> EnumNames();
template <> absl::Span<const EnumName<v1::StepStatus>> EnumNames();
template <> absl::Span<const EnumName<v1::ConsentPurpose>> EnumNames();
template <> absl::Span<const EnumName<v1::ConsentGiver>> EnumNames();
template <> absl::Span<const EnumName<v1::ChildAssent>> EnumNames();
template <> absl::Span<const EnumName<v1::OverrideReason>> EnumNames();
template <> std::string_view EnumProtoPrefix<v1::Escalation>();
template <> std::string_view EnumProtoPrefix<v1::EscalationReason>();
template <> std::string_view EnumProtoPrefix<v1::ClosureReason>();
template <> std::string_view EnumProtoPrefix<v1::RemovalReason>();
template <> std::string_view EnumProtoPrefix<v1::Environment>();
template <> std::string_view EnumProtoPrefix<v1::StepKind>();
template <> std::string_view EnumProtoPrefix<v1::StepStatus>();
template <> std::string_view EnumProtoPrefix<v1::ConsentPurpose>();
template <> std::string_view EnumProtoPrefix<v1::ConsentGiver>();
template <> std::string_view EnumProtoPrefix<v1::ChildAssent>();
template <> std::string_view EnumProtoPrefix<v1::OverrideReason>();

// `text` folded for comparison: ASCII lower case, '_' and ' ' become '-',
// and a leading proto prefix ("incident-type-") is dropped, so
// "sexual-assault", "SEXUAL_ASSAULT" and "INCIDENT_TYPE_SEXUAL_ASSAULT" are
// all the same name.
std::string FoldEnumName(std::string_view text, std::string_view proto_prefix);

// The value named `text`, or nullopt (UNSPECIFIED is never a valid name).
template <typename E>
std::optional<E> ParseEnumName(std::string_view text) {
  const std::string folded = FoldEnumName(text, EnumProtoPrefix<E>());
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (folded == entry.name || (entry.alias != nullptr && folded == entry.alias)) {
      return entry.value;
    }
  }
  return std::nullopt;
}

// The name of `value`; "unspecified" for UNSPECIFIED, "unrecognized" for a value
// this client does not know (a newer server).
template <typename E>
std::string_view EnumNameOf(E value) {
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (entry.value == value) return entry.name;
  }
  return static_cast<int>(value) == 0 ? "unspecified" : "unrecognized";
}

// "low|medium|high": the names a usage message offers.
template <typename E>
std::string EnumChoices() {
  std::string out;
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (!out.empty()) out += '|';
    out += entry.name;
  }
  return out;
}

// The names of the values that `keep` accepts, joined by '|'.
template <typename E, typename Keep>
std::string EnumChoicesWhere(Keep keep) {
  std::string out;
  for (const EnumName<E>& entry : EnumNames<E>()) {
    if (!keep(entry.value)) continue;
    if (!out.empty()) out += '|';
    out += entry.name;
  }
  return out;
}

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_ENUM_NAMES_H_
