#include "session/short_slices.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace stridefuse::detail {
namespace {

// The kernel's struct sched_attr (linux/sched/types.h, which clashes with
// glibc's sched.h), as far as this call uses it.
struct SchedAttr {
  std::uint32_t size;
  std::uint32_t sched_policy;
  std::uint64_t sched_flags;
  std::int32_t sched_nice;
  std::uint32_t sched_priority;
  std::uint64_t sched_runtime;
  std::uint64_t sched_deadline;
  std::uint64_t sched_period;
};

constexpr std::uint64_t slice_ns = 100'000;  // the shortest the kernel takes

}  // namespace

void prefer_short_slices() noexcept {
#ifdef SYS_sched_setattr
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, 0);  // keep the thread's niceness as it is
  if (errno != 0) return;
  SchedAttr attr{};
  attr.size = sizeof attr;
  attr.sched_policy = 0;  // SCHED_OTHER
  attr.sched_nice = nice;
  attr.sched_runtime = slice_ns;
  (void)syscall(SYS_sched_setattr, 0, &attr, 0);
#endif
}

}  // namespace stridefuse::detail
