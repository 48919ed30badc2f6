// Child processes for casevault-bench and the integration tests: the echo
// server, casevaultd, the client, started with fork/exec, stdout and stderr
// sent to files. The one place that forks, waits and kills.
#ifndef CASEVAULT_TESTBED_CHILD_PROCESS_H_
#define CASEVAULT_TESTBED_CHILD_PROCESS_H_

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace casevault::testbed {

// What to start and how.
struct Launch {
  std::vector<std::string> argv;  // argv[0] is the executable's path
  std::string in_file = "/dev/null";
  std::string out_file = "/dev/null";  // appended to
  std::string err_file = "/dev/null";  // appended to; may be out_file
  std::vector<std::string> env;        // "NAME=value", ahead of inherited
  bool inherit_environment = true;     // false: `env` is all it gets
};

class ChildProcess {
 public:
  ChildProcess() = default;
  // fork + exec. started() is false when the fork failed; the child exits
  // with 127 when a file cannot be opened or the executable not run.
  static ChildProcess Start(const Launch& launch);
  // fork + exec `argv`; stdout to `out_file`, stderr to `err_file` (the same
  // path for both is fine; both are appended to). `env` entries
  // ("NAME=value") are added. stdin is /dev/null. started() is false when
  // the fork failed.
  static ChildProcess Start(const std::vector<std::string>& argv,
                            const std::string& out_file, const std::string& err_file,
                            const std::vector<std::string>& env = {});
  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ~ChildProcess();  // SIGTERM, then SIGKILL after 15 s

  pid_t pid() const { return pid_; }
  // User + system CPU seconds the child has used so far (/proc/PID/stat),
  // or -1.
  double CpuSeconds() const;
  // Context switches (voluntary + involuntary) of each live thread of the
  // child so far, by thread id (/proc/PID/task/*/status); empty if unknown.
  // A thread's count dies with it, so compare two samples thread by thread.
  std::map<pid_t, int64_t> ContextSwitchesByThread() const;
  bool started() const { return pid_ > 0; }
  // True while the process has not exited (reaps it when it has).
  bool Running();
  // Waits for exit; the exit code, or 128+signal.
  int Wait();
  // Waits up to `seconds`: the exit code, or -1 on timeout (the process is
  // then left running).
  int Wait(double seconds);
  void Signal(int sig) const;
  // SIGTERM and wait up to `seconds`: the exit code, or -1 when it had not
  // exited by then (it is then killed and reaped).
  int Stop(int seconds = 15);
  // SIGKILL, as a crash would, and reap.
  void Kill();
  // VmHWM (peak resident set) from /proc/PID/status, in KiB; -1 if unknown.
  int64_t PeakRssKib() const;

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// Waits for a file holding a port number; 0 on timeout or if `child` exits.
int WaitForPortFile(const std::string& path, ChildProcess& child, double timeout_s);

// Runs a command to completion; its exit code (stdout/stderr to `log`).
int RunCommand(const std::vector<std::string>& argv, const std::string& log,
               const std::vector<std::string>& env = {});

}  // namespace casevault::testbed

#endif  // CASEVAULT_TESTBED_CHILD_PROCESS_H_
