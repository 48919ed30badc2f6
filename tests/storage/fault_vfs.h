// A SQLite VFS for tests that wraps the default one and can fail the
// writes and syncs of -wal files on demand: how COMMIT failures (I/O error,
// full disk) are provoked without luck or a real broken disk.
#ifndef CASEVAULT_TESTS_STORAGE_FAULT_VFS_H_
#define CASEVAULT_TESTS_STORAGE_FAULT_VFS_H_

#include <sqlcipher/sqlite3.h>

#include <atomic>

namespace casevault::storage::testing {

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

  // 0 = no fault; otherwise the code every xWrite / xSync of a -wal file
  // returns until cleared.
  static std::atomic<int>& wal_write_error() {
    static std::atomic<int> code{0};
    return code;
  }
  static std::atomic<int>& wal_sync_error() {
    static std::atomic<int> code{0};
    return code;
  }
  static void Clear() {
    wal_write_error() = 0;
    wal_sync_error() = 0;
  }

 private:
  struct File {
    sqlite3_file base;
    sqlite3_file* real;  // lives right after this struct
    bool is_wal;
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

  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file,
                  int flags, int* out_flags) {
    File* f = reinterpret_cast<File*>(file);
    f->base.pMethods = nullptr;
    f->real = reinterpret_cast<sqlite3_file*>(f + 1);
    f->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
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
          return R(f)->pMethods->xRead(R(f), b, n, o);
        },
        [](sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
          int fault = wal_write_error().load();
          if (fault != 0 && IsWal(f)) return fault;
          return R(f)->pMethods->xWrite(R(f), b, n, o);
        },
        [](sqlite3_file* f, sqlite3_int64 size) {
          return R(f)->pMethods->xTruncate(R(f), size);
        },
        [](sqlite3_file* f, int flags) {
          int fault = wal_sync_error().load();
          if (fault != 0 && IsWal(f)) return fault;
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
