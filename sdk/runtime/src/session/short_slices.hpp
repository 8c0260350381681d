#pragma once
// Asks the scheduler to let the calling thread run in short slices: the
// thread wakes for a few microseconds of work per sample or event, and on a
// CPU busy with other processes a woken thread with a short slice preempts
// them at once instead of waiting out their slice (Linux's EEVDF scheduler,
// 6.12 on: sched_attr.sched_runtime of a SCHED_OTHER thread; no privilege
// needed, the thread's share of the CPU is unchanged). Older kernels ignore
// it; a failure changes nothing and is not an error.

namespace stridefuse::detail {

void prefer_short_slices() noexcept;

}  // namespace stridefuse::detail
