#include "client/line_reader.h"

#include <cstring>

namespace casevault::client {

LineReader::LineReader(std::istream& in, size_t buffer_bytes)
    : in_(in), buffer_(new char[buffer_bytes]), capacity_(buffer_bytes) {}

bool LineReader::Fill() {
  if (eof_ || read_error_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) return false;
  in_.read(buffer_.get() + end_, static_cast<std::streamsize>(capacity_ - end_));
  const auto got = static_cast<size_t>(in_.gcount());
  end_ += got;
  if (in_.bad()) {
    read_error_ = true;
  } else if (in_.eof()) {
    eof_ = true;
  }
  return got > 0;
}

LineReader::Result LineReader::Next(size_t max_bytes, std::string_view* line) {
  size_t searched = 0;  // bytes after begin_ known to hold no line feed
  for (;;) {
    const char* start = buffer_.get() + begin_;
    const size_t available = end_ - begin_;
    const void* lf = std::memchr(start + searched, '\n', available - searched);
    if (lf != nullptr) {
      const size_t length = static_cast<size_t>(static_cast<const char*>(lf) - start);
      if (length > max_bytes) return Result::kTooLong;
      *line = std::string_view(start, length);
      begin_ += length + 1;
      return Result::kLine;
    }
    searched = available;
    if (available > max_bytes) return Result::kTooLong;
    if (!Fill()) {
      if (read_error_) return Result::kReadError;
      if (end_ == begin_) return Result::kEnd;
      *line = std::string_view(buffer_.get() + begin_, end_ - begin_);
      begin_ = end_;
      return Result::kUnterminated;
    }
  }
}

int LineReader::Peek() {
  if (begin_ == end_ && !Fill()) return -1;
  return static_cast<unsigned char>(buffer_[begin_]);
}

bool LineReader::ReadRest(size_t max_bytes, std::string* out) {
  for (;;) {
    const size_t available = end_ - begin_;
    out->append(buffer_.get() + begin_, available);
    begin_ = end_;
    if (out->size() > max_bytes) return false;
    if (!Fill()) return !read_error_;
  }
}

}  // namespace casevault::client
