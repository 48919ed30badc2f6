// A synthetic audit log for the client's tests: real entries (EncodeEntry),
// a real Merkle frontier and checkpoints signed by a test key, so that the
// export files built here are exactly what a server would send.
#ifndef CASEVAULT_TESTS_CLIENT_AUDIT_TEST_LOG_H_
#define CASEVAULT_TESTS_CLIENT_AUDIT_TEST_LOG_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "audit/checkpoint.h"
#include "audit/entry.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "client/export_file.h"
#include "crypto/secret_bytes.h"

namespace casevault::client::testing {

inline constexpr char kTestLogName[] = "casevault.audit/00112233aabbccdd";

// The entry of seq `seq`; deterministic, varied, never sensitive.
inline std::string TestEntry(uint64_t seq) {
  static const char* const kRoles[] = {"counselor", "principal", "auditor", "admin"};
  static const char* const kActions[] = {"case.view", "case.file", "auth.login", "case.list"};
  audit::AuditEntry e;
  e.seq = seq;
  char time[32];
  std::snprintf(time, sizeof time, "2026-11-29T01:%02d:%02d.%03dZ", static_cast<int>(seq / 60 % 60),
                static_cast<int>(seq % 60), static_cast<int>(seq % 1000));
  e.time = time;
  e.actor = absl::StrCat("user-", seq % 7);
  e.role = kRoles[seq % 4];
  e.unit = "school-test";
  e.action = kActions[seq % 4];
  e.outcome = seq % 5 == 0 ? "permission_denied" : "ok";
  e.request = absl::StrCat("req", seq);
  e.case_ref = seq % 3 == 0 ? "" : "0123456789abcdef0123456789abcdef";
  e.reason = seq % 3 == 1 ? "owner" : "";
  absl::StatusOr<std::string> bytes = audit::EncodeEntry(e);
  if (!bytes.ok()) std::abort();
  return *bytes;
}

class TestLog {
 public:
  explicit TestLog(std::string name = kTestLogName, char seed_byte = 0x11) {
    auto signer =
        audit::NoteSigner::New(name, crypto::SecretBytes::CopyFrom(std::string(32, seed_byte)));
    if (!signer.ok()) std::abort();
    signer_ = std::move(*signer);
  }

  audit::NoteVerifierKey key() const { return signer_->verifier_key(); }
  std::string key_text() const { return audit::FormatVerifierKey(key()); }

  // The frontier of the first `n` entries.
  static audit::Frontier FrontierAt(uint64_t n) {
    audit::Frontier frontier;
    for (uint64_t i = 0; i < n; ++i) frontier.Append(audit::LeafHash(TestEntry(i)));
    return frontier;
  }

  // The signed checkpoint note of the tree with this root and size.
  std::string NoteFor(uint64_t size, const audit::Hash& root) const {
    audit::Checkpoint checkpoint;
    checkpoint.origin = signer_->name();
    checkpoint.size = size;
    checkpoint.root = root;
    absl::StatusOr<std::string> note = audit::SignCheckpoint(checkpoint, *signer_);
    if (!note.ok()) std::abort();
    return *note;
  }
  std::string Note(uint64_t size) const { return NoteFor(size, FrontierAt(size).Root()); }

  // The export of entries [from, to), ending with the checkpoint of size `to`.
  std::string Export(uint64_t from, uint64_t to) const {
    std::string out = FormatExportHeader(from, FrontierAt(from).hashes()) + "\n";
    for (uint64_t i = from; i < to; ++i) out += TestEntry(i) + "\n";
    return out + Note(to);
  }

 private:
  std::unique_ptr<audit::NoteSigner> signer_;
};

}  // namespace casevault::client::testing

#endif  // CASEVAULT_TESTS_CLIENT_AUDIT_TEST_LOG_H_
