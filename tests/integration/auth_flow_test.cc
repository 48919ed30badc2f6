// Sign-in, sessions and account administration over TLS.
#include <grpcpp/grpcpp.h>
#include <grpcpp/generic/generic_stub.h>

#include <condition_variable>
#include <mutex>

#include "casevault/v1/account.grpc.pb.h"
#include "casevault/v1/auth.grpc.pb.h"
#include "casevault/v1/case.grpc.pb.h"
#include "gtest/gtest.h"
#include "harness.h"

namespace casevault::testing {
namespace {

grpc::StatusCode LoginCode(Deployment& d, const std::string& user,
                           const std::string& password, std::string* message = nullptr) {
  auto stub = v1::AuthService::NewStub(d.Channel());
  grpc::ClientContext ctx;
  v1::LoginRequest req;
  req.set_username(user);
  req.set_password(password);
  v1::LoginResponse resp;
  const grpc::Status s = stub->Login(&ctx, req, &resp);
  if (message != nullptr) *message = s.error_message();
  return s.error_code();
}

grpc::StatusCode WhoAmI(Deployment& d, const std::string& token) {
  auto stub = v1::AuthService::NewStub(d.Channel());
  v1::WhoAmIResponse resp;
  return stub->WhoAmI(Authed(token).get(), {}, &resp).error_code();
}

TEST(AuthFlowTest, WrongPasswordAndUnknownUserAnswerTheSame) {
  Deployment d;
  d.Start();
  std::string wrong, unknown;
  EXPECT_EQ(LoginCode(d, "counselor", "not the password", &wrong),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(LoginCode(d, "no.such.user", "not the password", &unknown),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(LoginCode(d, "counselor", d.account("counselor").password),
            grpc::StatusCode::OK);
}

TEST(AuthFlowTest, MissingGarbageRevokedAndExpiredTokensAreRefused) {
  FakeClock clock(SystemClock().Now());
  Deployment d;
  d.Start(&clock);
  auto cases = v1::CaseService::NewStub(d.Channel());
  v1::ListCasesResponse listed;
  grpc::ClientContext bare;
  EXPECT_EQ(cases->ListCases(&bare, {}, &listed).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmI(d, "garbage"), grpc::StatusCode::UNAUTHENTICATED);

  const std::string token = d.Login("counselor");
  EXPECT_EQ(WhoAmI(d, token), grpc::StatusCode::OK);
  auto auth = v1::AuthService::NewStub(d.Channel());
  v1::LogoutResponse out;
  ASSERT_TRUE(auth->Logout(Authed(token).get(), {}, &out).ok());
  EXPECT_EQ(WhoAmI(d, token), grpc::StatusCode::UNAUTHENTICATED);

  const std::string idle = d.Login("counselor");
  clock.Advance(31 * 60 * 1000);  // past the 30-minute idle limit
  EXPECT_EQ(WhoAmI(d, idle), grpc::StatusCode::UNAUTHENTICATED);
  const std::string old = d.Login("counselor");
  for (int i = 0; i < 24; ++i) {  // kept busy (24 x 29 min), it still ends at 12 h
    clock.Advance(29 * 60 * 1000);
    ASSERT_EQ(WhoAmI(d, old), grpc::StatusCode::OK) << i;
  }
  clock.Advance(29 * 60 * 1000);
  EXPECT_EQ(WhoAmI(d, old), grpc::StatusCode::UNAUTHENTICATED);
}

TEST(AuthFlowTest, RepeatedFailuresLockUntilTheAdminUnlocks) {
  FakeClock clock(SystemClock().Now());  // the back-off advances it, not the test
  Deployment d;
  d.Start(&clock);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(LoginCode(d, "counselor2", "not the password"),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string password = d.account("counselor2").password;
  EXPECT_EQ(LoginCode(d, "counselor2", password), grpc::StatusCode::UNAUTHENTICATED);

  auto accounts = v1::AccountService::NewStub(d.Channel());
  const std::string admin = d.Login("admin");
  v1::UnlockAccountRequest unlock;
  unlock.set_username("counselor2");
  v1::Account account;
  ASSERT_TRUE(accounts->UnlockAccount(Authed(admin).get(), unlock, &account).ok());
  EXPECT_EQ(LoginCode(d, "counselor2", password), grpc::StatusCode::OK);
}

TEST(AuthFlowTest, AdminManagesAccountsAndOthersCannot) {
  Deployment d;
  d.Start();
  auto accounts = v1::AccountService::NewStub(d.Channel());
  const std::string admin = d.Login("admin");
  v1::CreateAccountRequest create;
  create.set_username("co.mai");
  create.set_role(v1::ROLE_COUNSELOR);
  create.set_unit_id("demo-school");
  create.set_password("mật khẩu đủ dài 2026");
  v1::Account made;
  ASSERT_TRUE(accounts->CreateAccount(Authed(admin).get(), create, &made).ok());
  EXPECT_EQ(made.role(), v1::ROLE_COUNSELOR);
  EXPECT_EQ(LoginCode(d, "co.mai", "mật khẩu đủ dài 2026"), grpc::StatusCode::OK);

  v1::ListAccountsResponse listed;
  ASSERT_TRUE(accounts->ListAccounts(Authed(admin).get(), {}, &listed).ok());
  EXPECT_EQ(listed.accounts_size(), 8);  // 7 demo accounts and co.mai

  v1::ResetPasswordRequest reset;
  reset.set_username("co.mai");
  reset.set_new_password("một mật khẩu mới khác");
  ASSERT_TRUE(accounts->ResetPassword(Authed(admin).get(), reset, &made).ok());
  EXPECT_EQ(LoginCode(d, "co.mai", "mật khẩu đủ dài 2026"),
            grpc::StatusCode::UNAUTHENTICATED);
  const std::string mai = d.Login("counselor");
  v1::DisableAccountRequest disable;
  disable.set_username("co.mai");
  EXPECT_EQ(accounts->DisableAccount(Authed(mai).get(), disable, &made).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(accounts->DisableAccount(Authed(admin).get(), disable, &made).ok());
  EXPECT_TRUE(made.disabled());
  EXPECT_EQ(LoginCode(d, "co.mai", "một mật khẩu mới khác"),
            grpc::StatusCode::UNAUTHENTICATED);
}

TEST(AuthFlowTest, TlsIsRequiredAndPlaintextOnlyOnLoopback) {
  Deployment d;
  d.Start();
  // A plaintext client cannot talk to the TLS server.
  auto plain = grpc::CreateChannel("localhost:" + std::to_string(d.port()),
                                   grpc::InsecureChannelCredentials());
  auto stub = v1::AuthService::NewStub(plain);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(3));
  v1::LoginResponse resp;
  EXPECT_FALSE(stub->Login(&ctx, {}, &resp).ok());
  d.Stop();

  crypto::SodiumRandom random;
  SystemClock clock;
  server::ServerOptions options;
  options.insecure_loopback = true;
  options.listen = "0.0.0.0:0";
  auto deployment = server::Deployment::Open(d.paths(), random);
  ASSERT_TRUE(deployment.ok());
  auto refused = server::CasevaultServer::Start(*std::move(deployment), d.paths(),
                                                options, clock, random);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(server::IsLoopbackAddress("127.0.0.1:7443"));
  EXPECT_TRUE(server::IsLoopbackAddress("[::1]:7443"));
  EXPECT_TRUE(server::IsLoopbackAddress("localhost:1"));
  EXPECT_FALSE(server::IsLoopbackAddress("0.0.0.0:7443"));
  EXPECT_FALSE(server::IsLoopbackAddress("[::]:7443"));
  EXPECT_FALSE(server::IsLoopbackAddress("10.0.0.1:7443"));
}

TEST(AuthFlowTest, HealthReportsServing) {
  Deployment d;
  d.Start();
  // grpc.health.v1.Health/Check with an empty request (service "").
  grpc::GenericStub generic(d.Channel());
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::ByteBuffer request;  // empty HealthCheckRequest
  grpc::Slice empty("");
  request = grpc::ByteBuffer(&empty, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  generic.UnaryCall(&ctx, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) {
                      std::lock_guard<std::mutex> lock(mu);
                      status = s;
                      done = true;
                      cv.notify_one();
                    });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // status: SERVING
}

}  // namespace
}  // namespace casevault::testing
