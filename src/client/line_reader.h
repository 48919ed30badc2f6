// Splits a stream into lines through one fixed buffer: no allocation per
// line, each byte looked at once by memchr. Lines are views into the buffer,
// valid until the next call.
#ifndef CASEVAULT_CLIENT_LINE_READER_H_
#define CASEVAULT_CLIENT_LINE_READER_H_

#include <cstddef>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

namespace casevault::client {

class LineReader {
 public:
  enum class Result {
    kLine,          // a whole line; `line` without its line feed
    kUnterminated,  // the stream ends inside a line; `line` is what there is
    kTooLong,       // more than max_bytes before the next line feed
    kEnd,           // nothing left
    kReadError,     // the stream failed
  };

  // `buffer_bytes` must exceed the longest line asked for.
  LineReader(std::istream& in, size_t buffer_bytes);

  // The next line of at most `max_bytes` bytes. After kTooLong, kEnd or
  // kReadError the reader is not used further.
  Result Next(size_t max_bytes, std::string_view* line);

  // The next byte without consuming it; -1 at the end of the stream (or on
  // a read error, which the next Next() reports).
  int Peek();

  // Appends everything left to `out`. False when that is more than
  // `max_bytes` (then `out` holds at least max_bytes + 1 bytes) or the
  // stream failed (`read_error()`).
  bool ReadRest(size_t max_bytes, std::string* out);

  bool read_error() const { return read_error_; }

 private:
  // Moves what is left to the front and reads more; false when nothing more
  // could be read.
  bool Fill();

  std::istream& in_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  bool read_error_ = false;
};

}  // namespace casevault::client

#endif  // CASEVAULT_CLIENT_LINE_READER_H_
