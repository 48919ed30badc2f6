// The pieces under the verifier: the header's one spelling, the line
// splitter across buffer boundaries, and memory that does not grow with the
// export (200,000 entries streamed from a generator, never held).
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>

#include "client/audit_test_log.h"
#include "client/export_file.h"
#include "client/export_verifier.h"
#include "client/line_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/sanitizers.h"

namespace casevault::client {
namespace {

using ::testing::HasSubstr;
using testing::TestEntry;
using testing::TestLog;

TEST(ExportHeaderTest, RoundTripsForManySizes) {
  for (uint64_t from : {uint64_t{0}, uint64_t{1}, uint64_t{6}, uint64_t{255}, uint64_t{1} << 40,
                        (uint64_t{1} << 63) - 1}) {
    std::vector<audit::Hash> frontier(static_cast<size_t>(__builtin_popcountll(from)));
    for (size_t i = 0; i < frontier.size(); ++i) frontier[i].fill(static_cast<uint8_t>(i * 17));
    const std::string line = FormatExportHeader(from, frontier);
    absl::StatusOr<ExportHeader> header = ParseExportHeader(line);
    ASSERT_TRUE(header.ok()) << from << ": " << header.status();
    EXPECT_EQ(header->from, from);
    EXPECT_EQ(header->frontier, frontier);
  }
  EXPECT_EQ(FormatExportHeader(0, {}),
            R"({"format":"casevault-audit-export/v1","from":0,"frontier":[]})");
}

TEST(ExportHeaderTest, RefusesEveryOtherSpelling) {
  const std::string hash(64, 'a');
  const std::string upper(64, 'A');
  for (
      const std::string& line : std::vector<std::string>{
          std::string(
              R"({"format":"casevault-audit-export/v1","from":9223372036854775808,"frontier":[]})"),
          R"({"format":"casevault-audit-export/v1","from":1,"frontier":[")" + upper + "\"]}",
          R"({"format":"casevault-audit-export/v1","from":1,"frontier":[ ")" + hash + "\"]}",
          R"({"format":"casevault-audit-export/v1","from":1,"frontier":[]})",
          R"({"format":"casevault-audit-export/v1","from":2,"frontier":[")" + hash + "\",\"" +
              hash + "\"]}",
          R"({"format":"casevault-audit-export/v1","from":1,"frontier":[")" + hash.substr(2) +
              "\"]}",
      }) {
    EXPECT_FALSE(ParseExportHeader(line).ok()) << line;
  }
}

TEST(LineReaderTest, LinesAcrossBufferBoundaries) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += std::string(static_cast<size_t>(i % 23), 'x') + "\n";
  text += "tail";
  std::istringstream in(text);
  LineReader reader(in, 32);
  std::string_view line;
  for (int i = 0; i < 200; ++i) {
    ASSERT_EQ(reader.Peek(), i % 23 == 0 ? '\n' : 'x');
    ASSERT_EQ(reader.Next(24, &line), LineReader::Result::kLine) << i;
    EXPECT_EQ(line, std::string(static_cast<size_t>(i % 23), 'x'));
  }
  ASSERT_EQ(reader.Next(24, &line), LineReader::Result::kUnterminated);
  EXPECT_EQ(line, "tail");
  EXPECT_EQ(reader.Next(24, &line), LineReader::Result::kEnd);
  EXPECT_EQ(reader.Peek(), -1);
}

TEST(LineReaderTest, TooLongAndTheRest) {
  std::istringstream long_line(std::string(100, 'y') + "\n");
  LineReader reader(long_line, 32);
  std::string_view line;
  EXPECT_EQ(reader.Next(24, &line), LineReader::Result::kTooLong);

  std::istringstream in("a\nrest of\nthe file");
  LineReader rest(in, 4);
  ASSERT_EQ(rest.Next(2, &line), LineReader::Result::kLine);
  std::string out;
  ASSERT_TRUE(rest.ReadRest(100, &out));
  EXPECT_EQ(out, "rest of\nthe file");
  std::istringstream big(std::string(50, 'z'));
  LineReader limited(big, 8);
  out.clear();
  EXPECT_FALSE(limited.ReadRest(20, &out));
}

