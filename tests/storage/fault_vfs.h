// A SQLite VFS for tests that wraps the default one and injects disk faults
// into every file opened through it (the main database, its -wal, temporary
// files; the -shm is memory-mapped through xShmMap and never faulted):
//  - FailNth(kind, n, code): the n-th xWrite / xSync / xRead from now
//    returns `code` (and, when `sticky`, every later one of that kind too);
//  - SetDiskFull(true): a full disk, modelled as a real one behaves: an
//    xWrite that would end past the file's current size, an xTruncate that
//    grows it and a SQLITE_FCNTL_SIZE_HINT that grows it fail with
//    SQLITE_FULL; writes inside the current size succeed;
//  - counts(): calls of each kind since ResetCounts(), to size a sweep;
//  - main_syncs(): xSync calls on a main database file;
//  - statement_journals(): statement journals opened through it (SQLite
//    opens one through the VFS only past its spill threshold; see
//    statement_journal_test.cc).
// Header-only, process-wide state: one user at a time (gtest runs tests of
// a binary one after another). Included by tests/storage and by the
// integration tests (tests/integration/disk_fault_*).
#ifndef CASEVAULT_TESTS_STORAGE_FAULT_VFS_H_
#define CASEVAULT_TESTS_STORAGE_FAULT_VFS_H_

#include <sqlcipher/sqlite3.h>

#include <atomic>
#include <cstdint>

namespace casevault::storage::testing {

enum class IoKind { kWrite = 0, kSync = 1, kRead = 2 };

struct IoCounts {
  int64_t writes = 0, syncs = 0, reads = 0;
  int64_t of(IoKind kind) const {
    return kind == IoKind::kWrite ? writes : kind == IoKind::kSync ? syncs : reads;
  }
};

class FaultVfs {
 public:
  static constexpr const char* kName = "casevault-fault";

  // Registers the VFS (once per process); returns its name.
  static const char* Register() {
    static const bool registered = [] {
      sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
      static sqlite3_vfs vfs = *real;
      vfs.pAppData = real;
      vfs.zName = kName;
      vfs.szOsFile = static_cast<int>(sizeof(File)) + real->szOsFile;
      vfs.pNext = nullptr;
      vfs.xOpen = &Open;
      vfs.xDelete = [](sqlite3_vfs* v, const char* path, int sync) {
        return Real(v)->xDelete(Real(v), path, sync);
      };
      vfs.xAccess = [](sqlite3_vfs* v, const char* path, int flags, int* out) {
        return Real(v)->xAccess(Real(v), path, flags, out);
      };
      vfs.xFullPathname = [](sqlite3_vfs* v, const char* path, int n,
                             char* out) {
        return Real(v)->xFullPathname(Real(v), path, n, out);
      };
      return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
    }();
    return registered ? kName : nullptr;
  }

  // The n-th call of `kind` from now (n >= 1) returns `code`; with `sticky`
  // so does every later one, until Clear().
  static void FailNth(IoKind kind, int64_t n, int code, bool sticky = false) {
    State& s = state();
    s.fail_code = 0;
    s.fail_kind = static_cast<int>(kind);
    s.fail_at = s.count[static_cast<int>(kind)].load() + n;
    s.sticky = sticky;
    s.fail_code = code;
  }
  static void SetDiskFull(bool full) { state().disk_full = full; }
  // Faults returned so far (FailNth and full disk).
  static int64_t injected() { return state().injected.load(); }
  static IoCounts counts() {
    State& s = state();
    return IoCounts{s.count[0].load(), s.count[1].load(), s.count[2].load()};
  }
  static void ResetCounts() {
    for (auto& c : state().count) c = 0;
  }
  // xSync calls on a main database file so far (faulted ones included).
  static int64_t main_syncs() { return state().main_syncs.load(); }
  static int64_t statement_journals() {
    return state().statement_journals.load();
  }
  // No fault of any kind, and injected() back to 0 (counts are kept).
  static void Clear() {
    State& s = state();
    s.fail_code = 0;
    s.injected = 0;
    s.disk_full = false;
    wal_write_error() = 0;
    wal_sync_error() = 0;
    main_sync_error() = 0;
  }

  // Older switches: 0 = no fault; otherwise the code every xWrite / xSync of
  // a -wal file returns until cleared.
  static std::atomic<int>& wal_write_error() {
    static std::atomic<int> code{0};
    return code;
  }
  static std::atomic<int>& wal_sync_error() {
    static std::atomic<int> code{0};
    return code;
  }
  // The same for every xSync of a main database file. In WAL mode only a
  // checkpoint syncs the main file, so this fails checkpoints alone.
  static std::atomic<int>& main_sync_error() {
    static std::atomic<int> code{0};
    return code;
  }

 private:
  struct State {
    std::atomic<int64_t> count[3] = {0, 0, 0};
    std::atomic<int> fail_code{0};  // 0: FailNth not armed
    std::atomic<int> fail_kind{0};
    std::atomic<int64_t> fail_at{0};
    std::atomic<bool> sticky{false};
    std::atomic<bool> disk_full{false};
    std::atomic<int64_t> injected{0};
    std::atomic<int64_t> statement_journals{0};
    std::atomic<int64_t> main_syncs{0};
  };
  static State& state() {
    static State s;
    return s;
  }

  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // lives right after this struct
    bool is_wal;
    bool is_main;
  };

