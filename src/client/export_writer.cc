#include "client/export_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>
#include <vector>

#include "absl/numeric/bits.h"
#include "absl/strings/str_cat.h"
#include "audit/entry.h"
#include "audit/note.h"
#include "client/error_report.h"
#include "client/export_file.h"

namespace casevault::client {
namespace {

absl::Status FileError(absl::string_view what, const std::string& path, int err) {
  return ClientError(ExitCode::kLocalFile, absl::StrCat(what, " ", path, ": ", std::strerror(err)));
}

absl::Status BadStream(absl::string_view what) {
  return ClientError(ExitCode::kInternal, absl::StrCat("the server's export stream is malformed (",
                                                       what, "); no file was written"));
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ExportWriter>> ExportWriter::Create(const std::string& path,
                                                                   uint64_t from) {
  const std::string temp = path + ".tmp";
  const int fd = open(temp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return ClientError(ExitCode::kLocalFile,
                         absl::StrCat(temp, " already exists: another export to ", path,
                                      " is running, or one was interrupted; delete it and retry"));
    }
    return FileError("cannot create", temp, errno);
  }
  if (fchmod(fd, 0600) != 0) {
    const int err = errno;
    close(fd);
    unlink(temp.c_str());
    return FileError("cannot set the mode of", temp, err);
  }
  return std::unique_ptr<ExportWriter>(new ExportWriter(path, temp, fd, from));
}

ExportWriter::ExportWriter(std::string path, std::string temp_path, int fd, uint64_t from)
    : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd), from_(from) {}

ExportWriter::~ExportWriter() {
  if (fd_ >= 0) close(fd_);
  if (!committed_) unlink(temp_path_.c_str());
}

absl::Status ExportWriter::Write(const std::string& bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = write(fd_, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return FileError("cannot write", temp_path_, errno);
    done += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

absl::Status ExportWriter::AddFirst(const v1::ExportLogChunk& chunk) {
  if (!chunk.entries().empty() || !chunk.signed_note().empty()) {
    return BadStream("the first chunk carries entries or the note");
  }
  if (chunk.from_index() != from_) {
    return BadStream(absl::StrCat("it starts at entry ", chunk.from_index(), ", not ", from_));
  }
  if (chunk.frontier_size() != absl::popcount(from_)) {
    return BadStream(
        absl::StrCat("a frontier of ", chunk.frontier_size(), " hashes for ", from_, " entries"));
  }
  std::vector<audit::Hash> frontier;
  for (const std::string& bytes : chunk.frontier()) {
    absl::StatusOr<audit::Hash> hash = audit::HashFromBytes(bytes);
    if (!hash.ok()) return BadStream("a frontier hash is not 32 bytes");
    frontier.push_back(*hash);
  }
  header_seen_ = true;
  total_ = chunk.total_entries();
  return Write(FormatExportHeader(from_, frontier) + "\n");
}

absl::Status ExportWriter::Add(const v1::ExportLogChunk& chunk) {
  if (committed_ || fd_ < 0) return BadStream("a chunk after the end");
  if (!header_seen_) return AddFirst(chunk);
  if (note_seen_) return BadStream("a chunk after the signed checkpoint");
  if (chunk.from_index() != 0 || chunk.frontier_size() != 0 || chunk.total_entries() != 0) {
    return BadStream("a second header");
  }
  pending_.clear();
  for (const std::string& entry : chunk.entries()) {
    if (entries_ == total_) {
      return BadStream(absl::StrCat("more than the ", total_, " entries announced"));
    }
    if (entry.empty() || entry.size() > audit::kMaxEntryBytes ||
        entry.find('\n') != std::string::npos || entry[0] != '{') {
      return BadStream(absl::StrCat("entry seq ", from_ + entries_, " is not one JSON line"));
    }
    pending_.append(entry);
    pending_.push_back('\n');
    ++entries_;
  }
  if (!chunk.signed_note().empty()) {
    const std::string& note = chunk.signed_note();
    if (note.size() > audit::kMaxNoteSize || note.back() != '\n' || note[0] == '{') {
      return BadStream("the signed checkpoint is not a note");
    }
    note_seen_ = true;
    note_ = note;
    pending_.append(note);
  }
  return Write(pending_);
}

absl::Status ExportWriter::Commit() {
  if (!header_seen_) return BadStream("it is empty");
  if (entries_ != total_) {
    return BadStream(
        absl::StrCat("it ended after ", entries_, " of the ", total_, " entries announced"));
  }
  if (!note_seen_) return BadStream("it ended without the signed checkpoint");
  absl::StatusOr<audit::SignedNote> note = audit::ParseSignedNote(note_);
  if (!note.ok()) return BadStream("the signed checkpoint is not a note");
  absl::StatusOr<audit::Checkpoint> checkpoint = audit::ParseCheckpoint(note->text);
  if (!checkpoint.ok()) return BadStream("the note is not a checkpoint");
  if (checkpoint->size != from_ + total_) {
    return BadStream(
        absl::StrCat("the checkpoint has size ", checkpoint->size, ", not ", from_ + total_));
  }
  checkpoint_ = std::move(*checkpoint);
  if (fsync(fd_) != 0) return FileError("cannot sync", temp_path_, errno);
  const int fd = fd_;
  fd_ = -1;
  if (close(fd) != 0) return FileError("cannot write", temp_path_, errno);
  if (rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return FileError("cannot rename the export to", path_, errno);
  }
  committed_ = true;
  const std::string dir = DirectoryOf(path_);
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {  // best effort: make the rename durable
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace casevault::client
