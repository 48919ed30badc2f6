// The command line of `casevault`: parses the arguments (CLI11), runs the
// command, prints a failure as one "casevault: ..." line and returns the
// exit code (exit_codes.h).
#ifndef CASEVAULT_CLIENT_CLI_H_
#define CASEVAULT_CLIENT_CLI_H_

#include <string>
#include <vector>

#include "client/commands.h"

namespace casevault::client {

// `args` without the program name. Never throws.
int RunClient(const std::vector<std::string>& args, const ClientEnvironment& environment);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_CLI_H_
