// The audit calls of the real gRPC ServerApi against an in-process server:
// the export stream chunk by chunk, a handler failure cancelling it, a
// stalled stream timing out, and the unary calls.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "casevault/v1/audit.grpc.pb.h"
#include "client/error_report.h"
#include "client/grpc_server_api.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace casevault::client {
namespace {

using ::testing::HasSubstr;

constexpr char kToken[] = "tok-audit-test";
constexpr uint64_t kStall = 999;  // from_index that makes the server stall

class TestAuditService final : public v1::AuditService::Service {
 public:
  grpc::Status GetCheckpoint(grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
                             v1::SignedCheckpoint* response) override {
    if (!Authorized(context)) return Unauthenticated();
    response->set_size(request->sign_now() ? 8 : 7);
    response->set_signed_note("note\n");
    return grpc::Status::OK;
  }
  grpc::Status GetInclusionProof(grpc::ServerContext* context,
                                 const v1::GetInclusionProofRequest* request,
                                 v1::InclusionProof* response) override {
    if (!Authorized(context)) return Unauthenticated();
    response->set_index(request->index());
    response->set_tree_size(request->tree_size());
    return grpc::Status::OK;
  }
  grpc::Status LookupCaseReference(grpc::ServerContext* context,
                                   const v1::LookupCaseReferenceRequest* request,
                                   v1::CaseReference* response) override {
    if (!Authorized(context)) return Unauthenticated();
    if (request->case_id() != "case-0001") {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "no such case");
    }
    response->set_case_ref("0123456789abcdef0123456789abcdef");
    return grpc::Status::OK;
  }
  grpc::Status ExportLog(grpc::ServerContext* context, const v1::ExportLogRequest* request,
                         grpc::ServerWriter<v1::ExportLogChunk>* writer) override {
    if (!Authorized(context)) return Unauthenticated();
    v1::ExportLogChunk first;
    first.set_from_index(request->from_index());
    first.set_total_entries(40);
    writer->Write(first);
    if (request->from_index() == kStall) {
      for (int i = 0; i < 100 && !context->IsCancelled(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      return grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "stalled");
    }
    for (int c = 0; c < 4; ++c) {
      v1::ExportLogChunk chunk;
      for (int e = 0; e < 10; ++e)
        chunk.add_entries("{\"seq\":" + std::to_string(c * 10 + e) + "}");
      if (!writer->Write(chunk)) return grpc::Status(grpc::StatusCode::CANCELLED, "gone");
      ++chunks_written;
    }
    v1::ExportLogChunk last;
    last.set_signed_note("note\n");
    writer->Write(last);
    return grpc::Status::OK;
  }

  std::atomic<int> chunks_written{0};

 private:
  static bool Authorized(grpc::ServerContext* context) {
    auto it = context->client_metadata().find("authorization");
    return it != context->client_metadata().end() &&
           std::string(it->second.data(), it->second.size()) == std::string("Bearer ") + kToken;
  }
  static grpc::Status Unauthenticated() {
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "no valid session");
  }
};

class GrpcAuditApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port_);
    builder.RegisterService(&service_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(3));
  }
  std::unique_ptr<ServerApi> Api(double timeout_seconds = 5) {
    Connection c;
    c.target = "127.0.0.1:" + std::to_string(port_);
    c.insecure_loopback = true;
    c.timeout_seconds = timeout_seconds;
    return NewGrpcServerApi(c, kToken);
  }

  int port_ = 0;
  TestAuditService service_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(GrpcAuditApiTest, ExportHandsOverEveryChunkInOrder) {
  std::vector<v1::ExportLogChunk> chunks;
  v1::ExportLogRequest request;
  request.set_from_index(3);
  absl::Status status = Api()->ExportLog(request, [&](const v1::ExportLogChunk& chunk) {
    chunks.push_back(chunk);
    return absl::OkStatus();
  });
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(chunks.size(), 6u);
  EXPECT_EQ(chunks[0].from_index(), 3u);
  EXPECT_EQ(chunks[0].total_entries(), 40u);
  EXPECT_EQ(chunks[1].entries(0), "{\"seq\":0}");
  EXPECT_EQ(chunks[4].entries(9), "{\"seq\":39}");
  EXPECT_EQ(chunks[5].signed_note(), "note\n");
}

TEST_F(GrpcAuditApiTest, AHandlerFailureEndsTheCallWithIt) {
  int seen = 0;
  absl::Status status = Api()->ExportLog({}, [&](const v1::ExportLogChunk&) {
    return ++seen == 2 ? ClientError(ExitCode::kLocalFile, "disk full") : absl::OkStatus();
  });
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kLocalFile);
  EXPECT_EQ(status.message(), "disk full");
  EXPECT_EQ(seen, 2);
}

TEST_F(GrpcAuditApiTest, AStalledExportIsAnUnavailableServer) {
  v1::ExportLogRequest request;
  request.set_from_index(kStall);
  const auto start = std::chrono::steady_clock::now();
  absl::Status status =
      Api(0.3)->ExportLog(request, [&](const v1::ExportLogChunk&) { return absl::OkStatus(); });
  EXPECT_EQ(ExitCodeOf(status), ExitCode::kUnavailable) << status;
  EXPECT_THAT(std::string(status.message()), HasSubstr("the export stalled"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST_F(GrpcAuditApiTest, UnaryAuditCalls) {
  std::unique_ptr<ServerApi> api = Api();
  v1::GetCheckpointRequest sign_now;
  sign_now.set_sign_now(true);
  absl::StatusOr<v1::SignedCheckpoint> checkpoint = api->GetCheckpoint(sign_now);
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  EXPECT_EQ(checkpoint->size(), 8u);
  v1::GetInclusionProofRequest proof_request;
  proof_request.set_index(5);
  proof_request.set_tree_size(9);
  absl::StatusOr<v1::InclusionProof> proof = api->GetInclusionProof(proof_request);
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(proof->index(), 5u);
  EXPECT_EQ(proof->tree_size(), 9u);
  v1::LookupCaseReferenceRequest lookup;
  lookup.set_case_id("case-0001");
  EXPECT_TRUE(api->LookupCaseReference(lookup).ok());
  lookup.set_case_id("case-0002");
  EXPECT_EQ(ExitCodeOf(api->LookupCaseReference(lookup).status()), ExitCode::kNotFound);
  Connection anonymous;
  anonymous.target = "127.0.0.1:" + std::to_string(port_);
  anonymous.insecure_loopback = true;
  EXPECT_EQ(ExitCodeOf(NewGrpcServerApi(anonymous, "")->GetCheckpoint({}).status()),
            ExitCode::kUnauthenticated);
}

}  // namespace
}  // namespace casevault::client