  static sqlite3_vfs* Real(sqlite3_vfs* vfs) {
    return static_cast<sqlite3_vfs*>(vfs->pAppData);
  }
  static sqlite3_file* R(sqlite3_file* f) {
    return reinterpret_cast<File*>(f)->real;
  }
  static bool IsWal(sqlite3_file* f) {
    return reinterpret_cast<File*>(f)->is_wal;
  }
  static bool IsMain(sqlite3_file* f) {
    return reinterpret_cast<File*>(f)->is_main;
  }

  // Counts one call of `kind`; the code to fail it with, or 0.
  static int Fault(IoKind kind) {
    State& s = state();
    const int k = static_cast<int>(kind);
    const int64_t n = ++s.count[k];
    const int code = s.fail_code.load();
    if (code == 0 || s.fail_kind.load() != k) return 0;
    const int64_t at = s.fail_at.load();
    if (n == at || (s.sticky.load() && n > at)) {
      ++s.injected;
      return code;
    }
    return 0;
  }
  // SQLITE_FULL when the disk is full and `f` would grow past its size.
  static int Grows(sqlite3_file* f, sqlite3_int64 end) {
    if (!state().disk_full.load()) return 0;
    sqlite3_int64 size = 0;
    if (R(f)->pMethods->xFileSize(R(f), &size) != SQLITE_OK) return 0;
    if (end <= size) return 0;
    ++state().injected;
    return SQLITE_FULL;
  }

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file,
                  int flags, int* out_flags) {
    File* f = reinterpret_cast<File*>(file);
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
    f->is_main = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    if ((flags & SQLITE_OPEN_SUBJOURNAL) != 0) ++state().statement_journals;
    int rc = Real(vfs)->xOpen(Real(vfs), name, f->real, flags, out_flags);
    if (rc == SQLITE_OK && f->real->pMethods != nullptr) {
      f->base.pMethods = Methods();
    }
    return rc;
  }

  static const sqlite3_io_methods* Methods() {
    static const sqlite3_io_methods methods = {
        3,
        [](sqlite3_file* f) {
          int rc = R(f)->pMethods->xClose(R(f));
          f->pMethods = nullptr;
          return rc;
        },
        [](sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
          if (int fault = Fault(IoKind::kRead)) return fault;
          return R(f)->pMethods->xRead(R(f), b, n, o);
        },
        [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
          if (int fault = Fault(IoKind::kWrite)) return fault;
          int legacy = wal_write_error().load();
          if (legacy != 0 && IsWal(f)) return legacy;
          if (int full = Grows(f, o + n)) return full;
          return R(f)->pMethods->xWrite(R(f), b, n, o);
        },
        [](sqlite3_file* f, sqlite3_int64 size) {
          if (int full = Grows(f, size)) return full;
          return R(f)->pMethods->xTruncate(R(f), size);
        },
        [](sqlite3_file* f, int flags) {
          if (IsMain(f)) ++state().main_syncs;
          if (int fault = Fault(IoKind::kSync)) return fault;
          int legacy = wal_sync_error().load();
          if (legacy != 0 && IsWal(f)) return legacy;
          const int main = main_sync_error().load();
          if (main != 0 && IsMain(f)) return main;
          return R(f)->pMethods->xSync(R(f), flags);
        },
        [](sqlite3_file* f, sqlite3_int64* size) {
          return R(f)->pMethods->xFileSize(R(f), size);
        },
        [](sqlite3_file* f, int lock) {
          return R(f)->pMethods->xLock(R(f), lock);
        },
        [](sqlite3_file* f, int lock) {
          return R(f)->pMethods->xUnlock(R(f), lock);
        },
        [](sqlite3_file* f, int* out) {
          return R(f)->pMethods->xCheckReservedLock(R(f), out);
        },
        [](sqlite3_file* f, int op, void* arg) {
          if (op == SQLITE_FCNTL_SIZE_HINT) {
            if (int full = Grows(f, *static_cast<sqlite3_int64*>(arg))) {
              return full;
            }
          }
          return R(f)->pMethods->xFileControl(R(f), op, arg);
        },
        [](sqlite3_file* f) { return R(f)->pMethods->xSectorSize(R(f)); },
        [](sqlite3_file* f) {
          return R(f)->pMethods->xDeviceCharacteristics(R(f));
        },
        [](sqlite3_file* f, int page, int size, int extend,
           void volatile** out) {
          return R(f)->pMethods->xShmMap(R(f), page, size, extend, out);
        },
        [](sqlite3_file* f, int offset, int n, int flags) {
          return R(f)->pMethods->xShmLock(R(f), offset, n, flags);
        },
        [](sqlite3_file* f) { R(f)->pMethods->xShmBarrier(R(f)); },
        [](sqlite3_file* f, int delete_flag) {
          return R(f)->pMethods->xShmUnmap(R(f), delete_flag);
        },
        [](sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
          return R(f)->pMethods->xFetch(R(f), offset, n, out);
        },
        [](sqlite3_file* f, sqlite3_int64 offset, void* p) {
          return R(f)->pMethods->xUnfetch(R(f), offset, p);
        },
    };
    return &methods;
  }
};

}  // namespace casevault::storage::testing

#endif  // CASEVAULT_TESTS_STORAGE_FAULT_VFS_H_
