// The verifier key of `casevault audit ...` (`--key`): the published key
// text itself, or the path of a file holding it (such as the
// DATA/audit-verifier.key that `casevaultd init` writes).
#ifndef CASEVAULT_CLIENT_AUDIT_KEY_H_
#define CASEVAULT_CLIENT_AUDIT_KEY_H_

#include <string>

#include "absl/status/statusor.h"
#include "audit/note.h"

namespace casevault::client {

// `argument` parsed as a verifier key (<name>+<8 hex>+<base64>), else read as
// a file holding one (surrounding white space ignored). kUsage when it is
// neither a key nor an existing file but looks like a key (a typo in it);
// kLocalFile when the file cannot be read or does not hold a valid key.
absl::StatusOr<audit::NoteVerifierKey> LoadVerifierKey(const std::string& argument);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_AUDIT_KEY_H_
