#ifndef CASEVAULT_TESTS_SUPPORT_TEMP_DIR_H_
#define CASEVAULT_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace casevault::testing {

// A fresh directory under $TMPDIR (mode 0700), removed with its contents
// when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Whole contents of a file ("" if it cannot be read).
std::string ReadFileBytes(const std::string& path);

}  // namespace casevault::testing

#endif  // CASEVAULT_TESTS_SUPPORT_TEMP_DIR_H_
