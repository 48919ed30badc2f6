#include "common/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace casevault {
namespace {

TEST(Utf8Test, AcceptsVietnameseAndOtherScripts) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Nguyễn Thị Hồng Nhung, lớp 7A"));
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
}

TEST(Utf8Test, RefusesMalformedSequences) {
  for (const std::string bad : {
           std::string("\xC3"),              // truncated
           std::string("\xC0\xAF"),          // overlong '/'
           std::string("\xE0\x80\xAF"),      // overlong
           std::string("\xED\xA0\x80"),      // surrogate U+D800
           std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
           std::string("\xFF"),
           std::string("abc\x80"),           // stray continuation
           std::string("\xE1\xBB"),          // truncated 3-byte
       }) {
    EXPECT_FALSE(IsValidUtf8(bad));
  }
}

TEST(Utf8Test, FindsControlCharacters) {
  EXPECT_FALSE(HasControlCharacters("a\tb", false));
  EXPECT_TRUE(HasControlCharacters("a\nb", false));
  EXPECT_FALSE(HasControlCharacters("a\r\nb", true));
  EXPECT_TRUE(HasControlCharacters(std::string("a\0b", 3), true));
  EXPECT_TRUE(HasControlCharacters("a\x7f", true));
  EXPECT_TRUE(HasControlCharacters("a\xC2\x85", true));  // NEL, a C1 control
  EXPECT_FALSE(HasControlCharacters("Hồng", false));
}

TEST(Utf8Test, CountsCodePoints) {
  EXPECT_EQ(CodePointCount("abc"), 3u);
  EXPECT_EQ(CodePointCount("Hồng"), 4u);
  EXPECT_EQ(CodePointCount("\xF0\x9F\x98\x80"), 1u);
}

}  // namespace
}  // namespace casevault
