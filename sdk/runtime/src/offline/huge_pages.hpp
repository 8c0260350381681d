#pragma once
// An hour of recording fills a few hundred MB of freshly reserved vectors;
// first-touch page faults on 4 KiB pages cost more CPU than parsing the data.
// Asking for transparent huge pages on such a buffer cuts the faults 512-fold
// where the kernel allows it (THP "madvise" mode); elsewhere it changes nothing.
//
// Memory the process has never touched is the dearest (measured under
// virtualisation here: ~1 ms of CPU per MB, against ~0.1 ms for pages the
// kernel hands back after a release), so input already consumed can be
// handed back to the kernel for the outputs to reuse.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stridefuse::offline {

template <class T>
void advise_huge_pages(const std::vector<T>& reserved) {
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  const std::size_t bytes = reserved.capacity() * sizeof(T);
  if (bytes < 4 * huge_page) return;
  const auto begin = reinterpret_cast<std::uintptr_t>(reserved.data());
  const std::uintptr_t first = (begin + huge_page - 1) & ~(huge_page - 1);
  const std::uintptr_t last = (begin + bytes) & ~(huge_page - 1);
  // Advice only: a refusal (no THP support) leaves ordinary pages, so the result is ignored.
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
}

/// Returns the whole huge pages of [begin, end) to the kernel. The caller must
/// never read that range again (it would read zeros); the buffer itself stays
/// valid to free. For input a single pass has consumed; calling again with a
/// longer range is cheap (pages already returned cost a page-table walk).
template <class T>
void release_consumed(const T* begin, const T* end) {
  constexpr std::uintptr_t huge_page = std::uintptr_t{2} << 20;
  const std::uintptr_t first = (reinterpret_cast<std::uintptr_t>(begin) + huge_page - 1) & ~(huge_page - 1);
  const std::uintptr_t last = reinterpret_cast<std::uintptr_t>(end) & ~(huge_page - 1);
  // Advice only: where it is refused the pages simply stay.
  if (last > first) (void)::madvise(reinterpret_cast<void*>(first), last - first, MADV_DONTNEED);
}

}  // namespace stridefuse::offline
