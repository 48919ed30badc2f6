#include "ops.h"

#include <atomic>
#include <mutex>
#include <thread>

#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "case_text.h"
#include "echo.grpc.pb.h"

namespace casevault::bench {
namespace {

namespace v1 = casevault::v1;
constexpr int kCallDeadlineSeconds = 30;
constexpr uint64_t kStride = 7919;  // a prime: consecutive calls hit spread-out ids

template <typename Request, typename Response>
struct Call {
  grpc::ClientContext context;
  Request request;
  Response response;
  explicit Call(const std::string& token) {
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(kCallDeadlineSeconds));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  }
};

template <typename Stub>
using StubFactory = std::unique_ptr<Stub> (*)(const std::shared_ptr<grpc::ChannelInterface>&,
                                              const grpc::StubOptions&);

template <typename Stub>
std::shared_ptr<std::vector<std::unique_ptr<Stub>>> StubsFor(const Channels& channels,
                                                             StubFactory<Stub> make) {
  auto stubs = std::make_shared<std::vector<std::unique_ptr<Stub>>>();
  for (const auto& channel : channels) stubs->push_back(make(channel, grpc::StubOptions()));
  return stubs;
}

std::shared_ptr<std::vector<std::unique_ptr<v1::CaseService::Stub>>> CaseStubs(
    const Channels& channels) {
  return StubsFor<v1::CaseService::Stub>(channels, &v1::CaseService::NewStub);
}

void FillCase(uint64_t index, v1::FileCaseRequest* r) {
  const CaseText t = MakeCaseText(index);
  r->set_incident_type(static_cast<v1::IncidentType>(t.incident_type));
  r->set_context(static_cast<v1::IncidentContext>(t.context));
  r->set_severity(static_cast<v1::Severity>(t.severity));
  r->set_incident_date(t.incident_date);
  r->set_place(t.place);
  r->set_reporter_type(static_cast<v1::ReporterType>(t.reporter_type));
  v1::Victim* v = r->mutable_victim();
  v->set_name(t.victim_name);
  v->set_gender(static_cast<v1::Gender>(t.victim_gender));
  v->set_birth_year(t.victim_birth_year);
  v->set_class_or_job(t.victim_class);
  r->mutable_perpetrator()->set_relation(
      static_cast<v1::PerpetratorRelation>(t.perpetrator_relation));
  r->mutable_perpetrator()->set_name(t.perpetrator_name);
  r->set_narrative(t.narrative);
}

IssueFn EchoCall(const Channels& channels, bool committed) {
  auto stubs = StubsFor<Echo::Stub>(channels, &Echo::NewStub);
  std::string payload = MakeCaseText(0).narrative;
  while (payload.size() < 1024) payload += payload;
  payload.resize(1024);
  return [stubs, payload, committed](int channel, uint64_t, DoneFn done) {
    auto* call = new Call<EchoMessage, EchoMessage>("");
    call->request.set_payload(payload);
    auto finish = [call, done](grpc::Status s) {
      delete call;
      done(s);
    };
    auto* async = (*stubs)[channel]->async();
    if (committed) {
      async->EchoCommitted(&call->context, &call->request, &call->response, finish);
    } else {
      async->Echo(&call->context, &call->request, &call->response, finish);
    }
  };
}

}  // namespace

IssueFn EchoOp(const Channels& channels) { return EchoCall(channels, false); }
IssueFn EchoCommittedOp(const Channels& channels) { return EchoCall(channels, true); }

absl::StatusOr<std::string> SignIn(const std::shared_ptr<grpc::Channel>& channel,
                                   const std::string& username,
                                   const std::string& password, double timeout_s) {
  auto stub = v1::AuthService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::milliseconds(static_cast<int64_t>(timeout_s * 1000)));
  v1::LoginRequest request;
  request.set_username(username);
  request.set_password(password);
  v1::LoginResponse response;
  const grpc::Status s = stub->Login(&context, request, &response);
  if (!s.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                        "Login: " + s.error_message());
  }
  return response.session_token();
}

absl::StatusOr<std::vector<std::string>> FileCases(const Channels& channels,
                                                   const std::string& token,
                                                   size_t count, uint64_t first_index,
                                                   int threads) {
  auto stubs = CaseStubs(channels);
  std::vector<std::string> ids(count);
  std::atomic<size_t> next{0};
  std::mutex mu;
  grpc::Status failure;
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i = next++; i < count; i = next++) {
        Call<v1::FileCaseRequest, v1::Case> call(token);
        FillCase(first_index + i, &call.request);
        const grpc::Status s = (*stubs)[t % stubs->size()]->FileCase(
            &call.context, call.request, &call.response);
        if (!s.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          failure = s;
          next = count;
          return;
        }
        ids[i] = call.response.id();
      }
    });
  }
  for (auto& t : pool) t.join();
  if (!failure.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(failure.error_code()),
                        "FileCase: " + failure.error_message());
  }
  return ids;
}

IssueFn FileCaseOp(const Channels& channels, const std::string& token,
                   uint64_t first_index) {
  auto stubs = CaseStubs(channels);
  return [stubs, token, first_index](int channel, uint64_t seq, DoneFn done) {
    auto* call = new Call<v1::FileCaseRequest, v1::Case>(token);
    FillCase(first_index + seq, &call->request);
    (*stubs)[channel]->async()->FileCase(&call->context, &call->request, &call->response,
                                         [call, done](grpc::Status s) {
                                           delete call;
                                           done(s);
                                         });
  };
}

IssueFn GetCaseOp(const Channels& channels, const std::string& token,
                  std::shared_ptr<const std::vector<std::string>> ids) {
  auto stubs = CaseStubs(channels);
  return [stubs, token, ids](int channel, uint64_t seq, DoneFn done) {
    auto* call = new Call<v1::GetCaseRequest, v1::Case>(token);
    call->request.set_case_id((*ids)[(seq * kStride) % ids->size()]);
    (*stubs)[channel]->async()->GetCase(&call->context, &call->request, &call->response,
                                        [call, done](grpc::Status s) {
                                          delete call;
                                          done(s);
                                        });
  };
}

IssueFn AddNoteOp(const Channels& channels, const std::string& token,
                  std::shared_ptr<const std::vector<std::string>> ids) {
  auto stubs = CaseStubs(channels);
  return [stubs, token, ids](int channel, uint64_t seq, DoneFn done) {
    auto* call = new Call<v1::AddNoteRequest, v1::Note>(token);
    call->request.set_case_id((*ids)[(seq * kStride) % ids->size()]);
    call->request.set_text(MakeNoteText(seq));
    (*stubs)[channel]->async()->AddNote(&call->context, &call->request, &call->response,
                                        [call, done](grpc::Status s) {
                                          delete call;
                                          done(s);
                                        });
  };
}

}  // namespace casevault::bench
