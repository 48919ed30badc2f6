#include "child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace casevault::testbed {

ChildProcess ChildProcess::Start(const std::vector<std::string>& argv,
                                 const std::string& out_file,
                                 const std::string& err_file,
                                 const std::vector<std::string>& env) {
  Launch launch;
  launch.argv = argv;
  launch.out_file = out_file;
  launch.err_file = err_file;
  launch.env = env;
  return Start(launch);
}

ChildProcess ChildProcess::Start(const Launch& launch) {
  ChildProcess child;
  std::vector<char*> args;
  for (const auto& a : launch.argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  // Everything is prepared before fork: the child of a threaded process may
  // call only async-signal-safe functions before exec.
  std::vector<char*> envp;
  for (const auto& e : launch.env) {
    envp.push_back(const_cast<char*>(e.c_str()));  // first match wins
  }
  if (launch.inherit_environment) {
    for (char** e = environ; *e != nullptr; ++e) envp.push_back(*e);
  }
  envp.push_back(nullptr);
  const char* in_file = launch.in_file.c_str();
  const char* out_file = launch.out_file.c_str();
  const char* err_file = launch.err_file.c_str();
  const bool same = launch.out_file == launch.err_file;
  const pid_t pid = fork();
  if (pid < 0) return child;
  if (pid == 0) {
    const int out = open(out_file, O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int err =
        same ? out : open(err_file, O_WRONLY | O_CREAT | O_APPEND, 0600);
    const int in = open(in_file, O_RDONLY);
    if (out < 0 || err < 0 || in < 0) _exit(127);
    dup2(out, STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    dup2(in, STDIN_FILENO);
    // The parent's own signal mask (none blocked) is what the child starts
    // with.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  child.pid_ = pid;
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept
    : pid_(other.pid_), exit_code_(other.exit_code_) {
  other.pid_ = -1;
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0) Stop();
    pid_ = other.pid_;
    exit_code_ = other.exit_code_;
    other.pid_ = -1;
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) Stop();
}

namespace {
int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
}  // namespace

bool ChildProcess::Running() {
  if (pid_ <= 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == pid_) {
    exit_code_ = DecodeStatus(status);
    pid_ = -1;
    return false;
  }
  return r == 0;
}

int ChildProcess::Wait() {
  if (pid_ <= 0) return exit_code_;
  int status = 0;
  if (waitpid(pid_, &status, 0) == pid_) exit_code_ = DecodeStatus(status);
  pid_ = -1;
  return exit_code_;
}

int ChildProcess::Wait(double seconds) {
  const auto deadline =
      std::chrono::steady_clock::now() +
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(seconds));
  while (Running()) {
    const auto left = deadline - std::chrono::steady_clock::now();
    if (left <= std::chrono::steady_clock::duration::zero()) return -1;
    // Never past the deadline: the crash tests kill at chosen moments.
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(
            left, std::chrono::milliseconds(5)));
  }
  return exit_code_;
}

void ChildProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  Wait();
}

void ChildProcess::Signal(int sig) const {
  if (pid_ > 0) kill(pid_, sig);
}

int ChildProcess::Stop(int seconds) {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, SIGTERM);
  const int code = Wait(double(seconds));
  if (code == -1) Kill();
  return code;
}

double ChildProcess::CpuSeconds() const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/stat");
  std::string stat;
  std::getline(in, stat);
  // The command name may hold spaces: the fields after it start past ')'.
  const size_t close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {  // field 3 is the state
    if (i == 14) utime = std::strtoull(field.c_str(), nullptr, 10);
    if (i == 15) stime = std::strtoull(field.c_str(), nullptr, 10);
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? double(utime + stime) / double(ticks) : -1;
}

std::map<pid_t, int64_t> ChildProcess::ContextSwitchesByThread() const {
  std::map<pid_t, int64_t> by_thread;
  if (pid_ <= 0) return by_thread;
  namespace fs = std::filesystem;
  std::error_code error;  // threads come and go while this reads
  fs::directory_iterator task("/proc/" + std::to_string(pid_) + "/task",
                              error);
  for (; !error && task != fs::directory_iterator(); task.increment(error)) {
    const pid_t tid = std::atoi(task->path().filename().c_str());
    std::ifstream in(task->path() / "status");
    int64_t switches = 0;
    int found = 0;
    for (std::string line; std::getline(in, line);) {
      // "voluntary_ctxt_switches:\tN", "nonvoluntary_ctxt_switches:\tN"
      const std::string key = line.substr(0, line.find(':'));
      if (key == "voluntary_ctxt_switches" ||
          key == "nonvoluntary_ctxt_switches") {
        switches += std::atoll(line.c_str() + key.size() + 1);
        ++found;
      }
    }
    if (tid > 0 && found == 2) by_thread[tid] = switches;
  }
  return by_thread;
}

int64_t ChildProcess::PeakRssKib() const {
  if (pid_ <= 0) return -1;
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

int WaitForPortFile(const std::string& path, ChildProcess& child, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    std::ifstream in(path);
    int port = 0;
    if (in >> port && port > 0) return port;
    if (!child.Running()) return 0;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return 0;
}

int RunCommand(const std::vector<std::string>& argv, const std::string& log,
               const std::vector<std::string>& env) {
  ChildProcess child = ChildProcess::Start(argv, log, log, env);
  if (!child.started()) return -1;
  return child.Wait();
}

}  // namespace casevault::testbed
