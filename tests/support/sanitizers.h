// CV_UNDER_ASAN is defined when this test binary is built with
// AddressSanitizer (gcc or clang). AddressSanitizer keeps freed memory in
// quarantine (256 MiB by default), so a resident size says nothing there;
// the Release suite measures it.
#ifndef CASEVAULT_TESTS_SUPPORT_SANITIZERS_H_
#define CASEVAULT_TESTS_SUPPORT_SANITIZERS_H_

#if defined(__SANITIZE_ADDRESS__)
#define CV_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CV_UNDER_ASAN 1
#endif
#endif

#endif  // CASEVAULT_TESTS_SUPPORT_SANITIZERS_H_
