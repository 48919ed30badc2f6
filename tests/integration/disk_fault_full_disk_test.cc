// A full disk under the real server (sqlcipher_store.cc, G10-G11): changes
// are refused cleanly, reads (which are audited, so they write) go on from
// the space reserve, and once there is room again the server writes again
// without a restart; nothing acknowledged is lost and the file is intact.
#include <chrono>
#include <string>
#include <thread>

#include "disk_fault_harness.h"
#include "gtest/gtest.h"
#include "harness.h"
#include "storage/fault_vfs.h"

namespace casevault::testing {
namespace {

using storage::testing::FaultVfs;

class DiskFullTest : public ::testing::Test {
 protected:
  void TearDown() override { FaultVfs::Clear(); }
};

TEST_F(DiskFullTest, ReadsGoOnChangesAreRefusedAndWritesResumeWithRoom) {
  FaultyDeployment d;
  d.disk_full_retry_ms = 100;
  d.Start();
  Acknowledged acked = d.template_acked();
  auto auth = v1::AuthService::NewStub(d.Channel());
  auto cases = v1::CaseService::NewStub(d.Channel());
  v1::LoginRequest login;
  login.set_username("counselor");
  login.set_password(d.password("counselor"));
  v1::LoginResponse session;
  {
    grpc::ClientContext ctx;
    ASSERT_TRUE(auth->Login(&ctx, login, &session).ok());
  }
  const std::string token = session.session_token();

  FaultVfs::SetDiskFull(true);
  grpc::Status refused;
  int filed = 0;
  for (int i = 0; i < 300 && refused.ok(); ++i) {
    v1::Case made;
    refused = cases->FileCase(Authed(token).get(),
                              SampleCase("full-" + std::to_string(i)), &made);
    if (refused.ok()) {
      acked.notes_by_case[made.id()];
      ++filed;
    }
  }
  ASSERT_FALSE(refused.ok()) << "the disk never filled";
  EXPECT_EQ(CheckCleanFailure(refused, d.data_dir()), "");
  EXPECT_TRUE(d.store().stats().disk_full);
  std::printf("%d cases filed before the disk was full\n", filed);

  // Reads go on, each one audited on the reserve; changes are refused.
  const std::string some_case = acked.notes_by_case.begin()->first;
  for (int i = 0; i < 40; ++i) {
    v1::GetCaseRequest get;
    get.set_case_id(some_case);
    v1::Case shown;
    ASSERT_TRUE(cases->GetCase(Authed(token).get(), get, &shown).ok()) << i;
    v1::ListCasesResponse listed;
    ASSERT_TRUE(cases->ListCases(Authed(token).get(), v1::ListCasesRequest(),
                                 &listed).ok()) << i;
  }
  v1::AddNoteRequest note;
  note.set_case_id(some_case);
  note.set_text("không lưu được");
  v1::Note added;
  const grpc::Status no_note = cases->AddNote(Authed(token).get(), note, &added);
  EXPECT_FALSE(no_note.ok());
  EXPECT_EQ(CheckCleanFailure(no_note, d.data_dir()), "");
  // The clear error: the person at the client is told the disk is full.
  EXPECT_EQ(no_note.error_message().rfind(storage::kDiskFullMessage, 0), 0u)
      << no_note.error_message();
  EXPECT_EQ(d.IntegrityCheck(), "ok");

  // Room again: within a few retry periods a change goes through.
  FaultVfs::Clear();
  grpc::Status resumed = grpc::Status(grpc::StatusCode::UNKNOWN, "");
  for (int i = 0; i < 50 && !resumed.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    v1::Case made;
    resumed = cases->FileCase(Authed(token).get(), SampleCase("after"), &made);
    if (resumed.ok()) acked.notes_by_case[made.id()];
  }
  EXPECT_TRUE(resumed.ok()) << resumed.error_message();
  EXPECT_FALSE(d.store().stats().disk_full);
  EXPECT_EQ(d.IntegrityCheck(), "ok");

  d.Start(/*faulty=*/false);
  EXPECT_EQ(d.IntegrityCheck(), "ok");
  EXPECT_EQ(CheckNothingLost(d, acked), "");
}

}  // namespace
}  // namespace casevault::testing
