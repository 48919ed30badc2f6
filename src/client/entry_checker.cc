#include "client/entry_checker.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "audit/entry.h"

namespace casevault::client {
namespace {

constexpr size_t kBatchBytes = 1 << 20;

absl::Status EntryFault(uint64_t line, uint64_t seq, absl::string_view what) {
  return absl::DataLossError(absl::StrCat("line ", line, " (entry seq ", seq, "): ", what));
}

}  // namespace

std::unique_ptr<EntryChecker::Batch> EntryChecker::NewBatch() {
  auto batch = std::make_unique<Batch>();
  batch->bytes.reserve(kBatchBytes + audit::kMaxEntryBytes);
  return batch;
}

absl::Status CheckEntryLine(std::string_view bytes, uint64_t line, uint64_t seq) {
  absl::StatusOr<audit::AuditEntry> entry = audit::ParseCanonicalEntry(bytes);
  if (!entry.ok()) return EntryFault(line, seq, entry.status().message());
  if (entry->seq != seq) {
    std::string why;
    if (entry->seq < seq) {
      why = "an entry with this seq came before: entries are duplicated, swapped or out of order";
    } else if (entry->seq - 1 == seq) {
      why = absl::StrCat("entry seq ", seq, " is missing (deleted?) or this one is out of place");
    } else {
      why = absl::StrCat("entries seq ", seq, "-", entry->seq - 1,
                         " are missing (deleted?) or this one is out of place");
    }
    return EntryFault(line, seq,
                      absl::StrCat("it has seq ", entry->seq, ", expected ", seq, ": ", why));
  }
  return absl::OkStatus();
}

EntryChecker::EntryChecker()
    : filling_(NewBatch()), spare_(NewBatch()), worker_([this] { Work(); }) {}

EntryChecker::~EntryChecker() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    abandoned_ = true;  // skip whatever is pending
    cv_.notify_all();
  }
  if (worker_.joinable()) worker_.join();
}

void EntryChecker::Add(std::string_view bytes, uint64_t line, uint64_t seq) {
  if (filling_->ends.empty()) {
    filling_->first_line = line;
    filling_->first_seq = seq;
  }
  filling_->bytes.append(bytes.data(), bytes.size());
  filling_->ends.push_back(filling_->bytes.size());
  if (filling_->bytes.size() >= kBatchBytes) Submit();
}

void EntryChecker::Submit() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (pending_ == nullptr && spare_ != nullptr) {  // the thread is free
      pending_ = std::move(filling_);
      filling_ = std::move(spare_);
      cv_.notify_all();
    }
  }
  if (filling_->ends.empty()) return;
  Check(*filling_);  // the thread is busy: do this batch here
  filling_->bytes.clear();
  filling_->ends.clear();
}

void EntryChecker::Work() {
  for (;;) {
    std::unique_ptr<Batch> batch;
    bool check = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return pending_ != nullptr || done_; });
      if (pending_ == nullptr) return;  // done, nothing left
      batch = std::move(pending_);
      // A fault found meanwhile in a later batch does not excuse this one.
      check = !abandoned_ && (fault_.ok() || fault_line_ > batch->first_line);
    }
    if (check) Check(*batch);
    batch->bytes.clear();
    batch->ends.clear();
    std::lock_guard<std::mutex> lock(mu_);
    spare_ = std::move(batch);
    cv_.notify_all();
  }
}

void EntryChecker::Check(const Batch& batch) {
  size_t begin = 0;
  for (size_t i = 0; i < batch.ends.size(); ++i) {
    const std::string_view line(batch.bytes.data() + begin, batch.ends[i] - begin);
    const uint64_t line_number = batch.first_line + i;
    absl::Status status = CheckEntryLine(line, line_number, batch.first_seq + i);
    if (!status.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      if (fault_.ok() || line_number < fault_line_) {
        fault_ = std::move(status);
        fault_line_ = line_number;
      }
      failed_ = true;
      return;
    }
    begin = batch.ends[i];
  }
}

absl::Status EntryChecker::Finish() {
  if (!filling_->ends.empty() && !failed()) Check(*filling_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }
  worker_.join();  // after the batch it may still be checking
  std::lock_guard<std::mutex> lock(mu_);
  return fault_;
}

}  // namespace casevault::client
