#include "audit/merkle.h"
#include "common/status_macros.h"
#include "server/call_scope.h"
#include "server/services.h"

namespace casevault::server {
namespace {

void ToProto(const domain::CheckpointView& view, v1::SignedCheckpoint* out) {
  out->set_size(view.size);
  out->set_root_hash(audit::HashBytes(view.root));
  out->set_signed_note(view.signed_note);
  out->set_verifier_key(view.verifier_key);
}

template <typename Hashes, typename Repeated>
void AddHashes(const Hashes& hashes, Repeated* out) {
  for (const audit::Hash& hash : hashes) *out->Add() = audit::HashBytes(hash);
}

void ToProto(const domain::ExportChunk& chunk, v1::ExportLogChunk* out) {
  switch (chunk.kind) {
    case domain::ExportChunk::Kind::kStart:
      out->set_from_index(chunk.from);
      AddHashes(chunk.frontier, out->mutable_frontier());
      out->set_total_entries(chunk.total_entries);
      break;
    case domain::ExportChunk::Kind::kEntries:
      for (const std::string& entry : chunk.entries) out->add_entries(entry);
      break;
    case domain::ExportChunk::Kind::kEnd:
      out->set_signed_note(chunk.signed_note);
      break;
  }
}

}  // namespace

grpc::Status AuditServiceImpl::GetCheckpoint(
    grpc::ServerContext* context, const v1::GetCheckpointRequest* request,
    v1::SignedCheckpoint* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AuditService.GetCheckpoint", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::CheckpointView view,
                         desk_.GetCheckpoint(caller, request->sign_now()));
        ToProto(view, response);
        return absl::OkStatus();
      });
}

grpc::Status AuditServiceImpl::GetInclusionProof(
    grpc::ServerContext* context, const v1::GetInclusionProofRequest* request,
    v1::InclusionProof* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AuditService.GetInclusionProof", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::InclusionView view,
                         desk_.GetInclusionProof(caller, request->index(),
                                                 request->tree_size()));
        response->set_index(view.index);
        response->set_tree_size(view.tree_size);
        response->set_entry(view.entry);
        AddHashes(view.hashes, response->mutable_hashes());
        if (view.checkpoint.has_value()) {
          ToProto(*view.checkpoint, response->mutable_checkpoint());
        }
        return absl::OkStatus();
      });
}

grpc::Status AuditServiceImpl::GetConsistencyProof(
    grpc::ServerContext* context, const v1::GetConsistencyProofRequest* request,
    v1::ConsistencyProof* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AuditService.GetConsistencyProof", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(domain::ConsistencyView view,
                         desk_.GetConsistencyProof(caller, request->old_size(),
                                                   request->new_size()));
        response->set_old_size(view.old_size);
        response->set_new_size(view.new_size);
        AddHashes(view.hashes, response->mutable_hashes());
        return absl::OkStatus();
      });
}

grpc::Status AuditServiceImpl::ExportLog(
    grpc::ServerContext* context, const v1::ExportLogRequest* request,
    grpc::ServerWriter<v1::ExportLogChunk>* writer) {
  return HandleAuthenticated(
      context, "casevault.v1.AuditService.ExportLog", random_, auth_,
      [&](const domain::Caller& caller) {
        return desk_.ExportLog(
            caller, request->from_index(),
            [&](const domain::ExportChunk& chunk) -> absl::Status {
              v1::ExportLogChunk out;
              ToProto(chunk, &out);
              if (!writer->Write(out)) {
                return absl::CancelledError("the client stopped the export");
              }
              return absl::OkStatus();
            });
      });
}

grpc::Status AuditServiceImpl::LookupCaseReference(
    grpc::ServerContext* context, const v1::LookupCaseReferenceRequest* request,
    v1::CaseReference* response) {
  return HandleAuthenticated(
      context, "casevault.v1.AuditService.LookupCaseReference", random_, auth_,
      [&](const domain::Caller& caller) -> absl::Status {
        ASSIGN_OR_RETURN(std::string ref,
                         desk_.LookupCaseRef(caller, request->case_id()));
        response->set_case_ref(ref);
        return absl::OkStatus();
      });
}

}  // namespace casevault::server
