// Every RPC of the casevault.v1 proto files, from the generated descriptors.
#ifndef CASEVAULT_TESTS_SERVER_PROTO_METHODS_H_
#define CASEVAULT_TESTS_SERVER_PROTO_METHODS_H_

#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>

#include "casevault/v1/account.pb.h"
#include "casevault/v1/audit.pb.h"
#include "casevault/v1/auth.pb.h"
#include "casevault/v1/case.pb.h"
#include "casevault/v1/coordination.pb.h"
#include "gtest/gtest.h"

namespace casevault::testing {

// Every proto file that declares casevault.v1 services. A new file with a
// service must be added here (rpc_policy_test.cc checks proto/ for that).
inline const std::vector<std::string>& ServiceFiles() {
  static const std::vector<std::string> kFiles = {
      "casevault/v1/auth.proto",         "casevault/v1/account.proto",
      "casevault/v1/case.proto",         "casevault/v1/coordination.proto",
      "casevault/v1/audit.proto",
  };
  return kFiles;
}

// Every method of every service of ServiceFiles(), in file order. Touching
// one message of each file makes sure its generated code is linked in (and
// so registered in the generated pool).
inline std::vector<const google::protobuf::MethodDescriptor*> ProtoMethods() {
  (void)v1::LoginRequest::descriptor();
  (void)v1::Account::descriptor();
  (void)v1::Case::descriptor();
  (void)v1::Step::descriptor();
  (void)v1::SignedCheckpoint::descriptor();
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<const google::protobuf::MethodDescriptor*> methods;
  for (const std::string& name : ServiceFiles()) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not in the generated pool";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.push_back(service->method(m));
      }
    }
  }
  return methods;
}

// "/casevault.v1.CaseService/GetCase": the method's gRPC path.
inline std::string GrpcPath(const google::protobuf::MethodDescriptor& m) {
  return "/" + m.service()->full_name() + "/" + m.name();
}

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_SERVER_PROTO_METHODS_H_
