// The one logger. Lines go to stderr as `time level [request] message`.
// Callers log identifiers, codes and counts only: never case content, names,
// passwords or tokens (SECURITY.md). There is deliberately no way to log a
// request or response message.
#ifndef CASEVAULT_COMMON_LOG_H_
#define CASEVAULT_COMMON_LOG_H_

#include <string_view>

namespace casevault {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

void SetMinLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view request_id, std::string_view message);

inline void LogInfo(std::string_view m) { Log(LogLevel::kInfo, "", m); }
inline void LogWarning(std::string_view m) { Log(LogLevel::kWarning, "", m); }
inline void LogError(std::string_view m) { Log(LogLevel::kError, "", m); }

}  // namespace casevault

#endif  // CASEVAULT_COMMON_LOG_H_
