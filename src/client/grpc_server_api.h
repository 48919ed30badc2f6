// ServerApi over gRPC: TLS with the given CA (or plaintext to a loopback
// server when asked), the bearer token on every call, a deadline per call.
#ifndef CASEVAULT_CLIENT_GRPC_SERVER_API_H_
#define CASEVAULT_CLIENT_GRPC_SERVER_API_H_

#include <memory>
#include <string>

#include "client/connection.h"
#include "client/server_api.h"

namespace casevault::client {

// A ServerApi that calls the server described by `connection`, sending
// `authorization: Bearer <token>` unless `token` is empty. Creating it does
// not connect; the first call does.
std::unique_ptr<ServerApi> NewGrpcServerApi(const Connection& connection, std::string token);

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_GRPC_SERVER_API_H_
