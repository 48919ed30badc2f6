// Walks every RPC of the proto files through the real handlers, in process:
// each is implemented, names a method that has a row in the RPC policy
// table (a handler without one would answer INTERNAL), and runs CallScope
// (it answers with an x-request-id).
#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto_methods.h"
#include "server/call_scope.h"
#include "server/rpc_policy.h"
#include "server_fixture.h"

namespace casevault::server {
namespace {

using ::casevault::testing::GrpcPath;
using ::casevault::testing::ProtoMethods;
using ::testing::HasSubstr;

class HandlerWalkTest : public InProcessServerTest {};

TEST_F(HandlerWalkTest, EveryRpcWithoutASessionIsUnauthenticated) {
  std::set<std::string> request_ids;
  for (const auto* method : ProtoMethods()) {
    if (method->full_name() == "casevault.v1.AuthService.Login") continue;
    SCOPED_TRACE(method->full_name());
    const RawReply reply = CallRaw(GrpcPath(*method), "", "");
    EXPECT_EQ(reply.status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
        << reply.status.error_message();
    EXPECT_EQ(reply.request_id.size(), 16u);
    EXPECT_TRUE(request_ids.insert(reply.request_id).second);
  }
  EXPECT_GT(request_ids.size(), 30u);
}

TEST_F(HandlerWalkTest, LoginIsAdmittedWithoutASession) {
  const RawReply reply =
      CallRaw("/casevault.v1.AuthService/Login", "", "");
  EXPECT_NE(reply.status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_NE(reply.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_FALSE(reply.status.ok());
  EXPECT_EQ(reply.request_id.size(), 16u);
}

// Every RPC a signed-in caller may send with an empty request reaches the
// domain and comes back with an answer the caller can act on: never
// INTERNAL (a handler without a table row, or a crash of translation),
// never UNIMPLEMENTED.
TEST_F(HandlerWalkTest, EmptyRequestsFromASignedInCallerNeverFailInternally) {
  for (domain::Role role : {domain::Role::kCounselor, domain::Role::kPrincipal,
                            domain::Role::kAdmin}) {
    const std::string token =
        SignIn("user" + std::to_string(static_cast<int>(role)), role);
    ASSERT_FALSE(token.empty());
    for (const auto* method : ProtoMethods()) {
      const std::string name = method->full_name();
      // Sign-in and sign-out change the session the walk runs on; a
      // streamed export is not a unary call.
      if (name == "casevault.v1.AuthService.Login" ||
          name == "casevault.v1.AuthService.Logout" ||
          name == "casevault.v1.AuditService.ExportLog") {
        continue;
      }
      SCOPED_TRACE(name + " as role " + std::to_string(static_cast<int>(role)));
      const RawReply reply = CallRaw(GrpcPath(*method), "", token);
      const grpc::StatusCode code = reply.status.error_code();
      EXPECT_NE(code, grpc::StatusCode::INTERNAL) << reply.status.error_message();
      EXPECT_NE(code, grpc::StatusCode::UNIMPLEMENTED);
      EXPECT_NE(code, grpc::StatusCode::UNKNOWN);
      EXPECT_NE(code, grpc::StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(reply.request_id.size(), 16u);
    }
  }
}

TEST_F(HandlerWalkTest, WhoAmIAnswersTheSession) {
  const std::string token = SignIn("alice", domain::Role::kCounselor);
  auto stub = v1::AuthService::NewStub(channel_);
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  v1::WhoAmIResponse response;
  ASSERT_TRUE(stub->WhoAmI(&context, v1::WhoAmIRequest(), &response).ok());
  EXPECT_EQ(response.username(), "alice");
  EXPECT_EQ(response.role(), v1::ROLE_COUNSELOR);
}

// A handler whose method has no row fails closed, before authenticating
// and before its body runs.
TEST_F(HandlerWalkTest, AMethodWithoutARowFailsClosed) {
  grpc::ServerContext context;
  bool ran = false;
  const grpc::Status status = HandleAuthenticated(
      &context, "casevault.v1.CaseService.DeleteEverything", random_, *auth_,
      [&](const domain::Caller&) {
        ran = true;
        return absl::OkStatus();
      });
  EXPECT_FALSE(ran);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(status.error_message(), HasSubstr("internal error (request "));
  EXPECT_THAT(status.error_message(), ::testing::Not(HasSubstr("DeleteEverything")));

  grpc::ServerContext login_context;
  CallScope scope(&login_context, "casevault.v1.AuthService.SignInAsRoot",
                  random_);
  EXPECT_EQ(scope.rule(), nullptr);
  EXPECT_THAT(scope.Admit(), casevault::testing::StatusIs(
                                 absl::StatusCode::kInternal));
  EXPECT_THAT(scope.Authenticate(*auth_).status(),
              casevault::testing::StatusIs(absl::StatusCode::kInternal));
}

TEST_F(HandlerWalkTest, AListedMethodIsAdmitted) {
  grpc::ServerContext context;
  CallScope scope(&context, "casevault.v1.StepService.ListSteps", random_);
  ASSERT_NE(scope.rule(), nullptr);
  EXPECT_EQ(scope.rule()->action, domain::Action::kListSteps);
  EXPECT_OK(scope.Admit());
  EXPECT_THAT(scope.Authenticate(*auth_).status(),
              casevault::testing::StatusIs(absl::StatusCode::kUnauthenticated));
}

}  // namespace
}  // namespace casevault::server
