// The calls casevault-bench drives: Echo, and casevault's FileCase, GetCase
// and AddNote as the demo counselor.
#ifndef CASEVAULT_BENCH_OPS_H_
#define CASEVAULT_BENCH_OPS_H_

#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "absl/status/statusor.h"
#include "load_generator.h"

namespace casevault::bench {

using Channels = std::vector<std::shared_ptr<grpc::Channel>>;

// Echo of a 1 KiB payload (about a FileCase request's size).
IssueFn EchoOp(const Channels& channels);

// EchoCommitted, the same payload: echo after a group commit of nothing.
IssueFn EchoCommittedOp(const Channels& channels);

// AuthService.Login; the session token.
absl::StatusOr<std::string> SignIn(const std::shared_ptr<grpc::Channel>& channel,
                                   const std::string& username,
                                   const std::string& password,
                                   double timeout_s = 30);

// Files `count` cases over the channels (synchronously, `threads` at a
// time); their ids.
absl::StatusOr<std::vector<std::string>> FileCases(const Channels& channels,
                                                   const std::string& token,
                                                   size_t count, uint64_t first_index,
                                                   int threads = 16);

// FileCase with case content MakeCaseText(first_index + seq).
IssueFn FileCaseOp(const Channels& channels, const std::string& token,
                   uint64_t first_index);
// GetCase of ids[(seq * stride) % size].
IssueFn GetCaseOp(const Channels& channels, const std::string& token,
                  std::shared_ptr<const std::vector<std::string>> ids);
// AddNote of a note to ids[(seq * stride) % size].
IssueFn AddNoteOp(const Channels& channels, const std::string& token,
                  std::shared_ptr<const std::vector<std::string>> ids);

}  // namespace casevault::bench

#endif  // CASEVAULT_BENCH_OPS_H_
