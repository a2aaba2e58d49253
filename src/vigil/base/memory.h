// Large buffers: resize a vector whose memory is backed by transparent huge pages where the system
// allows it (Linux, transparent_hugepage = madvise or always). A 200 MB feature matrix otherwise
// costs some 50,000 page faults, which on virtual machines take longer than filling the matrix.
// Only a hint: the contents and the vector's behaviour are exactly those of v.resize(n).
#ifndef VIGIL_BASE_MEMORY_H_
#define VIGIL_BASE_MEMORY_H_

#include <algorithm>
#include <cstddef>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

namespace vigil::base {

// Asks the kernel to back [data, data + bytes) with huge pages (the whole 2 MB pages inside it).
void AdviseHugePages(void* data, size_t bytes);

// Below this size a buffer is not worth the advice.
inline constexpr size_t kLargeBufferBytes = size_t{4} << 20;

// v.reserve(n), advising huge pages when the new storage is large.
template <typename T, typename A>
void ReserveLarge(std::vector<T, A>& v, size_t n) {
  if (n <= v.capacity()) return;
  v.reserve(n);
  if (n * sizeof(T) >= kLargeBufferBytes) AdviseHugePages(v.data(), v.capacity() * sizeof(T));
}

// v.resize(n), advising huge pages first when the vector grows large.
template <typename T, typename A>
void ResizeLarge(std::vector<T, A>& v, size_t n) {
  ReserveLarge(v, n);
  v.resize(n);
}

// Makes room for `extra` more elements, growing geometrically (for vectors filled by push_back
// that may grow large).
template <typename T, typename A>
void GrowLarge(std::vector<T, A>& v, size_t extra) {
  if (v.size() + extra > v.capacity())
    ReserveLarge(v, std::max(v.size() + extra, 2 * v.capacity()));
}

// An allocator that leaves elements default-initialized: for trivial types such as float,
// resize() does not write zeros. The first write to a fresh page is then the caller's, so threads
// that fill disjoint parts of a large buffer also share the kernel's page zeroing, instead of one
// thread zeroing (and faulting in) the whole buffer before they start.
template <typename T>
class DefaultInitAllocator : public std::allocator<T> {
 public:
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() noexcept = default;
  template <typename U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}  // NOLINT: implicit by design
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    std::allocator_traits<std::allocator<T>>::construct(static_cast<std::allocator<T>&>(*this), p,
                                                        std::forward<Args>(args)...);
  }
};

// A vector whose resize() leaves new elements of trivial types unset (see DefaultInitAllocator):
// every element must be written before it is read.
template <typename T>
using UninitVector = std::vector<T, DefaultInitAllocator<T>>;
using FloatBuffer = UninitVector<float>;

// Has glibc create each thread's heap (arena) at its full 64 MB of address space, readable and
// writable, instead of growing it by an mprotect call a few pages at a time. Worker threads that
// build many small buffers (the ingest parsers: 10,000 files of a few kilobytes) otherwise spend a
// quarter of their time in those calls, serialized on the process's memory-map lock. Costs address
// space only: untouched pages take no memory. Call once, first thing in main(). No-op without
// glibc.
void ReserveThreadHeaps();

}  // namespace vigil::base

#endif  // VIGIL_BASE_MEMORY_H_
