// What people read: the labels of the wire enums and the headings of text
// output, in English and Vietnamese. JSON output never uses these (it keeps
// the command-line names of enum_names.h, whatever the language); error
// messages stay in English.
#ifndef CASEVAULT_CLIENT_LABELS_H_
#define CASEVAULT_CLIENT_LABELS_H_

#include <optional>
#include <string>
#include <string_view>

#include "client/session_file.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace casevault::client {

enum class Language { kEn, kVi };

// "en" or "vi" (case-insensitive); nullopt otherwise.
std::optional<Language> ParseLanguage(std::string_view text);

// "en" or "vi".
std::string_view LanguageCode(Language language);

// The language of the locale: the first of LC_ALL, LC_MESSAGES and LANG
// that is set and not empty decides (as POSIX orders them); a value that
// starts with "vi" (vi_VN.UTF-8, vi) means Vietnamese, anything else, or
// none set, English.
Language LanguageFromEnvironment(const EnvLookup& env);

// The label of value `number` of the proto enum named `enum_full_name`
// ("casevault.v1.StepKind"), or nullopt when the client has none. Every
// value of every enum in the casevault protos has one (a test walks the
// descriptors), UNSPECIFIED included.
std::optional<std::string_view> FindEnumLabel(std::string_view enum_full_name, int number,
                                              Language language);

// The label of `value`; for a value this client does not know (a newer
// server): "unrecognized (N)".
template <typename E>
std::string EnumLabel(E value, Language language) {
  const google::protobuf::EnumDescriptor* descriptor = google::protobuf::GetEnumDescriptor<E>();
  std::optional<std::string_view> label =
      FindEnumLabel(descriptor->full_name(), static_cast<int>(value), language);
  if (label.has_value()) return std::string(*label);
  return std::string(language == Language::kVi ? "không rõ (" : "unrecognized (") +
         std::to_string(static_cast<int>(value)) + ")";
}

// `en` or `vi`, whichever `language` asks for: the headings of text output.
inline const char* Tr(Language language, const char* en, const char* vi) {
  return language == Language::kVi ? vi : en;
}

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_LABELS_H_