// Several batches (about 5 MiB of entries): faults are found in any batch,
// by either thread, and the one on the lowest line is reported.
TEST(ExportVerifierBatchTest, TheFirstFaultWinsAcrossBatches) {
  constexpr uint64_t kEntries = 20000;
  const TestLog log;
  const std::string good = log.Export(0, kEntries);
  auto verify = [&](const std::string& file) {
    std::istringstream in(file);
    return VerifyExport(in, log.key(), nullptr);
  };
  ASSERT_TRUE(verify(good).ok());
  auto broken = [&](std::string file, uint64_t seq) {
    const size_t at = file.find(TestEntry(seq));
    file[at + 2] = 'S';  // "seq" -> "Seq"
    return file;
  };
  const std::string two_faults = broken(broken(good, 17000), 3000);
  EXPECT_THAT(verify(two_faults).status().message(), HasSubstr("line 3002 (entry seq 3000)"));
  EXPECT_THAT(verify(broken(good, 17000)).status().message(),
              HasSubstr("line 17002 (entry seq 17000)"));
  // An entry fault comes before a truncation further on.
  const std::string cut = broken(good, 9000).substr(0, good.find(TestEntry(19000)) + 20);
  EXPECT_THAT(verify(cut).status().message(), HasSubstr("line 9002 (entry seq 9000)"));
}

// Resident memory of this process, from /proc/self/statm.
size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// An export of `size` entries made on the fly, 64 KiB at a time, that
// records the largest resident size seen while it is read.
class GeneratedExport : public std::streambuf {
 public:
  GeneratedExport(const TestLog& log, uint64_t size) : size_(size) {
    const audit::Frontier frontier = TestLog::FrontierAt(size);
    note_ = log.NoteFor(size, frontier.Root());
    chunk_.reserve(128 * 1024);
    chunk_ = FormatExportHeader(0, {}) + "\n";
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
  }
  size_t peak_resident() const { return peak_; }
  uint64_t bytes() const { return bytes_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    chunk_.clear();
    while (chunk_.size() < 64 * 1024 && next_ < size_) {
      chunk_ += TestEntry(next_++);
      chunk_ += '\n';
    }
    if (chunk_.empty() && !note_sent_) {
      chunk_ = note_;
      note_sent_ = true;
    }
    if (chunk_.empty()) return traits_type::eof();
    bytes_ += chunk_.size();
    peak_ = std::max(peak_, ResidentBytes());
    setg(chunk_.data(), chunk_.data(), chunk_.data() + chunk_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  const uint64_t size_;
  uint64_t next_ = 0;
  std::string note_;
  std::string chunk_;
  bool note_sent_ = false;
  size_t peak_ = 0;
  uint64_t bytes_ = 0;
};

TEST(ExportVerifierMemoryTest, MemoryDoesNotGrowWithTheExport) {
#ifdef CV_UNDER_ASAN
  GTEST_SKIP() << "resident size is not meaningful under AddressSanitizer";
#endif
  constexpr uint64_t kEntries = 200000;
  const TestLog log;
  GeneratedExport generated(log, kEntries);
  std::istream in(&generated);
  const size_t before = ResidentBytes();
  absl::StatusOr<VerifiedExport> verified = VerifyExport(in, log.key(), nullptr);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->entries, kEntries);
  // The export is tens of MiB; the verifier holds a 1 MiB buffer, a
  // frontier of at most 64 hashes and one note.
  EXPECT_GT(generated.bytes(), uint64_t{30} << 20);
  EXPECT_LT(generated.peak_resident(), before + (8 << 20))
      << "resident grew by " << (generated.peak_resident() - before) / 1024 << " KiB";
}

}  // namespace
}  // namespace casevault::client
